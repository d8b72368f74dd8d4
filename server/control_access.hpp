// What keeps web pages away from the control endpoints (docs/security.md). A page the developer
// opens elsewhere can make the browser send requests to cognitod; these checks refuse them:
// - the Host must name cognitod: a loopback name or address, the address the connection arrived
//   on, or a name of --allowed-hosts. A DNS-rebinding page reaches 127.0.0.1 under its own name;
// - an Origin, when the browser sends one, must be cognitod's own: http(s)://<Host>;
// - a POST must declare application/json, which neither an HTML form nor a cross-origin fetch
//   can send without the browser asking first (a preflight cognitod never grants).
// Functions of the request alone; thread-safe.
#pragma once

#include "server/aws_json.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace cognitod
{

// "http://<Host>" as the client addressed cognitod, "https://" when a proxy's X-Forwarded-Proto
// says so; local_address ("127.0.0.1:9229") when the request has no Host.
std::string addressed_origin(aws_json::request const& req, std::string_view local_address);

// True when host_header names cognitod. local_address is where the connection arrived
// ("127.0.0.1:9229", "[::1]:9229"); allowed_hosts holds names ("cognitod") and, with a leading
// dot, domains (".test.internal": the name and every name under it). Ports are ignored. An empty
// Host (HTTP/1.0 without one) is no browser's, and passes.
bool host_allowed(
    std::string_view host_header,
    std::string_view local_address,
    std::vector<std::string> const& allowed_hosts
);

// True when the request has no Origin or its Origin is addressed_origin() (compared without case
// and without the scheme's default port).
bool same_origin(aws_json::request const& req, std::string_view local_address);

// True when the request has no Origin or its Origin's host passes host_allowed(): a page served
// from this machine (or from a name of --allowed-hosts), not a site elsewhere. With --auth off
// only such pages may call the operations AWS signs (app.cpp).
bool origin_host_allowed(
    aws_json::request const& req,
    std::string_view local_address,
    std::vector<std::string> const& allowed_hosts
);

// True when Content-Type's media type is application/json, with or without parameters.
bool declares_json(aws_json::request const& req);

} // namespace cognitod
