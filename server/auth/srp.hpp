// SRP-6a as Cognito uses it: the 3072-bit group of RFC 5054 (RFC 3526 prime), g = 2, SHA-256.
// Big numbers travel as big-endian bytes. Stateless and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cognitod::auth::srp
{

// x = H(salt || H(pool_name || user_id || ":" || password)), hashed the way
// amazon-cognito-identity-js does, salt in its positive two's-complement form. For a user,
// pool_name is the part of the pool id after the underscore; for a device, the DeviceGroupKey and
// the DeviceKey stand for pool_name and user_id.
std::string private_key(
    std::string_view salt,
    std::string_view pool_name,
    std::string_view user_id,
    std::string_view password
);

// v = g^x mod N, big-endian bytes.
std::string verifier(std::string_view x);

// The pool name part of a pool id: "AbC" for "us-east-1_AbC".
std::string_view pool_name(std::string_view pool_id);

// The server's half of one SRP-6a exchange, as Cognito runs it.
struct server_exchange
{
    std::string b; // the server's secret exponent
    std::string B; // k*v + g^b mod N, sent as SRP_B
};

// A fresh exchange for the verifier v (b from random_bytes, 32 bytes or more).
server_exchange start_exchange(std::string_view v, std::string_view random_bytes);

// The 16-byte key both sides derive: S = (A * v^u)^b mod N, u = H(A || B), then
// HKDF-SHA256(ikm = S, salt = u, info = "Caldera Derived Key"). nullopt when A is 0 mod N (a
// client must never be allowed to force S).
std::optional<std::string>
session_key(std::string_view A, std::string_view B, std::string_view b, std::string_view v);

// PASSWORD_CLAIM_SIGNATURE: base64(HMAC-SHA256(key, pool_name || user_id || secret_block ||
// timestamp)). For a device, the DeviceGroupKey and DeviceKey stand for pool_name and user_id.
std::string claim_signature(
    std::string_view key,
    std::string_view pool_name,
    std::string_view user_id,
    std::string_view secret_block,
    std::string_view timestamp
);

// The client's side, for tests: A = g^a mod N, and the key from the password.
std::string client_public(std::string_view a);
std::string client_session_key(
    std::string_view a,
    std::string_view B,
    std::string_view salt,
    std::string_view pool_name,
    std::string_view user_id,
    std::string_view password
);

} // namespace cognitod::auth::srp
