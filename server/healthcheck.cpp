#include "server/healthcheck.hpp"

#include "server/http_client.hpp"

#include <string>

namespace cognitod
{

namespace
{

// Where a client reaches a server listening on host: the wildcard addresses are not addresses a
// client can connect to, so they stand for loopback of the same family.
std::string client_host(std::string const& host)
{
    if (host == "0.0.0.0")
    {
        return "127.0.0.1";
    }
    if (host == "::" || host == "[::]")
    {
        return "::1";
    }
    return host;
}

} // namespace

health_report check_health(config const& settings, std::chrono::milliseconds timeout)
{
    if (settings.port == 0)
    {
        return {false, "--port 0 picks a free port at start; give the port the server uses"};
    }
    auto const host = client_host(settings.host);
    client_request req{http::verb::get, "/_cognitod/health", 11};
    req.set(http::field::host, host);
    req.set(http::field::connection, "close");
    if (!settings.control_token.empty())
    {
        req.set("X-Cognitod-Control-Token", settings.control_token);
    }
    auto const got = exchange(host, std::to_string(settings.port), req, timeout);
    auto const target = host + ":" + std::to_string(settings.port) + "/_cognitod/health";
    if (!got.response)
    {
        return {false, target + ": " + got.failure};
    }
    auto const& res = *got.response;
    auto const status = std::to_string(res.result_int());
    if (res.result() == http::status::ok)
    {
        return {true, target + ": " + status + " " + res.body()};
    }
    if (!settings.control_enabled)
    {
        return {true, target + ": " + status + " (the server answers; --control off hides health)"};
    }
    return {false, target + ": " + status + " " + res.body()};
}

} // namespace cognitod
