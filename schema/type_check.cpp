#include "schema/type_check.hpp"

#include "schema/validator.hpp"
#include "schema/value_text.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

namespace cognitod::schema::detail
{

namespace
{

using nlohmann::json;

// Messages for wrongly typed JSON, in the style of the SerializationException texts AWS JSON
// services (Coral) answer with. Captured from real AWS: "NUMBER_VALUE can not be converted to a
// String", "STRING_VALUE can not be converted to an Integer", "Start of structure or map found
// where not expected.", "Start of list found where not expected". The rest extend the same
// pattern and are unverified:
//   BOOLEAN_VALUE can not be converted to a String
//   <TOKEN> can not be converted to a Long | a Double | a Boolean | a Timestamp | a Blob
//   <TOKEN> can not be converted to a Structure | a List | a Map
//   NUMBER_VALUE can not be converted to an Integer   (fractional or out of int32 range)
//   STRING_VALUE can not be converted to a Blob       (not base64)
// where <TOKEN> is STRING_VALUE, NUMBER_VALUE or BOOLEAN_VALUE.
std::string_view token_name(json const& value)
{
    if (value.is_string())
    {
        return "STRING_VALUE";
    }
    return value.is_boolean() ? "BOOLEAN_VALUE" : "NUMBER_VALUE";
}

std::string_view target_name(std::string const& type)
{
    // The Java class Coral would have built, with its article.
    constexpr std::array<std::pair<std::string_view, std::string_view>, 10> names{{
        {"integer", "an Integer"},
        {"long", "a Long"},
        {"double", "a Double"},
        {"float", "a Float"},
        {"boolean", "a Boolean"},
        {"timestamp", "a Timestamp"},
        {"blob", "a Blob"},
        {"structure", "a Structure"},
        {"list", "a List"},
        {"map", "a Map"},
    }};
    for (auto const& [model_type, name] : names)
    {
        if (model_type == type)
        {
            return name;
        }
    }
    return "a String";
}

[[noreturn]] void mismatch(shape const& expected, json const& value)
{
    if (value.is_object())
    {
        throw type_mismatch("Start of structure or map found where not expected.");
    }
    if (value.is_array())
    {
        throw type_mismatch("Start of list found where not expected");
    }
    throw type_mismatch(
        std::string(token_name(value)) + " can not be converted to " +
        std::string(target_name(expected.type))
    );
}

// True when a JSON number fits the integer shape: whole, and within int32 for integer or int64
// for long. A whole float such as 5.0 is accepted, as Java would read it.
bool fits_integer(std::string const& type, json const& value)
{
    bool const wide = type == "long";
    std::int64_t const low =
        wide ? std::numeric_limits<std::int64_t>::min() : std::numeric_limits<std::int32_t>::min();
    std::int64_t const high =
        wide ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int32_t>::max();
    if (value.is_number_unsigned())
    {
        return value.get<std::uint64_t>() <= static_cast<std::uint64_t>(high);
    }
    if (value.is_number_integer())
    {
        std::int64_t const number = value.get<std::int64_t>();
        return number >= low && number <= high;
    }
    double const number = value.get<double>();
    // 2^63 is exactly representable, so comparing against it avoids rounding int64 max up.
    double const limit = wide ? 9223372036854775808.0 : static_cast<double>(high) + 1.0;
    return std::trunc(number) == number && number >= static_cast<double>(low) && number < limit;
}

} // namespace

void require_type(shape const& expected, json const& value)
{
    std::string const& type = expected.type;
    bool ok = false;
    if (type == "document")
    {
        ok = true;
    }
    else if (type == "string")
    {
        ok = value.is_string();
    }
    else if (type == "blob")
    {
        if (value.is_string() && !is_base64(value.get_ref<std::string const&>()))
        {
            throw type_mismatch("STRING_VALUE can not be converted to a Blob");
        }
        ok = value.is_string();
    }
    else if (type == "boolean")
    {
        ok = value.is_boolean();
    }
    else if (type == "integer" || type == "long")
    {
        ok = value.is_number() && fits_integer(type, value);
    }
    else if (type == "double" || type == "float" || type == "timestamp")
    {
        ok = value.is_number();
    }
    else if (type == "structure" || type == "map")
    {
        ok = value.is_object();
    }
    else if (type == "list")
    {
        ok = value.is_array();
    }
    if (!ok)
    {
        mismatch(expected, value);
    }
}

} // namespace cognitod::schema::detail
