#include "server/query_string.hpp"

#include "server/auth/encoding.hpp"
#include "server/auth/sigv4.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace cognitod
{

using nlohmann::json;

json query_parameters(std::string_view target)
{
    auto const mark = target.find('?');
    if (mark == std::string_view::npos)
    {
        return json::object();
    }
    return form_parameters(target.substr(mark + 1));
}

json form_parameters(std::string_view text)
{
    json out = json::object();
    auto const decode = [](std::string_view encoded)
    {
        std::string value;
        for (std::size_t i = 0; i < encoded.size(); ++i)
        {
            if (encoded[i] == '+')
            {
                value += ' ';
            }
            else if (auto const bytes = encoded[i] == '%' && i + 2 < encoded.size() ? auth::hex_decode(encoded.substr(i + 1, 2)) : std::nullopt)
            {
                value += *bytes;
                i += 2;
            }
            else
            {
                value += encoded[i];
            }
        }
        return value;
    };
    auto rest = text;
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

std::string form_encode(json const& parameters)
{
    std::string out;
    for (auto const& [name, value] : parameters.items())
    {
        if (!value.is_string())
        {
            continue;
        }
        if (!out.empty())
        {
            out += '&';
        }
        out += auth::sigv4::uri_encode(name);
        out += '=';
        out += auth::sigv4::uri_encode(value.get_ref<std::string const&>());
    }
    return out;
}

} // namespace cognitod
