// Request bodies parsed into the same value nlohmann::json::parse gives, for the JSON that SDKs
// send: nlohmann's parser reads a byte at a time through its input adapter and cost 12,000
// instructions for a three-member AdminGetDevice body; this reads that body in a quarter of that.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
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

// The deepest nesting of arrays and objects read from a client. The model's deepest input nests 4
// levels (CreateUserPool, Schema, an attribute, its constraints), so no real request comes near;
// and at this depth nlohmann's copy, comparison and dump(), which recurse once per level, stay
// well within any thread's stack. A 120 KB body of nested arrays overflowed it.
constexpr std::size_t max_json_depth = 100;

// Whether text nests arrays and objects more than limit levels deep. One pass over the bytes,
// no recursion: brackets count outside strings only, so it is exact for valid JSON, and says
// nothing of whether text is valid.
bool nested_deeper_than(std::string_view text, std::size_t limit);

// JSON from a client (request bodies, control and console bodies, seeds, tokens) as a value:
// parse_common_json where it reads the text, else nlohmann::json::parse, and nothing at all when
// the text nests deeper than max_json_depth. Every such text goes through here.
struct client_json
{
    enum class outcome
    {
        read,     // value holds the text's value
        not_json, // value is discarded
        too_deep, // value is discarded: deeper than max_json_depth, whether valid or not
    };
    nlohmann::json value;
    outcome result = outcome::read;
};
client_json read_client_json(std::string_view text);

// Removes every object member whose value is null, at every depth (map entries too): a JSON null
// is how some SDKs spell "not set". Array elements stay, null or not. No recursion.
void drop_null_members(nlohmann::json& value);

// Equal as values and as types, all the way down. nlohmann's == holds 1 (unsigned) and 1 (signed)
// equal, but a request value's type decides how validation and the operations read it: the tests
// and the fuzzer check parse_common_json against nlohmann::json::parse with this.
bool identical(nlohmann::json const& a, nlohmann::json const& b);

} // namespace cognitod
