// RS256 JSON Web Tokens as Cognito writes them, on OpenSSL 3. Keys are immutable once made;
// every function here is safe from any thread.
#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct evp_pkey_st;

namespace cognitod::auth
{

struct generation_cancelled : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

class rsa_key
{
    struct deleter
    {
        void operator()(evp_pkey_st* key) const noexcept;
    };
    std::shared_ptr<evp_pkey_st> key_;
    std::string kid_;

    explicit rsa_key(evp_pkey_st* key);

public:
    // A fresh 2048-bit key (Cognito's size). With cancel, it stops soon after *cancel turns true
    // and throws generation_cancelled.
    static rsa_key generate(std::atomic<bool> const* cancel = nullptr);
    // Throws std::runtime_error when the PEM is not an RSA private key.
    static rsa_key from_pem(std::string_view private_pem);

    std::string private_pem() const;
    // base64(SHA-256(DER SubjectPublicKeyInfo)), as Cognito derives its kids.
    std::string const& kid() const noexcept { return kid_; }
    // {"alg","e","kid","kty","n","use"} for jwks.json.
    nlohmann::ordered_json jwk() const;
    std::string sign(std::string_view data) const;
    // Signs once on this thread and once on another, so that the key's first signatures on the
    // request threads cost what every later one does (see jwt.cpp).
    void prepare() const;
    bool verify(std::string_view data, std::string_view signature) const;
};

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

// Claims in the order Java's HashMap iterates them, which is the order Cognito's tokens show.
nlohmann::ordered_json java_hash_order(std::vector<std::pair<std::string, nlohmann::json>> claims);

// header.payload.signature, compact JSON with '/' escaped as Cognito (json-smart) writes it.
std::string encode_jwt(rsa_key const& key, nlohmann::ordered_json const& payload);
// What encode_jwt signs: "header.payload".
std::string jwt_signing_input(rsa_key const& key, nlohmann::ordered_json const& payload);
// The token for a signing input: "header.payload.signature".
std::string sign_jwt(rsa_key const& key, std::string signing_input);

// NOLINTNEXTLINE(bugprone-exception-escape): nlohmann::json's default constructor does not throw
struct decoded_jwt
{
    nlohmann::json header;
    nlohmann::json payload;
    std::string signing_input; // "header.payload" as received
    std::string signature;     // raw bytes
};

// Splits and decodes a compact JWS; nullopt when it is not one. Verifies nothing.
std::optional<decoded_jwt> decode_jwt(std::string_view token);

} // namespace cognitod::auth
