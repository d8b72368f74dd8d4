// SRP-6a as Cognito uses it: the 3072-bit group of RFC 5054 (RFC 3526 prime), g = 2, SHA-256.
// Big numbers travel as big-endian bytes. Stateless and thread-safe.
#pragma once

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

} // namespace cognitod::auth::srp
