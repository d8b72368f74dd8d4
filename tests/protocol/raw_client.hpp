// A blocking HTTP client over one socket whose every wait is bounded, so that a server that hangs
// fails a test instead of hanging the run. It writes raw bytes and reads responses with Beast.
#pragma once

#include "server/net.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cognitod_test
{

class raw_client
{
public:
    using response = cognitod::http::response<cognitod::http::string_body>;

private:
    cognitod::net::io_context ioc_;
    cognitod::tcp::socket socket_{ioc_};
    cognitod::beast::flat_buffer buffer_;
    cognitod::error_code last_error_;

    // Runs the pending operation until done is set or the timeout passes (then cancels it).
    void run_until(std::optional<cognitod::error_code>& done, std::chrono::milliseconds timeout)
    {
        ioc_.restart();
        ioc_.run_for(timeout);
        if (!done)
        {
            cognitod::error_code ignored;
            socket_.cancel(ignored);
            ioc_.restart();
            ioc_.run();
            done = cognitod::net::error::timed_out;
        }
    }

public:
    static constexpr std::chrono::milliseconds generous{20'000};

    explicit raw_client(cognitod::tcp::endpoint endpoint) { socket_.connect(endpoint); }

    cognitod::error_code write(std::string_view bytes)
    {
        cognitod::error_code ec;
        cognitod::net::write(socket_, cognitod::net::buffer(bytes.data(), bytes.size()), ec);
        return ec;
    }

    // The next response (an interim 1xx included), or nullopt when none arrives in time
    // (last_error() says why).
    std::optional<response> receive(std::chrono::milliseconds timeout = generous)
    {
        cognitod::http::response_parser<cognitod::http::string_body> parser;
        std::optional<cognitod::error_code> done;
        cognitod::http::async_read(
            socket_, buffer_, parser, [&](cognitod::error_code ec, std::size_t) { done = ec; }
        );
        run_until(done, timeout);
        last_error_ = *done;
        if (*done)
        {
            return std::nullopt;
        }
        return parser.release();
    }

    // Reads until the server closes the connection: true when it does (eof or a reset) within
    // the timeout.
    bool closed_within(std::chrono::milliseconds timeout = generous)
    {
        std::string rest;
        std::optional<cognitod::error_code> done;
        cognitod::net::async_read(
            socket_,
            cognitod::net::dynamic_buffer(rest),
            [&](cognitod::error_code ec, std::size_t) { done = ec; }
        );
        run_until(done, timeout);
        return *done == cognitod::net::error::eof ||
               *done == cognitod::net::error::connection_reset;
    }

    cognitod::error_code last_error() const { return last_error_; }
};

// A POST / of an AWS JSON 1.1 call, headers and body; extra_headers end with CRLF each.
inline std::string aws_call(
    std::string const& operation, std::string const& body, std::string const& extra_headers = ""
)
{
    return "POST / HTTP/1.1\r\n"
           "Host: localhost\r\n"
           "Content-Type: application/x-amz-json-1.1\r\n"
           "X-Amz-Target: AWSCognitoIdentityProviderService." +
           operation + "\r\n" + extra_headers + "Content-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
}

} // namespace cognitod_test
