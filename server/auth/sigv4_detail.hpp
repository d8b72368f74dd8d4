// What the sigv4_*.cpp files share and nothing else needs: the scope's terminator, and how the
// Authorization header and the credentials' text are cut into pieces.
#pragma once

#include <string_view>
#include <vector>

namespace cognitod::auth::sigv4::detail
{

constexpr std::string_view terminator = "aws4_request";
constexpr std::string_view whitespace = " \t\r\n";

inline std::string_view trim(std::string_view text)
{
    auto const first = text.find_first_not_of(whitespace);
    if (first == std::string_view::npos)
    {
        return {};
    }
    return text.substr(first, text.find_last_not_of(whitespace) - first + 1);
}

// The non-empty pieces of text between any of the separators.
inline std::vector<std::string_view> split(std::string_view text, std::string_view separators)
{
    std::vector<std::string_view> pieces;
    while (!text.empty())
    {
        auto const end = text.find_first_of(separators);
        if (end != 0)
        {
            pieces.push_back(text.substr(0, end));
        }
        if (end == std::string_view::npos)
        {
            break;
        }
        text.remove_prefix(end + 1);
    }
    return pieces;
}

} // namespace cognitod::auth::sigv4::detail
