// Tokens a handler mints inside its transaction and the dispatcher signs after it, with no lease
// held: an RSA-2048 signature takes some 0.2 ms, a sign-in makes two, and on the writer's lease
// they would hold every other write off that long (issue 16).
#pragma once

#include "server/auth/jwt.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace cognitod
{

// Not thread-safe: one per call, used by the thread that runs it.
class unsigned_tokens
{
    struct entry
    {
        auth::rsa_key key;
        std::string stand_in; // "header.payload." (a token with an empty signature)
    };
    std::vector<entry> entries_;

public:
    // The token's stand-in, for the handler to put in its answer as a whole string value. Its
    // payload holds a fresh jti, so no other value of the answer can equal it.
    std::string add(auth::rsa_key const& key, nlohmann::ordered_json const& payload);

    // Replaces each stand-in in output by its signed token; returns how many it replaced.
    std::size_t sign_into(nlohmann::json& output) const;

    bool empty() const noexcept { return entries_.empty(); }
};

} // namespace cognitod
