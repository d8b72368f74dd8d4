// libFuzzer target: the bytes a client could send on one connection. Beast's parser reads them
// with http_session's limits, and every complete request goes to app::handle, as on a kept-alive
// connection, until the input ends, a request asks to close, or the bytes stop being HTTP, into
// the seeded world of fuzz/harness.hpp. Every response must keep the harness's rules (a request
// id, a real status, no 5xx, a JSON __type on errors); a broken rule aborts.
// COGNITOD_FUZZ_TRACE=1 prints each request's line and the response (to build corpus inputs).
#include "fuzz/harness.hpp"
#include "server/http_session.hpp"

#include <cstddef>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string_view>

namespace
{

using namespace cognitod;
using namespace cognitod::fuzzing;

harness& the_harness()
{
    static harness h;
    return h;
}

// Parses one request from the front of bytes; nullopt when the connection would end instead:
// malformed HTTP or a limit (http_session answers and closes) or a truncated request (it waits).
std::optional<aws_json::request> next_request(std::string_view& bytes)
{
    session_limits const limits;
    http::request_parser<http::string_body> parser;
    parser.body_limit(limits.max_body_bytes);
    parser.header_limit(limits.max_header_bytes);
    parser.eager(true);
    while (!parser.is_done())
    {
        if (bytes.empty())
        {
            return std::nullopt;
        }
        error_code ec;
        auto const used = parser.put(net::buffer(bytes.data(), bytes.size()), ec);
        bytes.remove_prefix(used);
        if ((ec && ec != http::error::need_more) || used == 0)
        {
            return std::nullopt;
        }
    }
    return parser.release();
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/)
{
    the_harness();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    auto& h = the_harness();
    h.reset();
    std::string_view bytes{reinterpret_cast<char const*>(data), size};
    while (auto req = next_request(bytes))
    {
        auto const res = h.application.handle(*req, peer, local);
        if (h.trace)
        {
            std::cerr << req->method_string() << " " << req->target() << "\n" << res << "\n\n";
        }
        check(*req, res);
        if (!req->keep_alive())
        {
            break;
        }
    }
    return 0;
}
