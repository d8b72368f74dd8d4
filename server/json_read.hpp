// Request bodies parsed into the same value nlohmann::json::parse gives, for the JSON that SDKs
// send: nlohmann's parser reads a byte at a time through its input adapter and cost 12,000
// instructions for a three-member AdminGetDevice body; this reads that body in a quarter of that.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

namespace cognitod
{

// The value of text when it holds one JSON value within the subset read here: objects, arrays,
// strings of printable ASCII with the two-character escapes (no \u), integers of up to 18 digits,
// true, false and null, nested at most 64 deep, with JSON whitespace around them. For any other
// text, valid JSON or not, nullopt: the caller then parses it with nlohmann::json::parse, which
// decides. Where this returns a value it is the one nlohmann::json::parse returns, member types
// included (non-negative integers unsigned, negative ones signed; the last of repeated keys).
std::optional<nlohmann::json> parse_common_json(std::string_view text);

// Equal as values and as types, all the way down. nlohmann's == holds 1 (unsigned) and 1 (signed)
// equal, but a request value's type decides how validation and the operations read it: the tests
// and the fuzzer check parse_common_json against nlohmann::json::parse with this.
bool identical(nlohmann::json const& a, nlohmann::json const& b);

} // namespace cognitod
