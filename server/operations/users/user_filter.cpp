#include "server/operations/users/user_filter.hpp"

#include "server/aws_error.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace cognitod
{

namespace
{

constexpr std::array<std::string_view, 6> searchable_attributes{
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
};

bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

aws_error parse_error()
{
    return errors::invalid_parameter("Error while parsing filter.");
}

} // namespace

std::optional<storage::user_filter> parse_user_filter(std::string_view text)
{
    std::size_t pos = 0;
    auto const skip_spaces = [&]
    {
        while (pos < text.size() && is_space(text[pos]))
        {
            ++pos;
        }
    };
    skip_spaces();
    if (pos == text.size())
    {
        return std::nullopt;
    }
    auto const name_start = pos;
    while (pos < text.size() && !is_space(text[pos]) && text[pos] != '=' && text[pos] != '^')
    {
        ++pos;
    }
    std::string_view const name = text.substr(name_start, pos - name_start);
    skip_spaces();
    storage::user_filter filter;
    if (text.substr(pos, 2) == "^=")
    {
        filter.prefix = true;
        pos += 2;
    }
    else if (text.substr(pos, 1) == "=")
    {
        pos += 1;
    }
    else
    {
        throw parse_error();
    }
    skip_spaces();
    if (pos == text.size() || text[pos] != '"')
    {
        throw parse_error();
    }
    ++pos;
    // The value runs to the closing quote; a backslash escapes the next character.
    bool closed = false;
    while (pos < text.size())
    {
        char const c = text[pos++];
        if (c == '\\' && pos < text.size())
        {
            filter.value.push_back(text[pos++]);
        }
        else if (c == '"')
        {
            closed = true;
            break;
        }
        else
        {
            filter.value.push_back(c);
        }
    }
    skip_spaces();
    if (!closed || pos != text.size())
    {
        throw parse_error();
    }

    using field = storage::user_filter::field;
    if (name == "username")
    {
        filter.what = field::username;
    }
    else if (name == "sub")
    {
        filter.what = field::sub;
    }
    else if (name == "cognito:user_status")
    {
        // Matched without regard to case: "confirmed" finds CONFIRMED users.
        filter.what = field::user_status;
        std::transform(
            filter.value.begin(),
            filter.value.end(),
            filter.value.begin(),
            [](unsigned char c) { return static_cast<char>(std::toupper(c)); }
        );
    }
    else if (name == "status")
    {
        filter.what = field::enabled;
    }
    else if (std::find(searchable_attributes.begin(), searchable_attributes.end(), name) !=
             searchable_attributes.end())
    {
        filter.what = field::attribute;
        filter.attribute_name = std::string{name};
    }
    else
    {
        throw parse_error();
    }
    return filter;
}

} // namespace cognitod
