#include "server/healthcheck.hpp"

#include "server/net.hpp"

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

// One GET, step by step on an io_context the caller runs (as Beast's asynchronous HTTP client
// example does): the stream's deadline bounds every step but the name lookup, which the caller's
// run_for bounds.
class probe
{
    tcp::resolver resolver_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    http::request<http::empty_body> req_;
    std::string port_;
    std::chrono::milliseconds timeout_;

    void fail(error_code ec, char const* step)
    {
        failure = std::string{step} + ": " + ec.message();
    }

    void on_resolve(error_code ec, tcp::resolver::results_type const& results)
    {
        if (ec)
        {
            return fail(ec, "resolve");
        }
        stream_.expires_after(timeout_);
        stream_.async_connect(
            results, [this](error_code e, tcp::endpoint const&) { on_connect(e); }
        );
    }

    void on_connect(error_code ec)
    {
        if (ec)
        {
            return fail(ec, "connect");
        }
        http::async_write(stream_, req_, [this](error_code e, std::size_t) { on_write(e); });
    }

    void on_write(error_code ec)
    {
        if (ec)
        {
            return fail(ec, "send");
        }
        http::async_read(
            stream_,
            buffer_,
            res,
            [this](error_code e, std::size_t)
            {
                if (e)
                {
                    return fail(e, "read");
                }
                answered = true;
            }
        );
    }

public:
    http::response<http::string_body> res;
    std::string failure;
    bool answered = false; // res holds a whole answer

    probe(
        net::io_context& ioc,
        config const& settings,
        std::string const& host,
        std::chrono::milliseconds timeout
    )
        : resolver_(ioc), stream_(ioc), req_(http::verb::get, "/_cognitod/health", 11),
          port_(std::to_string(settings.port)), timeout_(timeout)
    {
        req_.set(http::field::host, host);
        req_.set(http::field::connection, "close");
        if (!settings.control_token.empty())
        {
            req_.set("X-Cognitod-Control-Token", settings.control_token);
        }
    }

    void start(std::string const& host)
    {
        resolver_.async_resolve(
            host,
            port_,
            [this](error_code e, tcp::resolver::results_type const& results)
            { on_resolve(e, results); }
        );
    }
};

} // namespace

health_report check_health(config const& settings, std::chrono::milliseconds timeout)
{
    if (settings.port == 0)
    {
        return {false, "--port 0 picks a free port at start; give the port the server uses"};
    }
    net::io_context ioc;
    auto const host = client_host(settings.host);
    probe get{ioc, settings, host, timeout};
    get.start(host);
    ioc.run_for(timeout + std::chrono::milliseconds(100));
    auto const& res = get.res;
    auto const& why = get.failure;

    auto const target = host + ":" + std::to_string(settings.port) + "/_cognitod/health";
    if (!get.answered)
    {
        return {false, target + ": " + (why.empty() ? std::string{"no answer in time"} : why)};
    }
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
