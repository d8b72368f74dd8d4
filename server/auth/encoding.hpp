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
std::string sha256(std::string_view bytes); // raw 32 bytes

} // namespace cognitod::auth
