#include "server/control_access.hpp"

#include "server/auth/encoding.hpp"

#include <algorithm>
#include <optional>

namespace cognitod
{

namespace
{

// A Host or an origin's authority, in lower case: "[::1]" keeps its brackets, a name loses the
// trailing dot of its absolute form ("localhost." is localhost), the port is "" when not given.
struct authority
{
    std::string host;
    std::string port;
};

authority split_authority(std::string_view text)
{
    authority out;
    if (text.starts_with('['))
    {
        auto const close = text.find(']');
        out.host = auth::ascii_lower(
            text.substr(0, close == std::string_view::npos ? text.size() : close + 1)
        );
        if (close != std::string_view::npos && text.substr(close + 1).starts_with(':'))
        {
            out.port = std::string{text.substr(close + 2)};
        }
        return out;
    }
    // A second colon means an IPv6 address without brackets, which has no port.
    auto const colon = text.find(':');
    if (colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos)
    {
        out.port = std::string{text.substr(colon + 1)};
        text = text.substr(0, colon);
    }
    out.host = auth::ascii_lower(text);
    if (out.host.size() > 1 && out.host.back() == '.')
    {
        out.host.pop_back();
    }
    return out;
}

// The host as an IP address when it is one; an IPv4 address mapped into IPv6 (how a dual-stack
// socket sees an IPv4 client) as the IPv4 address.
std::optional<net::ip::address> address_of(std::string_view host)
{
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    {
        host = host.substr(1, host.size() - 2);
    }
    error_code ec;
    auto const address = net::ip::make_address(std::string{host}, ec);
    if (ec)
    {
        return std::nullopt;
    }
    if (address.is_v6() && address.to_v6().is_v4_mapped())
    {
        return net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
    }
    return address;
}

// "scheme://host[:port]" in lower case, without the scheme's default port, so that equal origins
// compare equal as text. Anything else ("null", a path) is only lower-cased.
std::string normal_origin(std::string_view origin)
{
    auto const separator = origin.find("://");
    if (separator == std::string_view::npos)
    {
        return auth::ascii_lower(origin);
    }
    auto const scheme = auth::ascii_lower(origin.substr(0, separator));
    auto const where = split_authority(origin.substr(separator + 3));
    bool const default_port = where.port.empty() || (scheme == "http" && where.port == "80") ||
                              (scheme == "https" && where.port == "443");
    return scheme + "://" + where.host + (default_port ? "" : ":" + where.port);
}

} // namespace

std::string addressed_origin(aws_json::request const& req, std::string_view local_address)
{
    auto const proto = req.find("X-Forwarded-Proto");
    std::string base = proto != req.end() && proto->value() == "https" ? "https://" : "http://";
    auto const host = req.find(http::field::host);
    if (host != req.end() && !host->value().empty())
    {
        base += std::string{host->value()};
    }
    else
    {
        base += std::string{local_address};
    }
    return base;
}

bool host_allowed(
    std::string_view host_header,
    std::string_view local_address,
    std::vector<std::string> const& allowed_hosts
)
{
    if (host_header.empty())
    {
        return true;
    }
    auto const host = split_authority(host_header).host;
    // RFC 6761: localhost and every name under it are loopback, and browsers resolve them so.
    if (host == "localhost" || host.ends_with(".localhost"))
    {
        return true;
    }
    // An address is no rebinding: only a name can be made to point somewhere else.
    if (auto const address = address_of(host))
    {
        auto const local = address_of(split_authority(local_address).host);
        if (address->is_loopback() || (local && *local == *address))
        {
            return true;
        }
    }
    return std::any_of(
        allowed_hosts.begin(),
        allowed_hosts.end(),
        [&](std::string const& entry)
        {
            auto const name = split_authority(entry).host;
            if (name.size() > 1 && name.front() == '.')
            {
                return host == name.substr(1) || host.ends_with(name);
            }
            return host == name;
        }
    );
}

bool same_origin(aws_json::request const& req, std::string_view local_address)
{
    auto const origin = req.find(http::field::origin);
    if (origin == req.end())
    {
        return true;
    }
    return normal_origin(origin->value()) == normal_origin(addressed_origin(req, local_address));
}

bool origin_host_allowed(
    aws_json::request const& req,
    std::string_view local_address,
    std::vector<std::string> const& allowed_hosts
)
{
    auto const origin = req.find(http::field::origin);
    if (origin == req.end())
    {
        return true;
    }
    // "null" (a sandboxed frame, a file: page) names no host at all.
    std::string_view const text = origin->value();
    auto const separator = text.find("://");
    auto const where =
        separator == std::string_view::npos ? std::string_view{} : text.substr(separator + 3);
    return !where.empty() && host_allowed(where, local_address, allowed_hosts);
}

bool declares_json(aws_json::request const& req)
{
    auto const type = req.find(http::field::content_type);
    if (type == req.end())
    {
        return false;
    }
    std::string_view media = type->value();
    media = media.substr(0, media.find(';'));
    while (!media.empty() && (media.back() == ' ' || media.back() == '\t'))
    {
        media.remove_suffix(1);
    }
    while (!media.empty() && (media.front() == ' ' || media.front() == '\t'))
    {
        media.remove_prefix(1);
    }
    return beast::iequals(media, "application/json");
}

} // namespace cognitod
