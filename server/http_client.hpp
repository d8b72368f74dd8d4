// One HTTP/1.1 exchange as a client, bounded as a whole by a timeout: cognitod --healthcheck's
// GET, and the Lambda Invoke API's POST (server/lambda.hpp).
#pragma once

#include "server/net.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace cognitod
{

using client_request = http::request<http::string_body>;
using client_response = http::response<http::string_body>;

struct exchange_result
{
    std::optional<client_response> response; // a whole answer came
    std::string failure;                     // else the step that failed and why ("connect: ...")
};

// Resolves host, connects to port, sends req and reads the answer, on an io_context of its own
// (as Beast's asynchronous HTTP client example does), all within timeout. Answers of up to
// body_limit bytes are read; a longer one is a failure.
exchange_result exchange(
    std::string const& host,
    std::string const& port,
    client_request const& req,
    std::chrono::milliseconds timeout,
    std::size_t body_limit = std::size_t{1024} * 1024
);

} // namespace cognitod
