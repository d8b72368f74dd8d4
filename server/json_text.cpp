#include "server/json_text.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>

namespace cognitod
{

namespace
{

// Bytes that JSON writes as they are: printable ASCII other than the quote and backslash.
constexpr auto plain_bytes = []
{
    std::array<bool, 256> table{};
    for (int c = 0x20; c < 0x7f; ++c)
    {
        table[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
    }
    return table;
}();

bool plain(std::string_view text)
{
    return std::all_of(
        text.begin(), text.end(), [](char c) { return plain_bytes[static_cast<unsigned char>(c)]; }
    );
}

// Anything else (escapes, UTF-8, invalid bytes, floating point, binary) is rare in an answer and
// goes to nlohmann's serializer, so that the text is exactly what dump() gives.
void append_dumped(nlohmann::json const& value, std::string& out)
{
    out += value.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

void append_string(std::string const& text, std::string& out)
{
    if (!plain(text))
    {
        append_dumped(nlohmann::json(text), out);
        return;
    }
    out += '"';
    out += text;
    out += '"';
}

template <typename Integer> void append_integer(Integer value, std::string& out)
{
    char digits[24];
    auto const end = std::to_chars(std::begin(digits), std::end(digits), value).ptr;
    out.append(digits, end);
}

// Every time in an answer is epoch seconds with a millisecond fraction (ms / 1000.0), written
// here from its whole milliseconds: the integer part, a point, and the fraction without trailing
// zeros ("0" when there is none), which is what dump() writes. Below 10^11 doubles are at most
// 2^-16 apart, so no shorter decimal reads back as the same value. Anything else returns false.
bool append_milliseconds(double value, std::string& out)
{
    if (!(value >= 0.0 && value < 1e11) || std::signbit(value))
    {
        return false;
    }
    auto const ms = static_cast<std::int64_t>(std::llround(value * 1000.0));
    if (static_cast<double>(ms) / 1000.0 != value)
    {
        return false;
    }
    append_integer(ms / 1000, out);
    out += '.';
    auto fraction = static_cast<int>(ms % 1000);
    if (fraction == 0)
    {
        out += '0';
        return true;
    }
    char digits[3] = {
        static_cast<char>('0' + fraction / 100),
        static_cast<char>('0' + fraction / 10 % 10),
        static_cast<char>('0' + fraction % 10),
    };
    std::size_t length = 3;
    while (digits[length - 1] == '0')
    {
        --length;
    }
    out.append(digits, length);
    return true;
}

void append(nlohmann::json const& value, std::string& out)
{
    using value_t = nlohmann::json::value_t;
    switch (value.type())
    {
    case value_t::object:
    {
        out += '{';
        bool first = true;
        for (auto const& [key, member] : value.get_ref<nlohmann::json::object_t const&>())
        {
            if (!first)
            {
                out += ',';
            }
            first = false;
            append_string(key, out);
            out += ':';
            append(member, out);
        }
        out += '}';
        return;
    }
    case value_t::array:
    {
        out += '[';
        bool first = true;
        for (auto const& element : value.get_ref<nlohmann::json::array_t const&>())
        {
            if (!first)
            {
                out += ',';
            }
            first = false;
            append(element, out);
        }
        out += ']';
        return;
    }
    case value_t::string:
        append_string(value.get_ref<std::string const&>(), out);
        return;
    case value_t::boolean:
        out += value.get<bool>() ? "true" : "false";
        return;
    case value_t::number_integer:
        append_integer(value.get<std::int64_t>(), out);
        return;
    case value_t::number_unsigned:
        append_integer(value.get<std::uint64_t>(), out);
        return;
    case value_t::null:
        out += "null";
        return;
    case value_t::number_float:
        if (!append_milliseconds(value.get<double>(), out))
        {
            append_dumped(value, out);
        }
        return;
    case value_t::binary:
    case value_t::discarded:
        append_dumped(value, out);
        return;
    }
}

} // namespace

std::string json_text(nlohmann::json const& value)
{
    std::string out;
    out.reserve(256);
    append(value, out);
    return out;
}

} // namespace cognitod
