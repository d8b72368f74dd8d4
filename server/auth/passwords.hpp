// Password policy checks and password storage as SRP salt + verifier (never the password).
#pragma once

#include "server/ids.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cognitod::auth
{

// The first rule of the pool's PasswordPolicy that password breaks, in Cognito's words
// ("Password not long enough", "Password must have uppercase characters", ...), or nullopt.
std::optional<std::string>
policy_violation(nlohmann::json const& password_policy, std::string_view password);

struct stored_password
{
    std::string salt;     // 16 random bytes
    std::string verifier; // g^x mod N
};

stored_password store_password(
    std::string_view pool_id, std::string_view username, std::string_view password, id_source& ids
);

bool password_matches(
    stored_password const& stored,
    std::string_view pool_id,
    std::string_view username,
    std::string_view password
);

// A random password that satisfies the policy (for users created without TemporaryPassword).
std::string generate_password(nlohmann::json const& password_policy, id_source& ids);

} // namespace cognitod::auth
