// Byte encodings and digests on OpenSSL 3. Stateless and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cognitod::auth
{

std::string base64_encode(std::string_view bytes);
// Standard alphabet with padding; nullopt for anything else.
std::optional<std::string> base64_decode(std::string_view text);
std::string hex_encode(std::string_view bytes);
// Either case; an odd length counts as a leading 0 (a number's hex, as SRP_A). nullopt for
// anything else.
std::optional<std::string> hex_decode(std::string_view text);
std::string sha256(std::string_view bytes); // raw 32 bytes
// HMAC-SHA256 of message under key, raw 32 bytes (SigV4's key chain feeds one into the next).
std::string hmac_sha256(std::string_view key, std::string_view message);
// Equal sizes and bytes, compared in a time that depends on the size only, so a secret (a
// signature, a token, a client secret) cannot be guessed byte by byte from answer times.
bool constant_time_equal(std::string_view a, std::string_view b);

} // namespace cognitod::auth
