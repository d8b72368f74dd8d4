// Byte encodings, ASCII case and digests on OpenSSL 3: the one place each is written. Stateless
// and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cognitod::auth
{

enum class hex_case
{
    lower, // "0f": hex_encode, UUIDs
    upper  // "0F": percent-encoding, \u00XX escapes
};

// The byte's two hex digits, appended to out.
void append_hex(std::string& out, unsigned char byte, hex_case letters);
// 0 to 15 for a hex digit of either case, -1 for anything else.
int hex_digit_value(char c);
// A to Z made a to z; every other byte, UTF-8 included, stays as it is (no locale is consulted).
std::string ascii_lower(std::string_view text);

std::string base64_encode(std::string_view bytes);
// Standard alphabet with padding; nullopt for anything else.
std::optional<std::string> base64_decode(std::string_view text);
std::string hex_encode(std::string_view bytes); // lower case
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
