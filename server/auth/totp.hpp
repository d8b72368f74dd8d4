// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), as
// authenticator apps compute them from AssociateSoftwareToken's SecretCode. Stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cognitod::auth::totp
{

// RFC 4648 base32 without padding (what SecretCode carries).
std::string base32_encode(std::string_view bytes);
std::optional<std::string> base32_decode(std::string_view text);

// The code for the step holding unix_seconds.
std::string code_at(std::string_view secret, std::int64_t unix_seconds);

// True when code matches the current step or the one before or after (clock drift).
bool verify(std::string_view secret, std::string_view code, std::int64_t unix_seconds);

} // namespace cognitod::auth::totp
