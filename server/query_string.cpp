#include "server/query_string.hpp"

#include "server/auth/encoding.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace cognitod
{

using nlohmann::json;

json query_parameters(std::string_view target)
{
    auto const mark = target.find('?');
    json out = json::object();
    if (mark == std::string_view::npos)
    {
        return out;
    }
    auto const decode = [](std::string_view text)
    {
        std::string value;
        for (std::size_t i = 0; i < text.size(); ++i)
        {
            if (text[i] == '+')
            {
                value += ' ';
            }
            else if (auto const bytes = text[i] == '%' && i + 2 < text.size() ? auth::hex_decode(text.substr(i + 1, 2)) : std::nullopt)
            {
                value += *bytes;
                i += 2;
            }
            else
            {
                value += text[i];
            }
        }
        return value;
    };
    auto rest = target.substr(mark + 1);
    while (!rest.empty())
    {
        auto const amp = rest.find('&');
        auto const pair = rest.substr(0, amp);
        auto const eq = pair.find('=');
        if (eq != std::string_view::npos)
        {
            out[decode(pair.substr(0, eq))] = decode(pair.substr(eq + 1));
        }
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    }
    return out;
}

} // namespace cognitod
