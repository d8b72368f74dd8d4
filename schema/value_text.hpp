// Private to schema/: how the validator spells paths, lengths and values in AWS messages.
// Pure functions; safe to call from any thread.
#pragma once

#include "schema/service_model.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cognitod::schema::detail
{

// AWS only lowercases the first character of the wire name: UserPoolId → userPoolId,
// MFAOptions → mFAOptions.
std::string lower_camel(std::string_view wire_name);

// Unicode code points in value, counting each malformed UTF-8 sequence as one (U+FFFD), as a
// decoder on the AWS side would.
std::size_t code_point_count(std::string_view value);

// value with malformed UTF-8 replaced by U+FFFD, so messages built from it stay valid JSON text.
std::string valid_utf8(std::string_view value);

// The text AWS puts between the quotes in "Value '...' at": strings as they are, numbers in
// decimal, lists as [a, b], maps and structures as {k=v, ...} (Java toString). Empty when any
// shape inside is sensitive, so a secret never reaches a message or a log.
std::optional<std::string> render_value(shape const& value_shape, nlohmann::json const& value);

// Bytes a base64 blob decodes to; assumes the text was checked by is_base64.
std::size_t base64_decoded_size(std::string_view text);

// Standard alphabet, padding optional (SDKs always pad; hand-written requests sometimes don't).
bool is_base64(std::string_view text);

} // namespace cognitod::schema::detail
