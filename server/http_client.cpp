#include "server/http_client.hpp"

namespace cognitod
{

namespace
{

// The steps, each started by the one before; the stream's deadline bounds every step but the
// name lookup, which run_for bounds.
class exchange_op
{
    tcp::resolver resolver_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    client_request const& req_;
    http::response_parser<http::string_body> parser_;
    std::chrono::milliseconds timeout_;

    void fail(error_code ec, char const* step)
    {
        result.failure = std::string{step} + ": " + ec.message();
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
            parser_,
            [this](error_code e, std::size_t)
            {
                if (e)
                {
                    return fail(e, "read");
                }
                result.response = parser_.release();
            }
        );
    }

public:
    exchange_result result;

    exchange_op(
        net::io_context& ioc,
        client_request const& req,
        std::chrono::milliseconds timeout,
        std::size_t body_limit
    )
        : resolver_(ioc), stream_(ioc), req_(req), timeout_(timeout)
    {
        parser_.body_limit(body_limit);
    }

    void start(std::string const& host, std::string const& port)
    {
        resolver_.async_resolve(
            host,
            port,
            [this](error_code e, tcp::resolver::results_type const& results)
            { on_resolve(e, results); }
        );
    }
};

} // namespace

exchange_result exchange(
    std::string const& host,
    std::string const& port,
    client_request const& req,
    std::chrono::milliseconds timeout,
    std::size_t body_limit
)
{
    net::io_context ioc;
    exchange_op op{ioc, req, timeout, body_limit};
    op.start(host, port);
    ioc.run_for(timeout + std::chrono::milliseconds(100));
    if (!op.result.response && op.result.failure.empty())
    {
        op.result.failure = "no answer in time";
    }
    return std::move(op.result);
}

} // namespace cognitod
