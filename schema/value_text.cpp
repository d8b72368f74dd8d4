#include "schema/value_text.hpp"

#include <cstdint>
#include <string>

namespace cognitod::schema::detail
{

namespace
{

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

// Length of the well-formed UTF-8 sequence starting at value[i], or 0 when it is malformed
// (bad lead byte, truncated, overlong, surrogate or beyond U+10FFFF).
std::size_t sequence_length(std::string_view value, std::size_t i)
{
    auto const byte = [&](std::size_t at) { return static_cast<std::uint8_t>(value[at]); };
    std::uint8_t const lead = byte(i);
    if (lead < 0x80)
    {
        return 1;
    }
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    if ((lead & 0xE0) == 0xC0)
    {
        length = 2;
        code_point = lead & 0x1Fu;
    }
    else if ((lead & 0xF0) == 0xE0)
    {
        length = 3;
        code_point = lead & 0x0Fu;
    }
    else if ((lead & 0xF8) == 0xF0)
    {
        length = 4;
        code_point = lead & 0x07u;
    }
    else
    {
        return 0;
    }
    if (i + length > value.size())
    {
        return 0;
    }
    for (std::size_t k = 1; k < length; ++k)
    {
        if ((byte(i + k) & 0xC0) != 0x80)
        {
            return 0;
        }
        code_point = (code_point << 6) | (byte(i + k) & 0x3Fu);
    }
    constexpr std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    bool const overlong = code_point < smallest[length];
    bool const surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
    if (overlong || surrogate || code_point > 0x10FFFF)
    {
        return 0;
    }
    return length;
}

int base64_digit(char c)
{
    if (c >= 'A' && c <= 'Z')
    {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z')
    {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9')
    {
        return c - '0' + 52;
    }
    if (c == '+' || c == '/')
    {
        return 62;
    }
    return -1;
}

std::string_view without_padding(std::string_view text)
{
    std::size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=')
    {
        ++padding;
    }
    return text.substr(0, text.size() - padding);
}

// Integers print without a fraction even when the client sent 5.0, as Java's Integer would.
std::string number_text(shape const& value_shape, nlohmann::json const& value)
{
    bool const integral = value_shape.type == "integer" || value_shape.type == "long";
    // The type check has already refused integral values outside the shape's range.
    if (integral && value.is_number_float())
    {
        return std::to_string(static_cast<std::int64_t>(value.get<double>()));
    }
    return value.dump();
}

} // namespace

std::string lower_camel(std::string_view wire_name)
{
    std::string result(wire_name);
    if (!result.empty() && result[0] >= 'A' && result[0] <= 'Z')
    {
        result[0] = static_cast<char>(result[0] - 'A' + 'a');
    }
    return result;
}

std::size_t code_point_count(std::string_view value)
{
    std::size_t count = 0;
    for (std::size_t i = 0; i < value.size(); ++count)
    {
        std::size_t const length = sequence_length(value, i);
        i += length == 0 ? 1 : length;
    }
    return count;
}

std::string valid_utf8(std::string_view value)
{
    std::string result;
    result.reserve(value.size());
    for (std::size_t i = 0; i < value.size();)
    {
        std::size_t const length = sequence_length(value, i);
        if (length == 0)
        {
            result += replacement_character;
            ++i;
            continue;
        }
        result += value.substr(i, length);
        i += length;
    }
    return result;
}

std::optional<std::string> render_value(shape const& value_shape, nlohmann::json const& value)
{
    if (value_shape.sensitive)
    {
        return std::nullopt;
    }
    if (value.is_null())
    {
        return "null";
    }
    if (value.is_string())
    {
        return valid_utf8(value.get_ref<std::string const&>());
    }
    if (value.is_boolean())
    {
        return value.get<bool>() ? "true" : "false";
    }
    if (value.is_number())
    {
        return number_text(value_shape, value);
    }
    if (value_shape.type == "document")
    {
        return valid_utf8(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    // Java's AbstractCollection/AbstractMap toString, which is what Coral prints.
    std::string text;
    bool first = true;
    auto const append = [&](std::string const& label, shape const& part_shape, auto const& part)
    {
        auto const rendered = render_value(part_shape, part);
        if (!rendered)
        {
            return false;
        }
        text += first ? "" : ", ";
        first = false;
        // label is "" for list elements and "key=" for map entries and structure members.
        text += label + *rendered;
        return true;
    };
    if (value.is_array() && value_shape.member != nullptr)
    {
        text = "[";
        for (auto const& element : value)
        {
            if (!append("", *value_shape.member, element))
            {
                return std::nullopt;
            }
        }
        return text + "]";
    }
    text = "{";
    if (value_shape.type == "map" && value.is_object())
    {
        if (value_shape.key->sensitive)
        {
            return std::nullopt;
        }
        for (auto const& [key, part] : value.items())
        {
            if (!append(valid_utf8(key) + "=", *value_shape.value, part))
            {
                return std::nullopt;
            }
        }
        return text + "}";
    }
    // Structures print their known members in model order; unknown ones are ignored by
    // validation, so they are not echoed either.
    for (auto const& [member_name, member_shape] : value_shape.members)
    {
        auto const it = value.find(member_name);
        if (it != value.end() && !it->is_null() && !append(member_name + "=", *member_shape, *it))
        {
            return std::nullopt;
        }
    }
    return text + "}";
}

std::size_t base64_decoded_size(std::string_view text)
{
    std::size_t const digits = without_padding(text).size();
    // Every 4 digits carry 3 bytes; a trailing group of 2 or 3 digits carries 1 or 2.
    return digits / 4 * 3 + (digits % 4 == 0 ? 0 : digits % 4 - 1);
}

bool is_base64(std::string_view text)
{
    std::string_view const digits = without_padding(text);
    if (digits.size() % 4 == 1 || (digits.size() != text.size() && text.size() % 4 != 0))
    {
        return false;
    }
    for (char const c : digits)
    {
        if (base64_digit(c) < 0)
        {
            return false;
        }
    }
    return true;
}

} // namespace cognitod::schema::detail
