// The HTTP/1.1 server on a real socket: a listener on 127.0.0.1:0 with the io_context running in
// its own threads, driven by clients that speak raw bytes or Beast. Every client wait is bounded,
// so a server that hangs fails a test instead of hanging the run.
#include "protocol/running_server.hpp"
#include "schema/service_model.hpp"
#include "server/app.hpp"
#include "server/dispatcher.hpp"
#include "server/ids.hpp"
#include "server/listener.hpp"
#include "server/logger.hpp"
#include "storage/store.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace
{

using namespace std::chrono_literals;
using cognitod::error_code;
using cognitod::session_limits;
using cognitod::tcp;
using cognitod_test::running_server;
using nlohmann::json;
namespace net = cognitod::net;
namespace http = cognitod::http;
namespace beast = cognitod::beast;

using response = http::response<http::string_body>;

constexpr auto client_timeout = 5s;

// A blocking client whose reads give up after a timeout (run on the client's own io_context).
class client
{
    net::io_context ioc_;
    tcp::socket socket_{ioc_};
    beast::flat_buffer buffer_;
    error_code last_error_;

    // Runs the pending operation until done is set or the timeout passes (then cancels it).
    void run_until(std::optional<error_code>& done, std::chrono::milliseconds timeout)
    {
        ioc_.restart();
        ioc_.run_for(timeout);
        if (!done)
        {
            error_code ignored;
            socket_.cancel(ignored);
            ioc_.restart();
            ioc_.run();
            done = net::error::timed_out;
        }
    }

public:
    explicit client(tcp::endpoint endpoint) { socket_.connect(endpoint); }

    error_code write(std::string_view bytes)
    {
        error_code ec;
        net::write(socket_, net::buffer(bytes.data(), bytes.size()), ec);
        return ec;
    }

    // The next response, or nullopt when none arrives in time (last_error() says why).
    std::optional<response> receive(std::chrono::milliseconds timeout = client_timeout)
    {
        http::response_parser<http::string_body> parser;
        std::optional<error_code> done;
        http::async_read(socket_, buffer_, parser, [&](error_code ec, std::size_t) { done = ec; });
        run_until(done, timeout);
        last_error_ = *done;
        if (*done)
        {
            return std::nullopt;
        }
        return parser.release();
    }

    // The response to a HEAD request: headers only, whatever Content-Length says.
    std::optional<response> receive_head(std::chrono::milliseconds timeout = client_timeout)
    {
        http::response_parser<http::string_body> parser;
        parser.skip(true);
        std::optional<error_code> done;
        http::async_read(socket_, buffer_, parser, [&](error_code ec, std::size_t) { done = ec; });
        run_until(done, timeout);
        last_error_ = *done;
        if (*done)
        {
            return std::nullopt;
        }
        return parser.release();
    }

    // Reads until the server closes the connection: eof (or a reset) when it does, timed_out
    // when it is still open after the timeout.
    error_code wait_for_close(std::chrono::milliseconds timeout = client_timeout)
    {
        std::string rest;
        std::optional<error_code> done;
        net::async_read(
            socket_, net::dynamic_buffer(rest), [&](error_code ec, std::size_t) { done = ec; }
        );
        run_until(done, timeout);
        return *done;
    }

    error_code last_error() const { return last_error_; }
};

bool closed(error_code ec)
{
    return ec == net::error::eof || ec == net::error::connection_reset;
}

std::string aws_call(
    std::string const& operation,
    std::string const& body,
    std::string const& version = "HTTP/1.1",
    std::string const& extra_headers = ""
)
{
    return "POST / " + version +
           "\r\n"
           "Host: localhost\r\n"
           "Content-Type: application/x-amz-json-1.1\r\n"
           "X-Amz-Target: AWSCognitoIdentityProviderService." +
           operation + "\r\n" + extra_headers + "Content-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
}

std::string list_pools()
{
    return aws_call("ListUserPools", R"({"MaxResults":1})");
}

// One complete call on a fresh connection; the status, or 0 when no response came.
unsigned status_of_fresh_call(tcp::endpoint endpoint)
{
    client c{endpoint};
    c.write(list_pools());
    auto const res = c.receive();
    return res ? res->result_int() : 0;
}

} // namespace

TEST(http_server, answers_an_aws_call)
{
    running_server server;
    client c{server.endpoint()};
    ASSERT_FALSE(c.write(aws_call("CreateUserPool", R"({"PoolName":"shop"})")));
    auto const res = c.receive();
    ASSERT_TRUE(res) << c.last_error().message();
    EXPECT_EQ(res->result(), http::status::ok);
    EXPECT_EQ((*res)[http::field::content_type], "application/x-amz-json-1.1");
    EXPECT_FALSE((*res)["x-amzn-RequestId"].empty());
    EXPECT_EQ(json::parse(res->body()).at("UserPool").at("Name"), "shop");
}

TEST(http_server, answers_two_requests_on_one_keep_alive_connection)
{
    running_server server;
    client c{server.endpoint()};
    c.write(list_pools());
    auto const first = c.receive();
    ASSERT_TRUE(first) << c.last_error().message();
    EXPECT_TRUE(first->keep_alive());
    c.write(list_pools());
    auto const second = c.receive();
    ASSERT_TRUE(second) << c.last_error().message();
    EXPECT_EQ(second->result(), http::status::ok);
    EXPECT_NE((*first)["x-amzn-RequestId"], (*second)["x-amzn-RequestId"]);
}

TEST(http_server, answers_pipelined_requests_in_order)
{
    running_server server;
    client c{server.endpoint()};
    c.write(
        aws_call("CreateUserPool", R"({"PoolName":"first"})") +
        aws_call("CreateUserPool", R"({"PoolName":"second"})")
    );
    auto const first = c.receive();
    auto const second = c.receive();
    ASSERT_TRUE(first && second) << c.last_error().message();
    EXPECT_EQ(json::parse(first->body()).at("UserPool").at("Name"), "first");
    EXPECT_EQ(json::parse(second->body()).at("UserPool").at("Name"), "second");
}

TEST(http_server, closes_an_http_1_0_connection_without_keep_alive_after_the_response)
{
    running_server server;
    client c{server.endpoint()};
    c.write(aws_call("ListUserPools", R"({"MaxResults":1})", "HTTP/1.0"));
    auto const res = c.receive();
    ASSERT_TRUE(res) << c.last_error().message();
    EXPECT_EQ(res->result(), http::status::ok);
    EXPECT_EQ(res->version(), 10U);
    EXPECT_FALSE(res->keep_alive());
    EXPECT_TRUE(closed(c.wait_for_close())) << "the connection stayed open";
}

TEST(http_server, keeps_an_http_1_0_connection_that_asks_for_keep_alive)
{
    running_server server;
    client c{server.endpoint()};
    auto const call =
        aws_call("ListUserPools", R"({"MaxResults":1})", "HTTP/1.0", "Connection: keep-alive\r\n");
    c.write(call);
    ASSERT_TRUE(c.receive()) << c.last_error().message();
    c.write(call);
    auto const second = c.receive();
    ASSERT_TRUE(second) << c.last_error().message();
    EXPECT_EQ(second->result(), http::status::ok);
}

TEST(http_server, closes_after_a_response_to_connection_close)
{
    running_server server;
    client c{server.endpoint()};
    c.write(aws_call("ListUserPools", R"({"MaxResults":1})", "HTTP/1.1", "Connection: close\r\n"));
    auto const res = c.receive();
    ASSERT_TRUE(res) << c.last_error().message();
    EXPECT_FALSE(res->keep_alive());
    EXPECT_TRUE(closed(c.wait_for_close()));
}

TEST(http_server, answers_head_with_headers_only_so_the_connection_stays_in_step)
{
    running_server server;
    client c{server.endpoint()};
    c.write("HEAD /_cognitod/health HTTP/1.1\r\nHost: localhost\r\n\r\n");
    auto const head = c.receive_head();
    ASSERT_TRUE(head) << c.last_error().message();
    EXPECT_EQ(head->result(), http::status::ok);
    // A body after a HEAD response would be read as the start of the next response.
    c.write("GET /_cognitod/health HTTP/1.1\r\nHost: localhost\r\n\r\n");
    auto const get = c.receive();
    ASSERT_TRUE(get) << "the response after HEAD did not parse: " << c.last_error().message();
    EXPECT_EQ(get->result(), http::status::ok);
    EXPECT_EQ(json::parse(get->body()).at("status"), "ok");
}

TEST(http_server, refuses_a_body_over_one_mebibyte_with_413_and_closes)
{
    running_server server;
    client c{server.endpoint()};
    c.write("POST / HTTP/1.1\r\nHost: localhost\r\n"
            "X-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\n"
            "Content-Length: 1048577\r\n\r\n{\"MaxResults\":");
    auto const res = c.receive();
    ASSERT_TRUE(res) << c.last_error().message();
    EXPECT_EQ(res->result(), http::status::payload_too_large);
    EXPECT_EQ(json::parse(res->body()).at("__type"), "RequestEntityTooLargeException");
    EXPECT_FALSE(res->keep_alive());
    EXPECT_TRUE(closed(c.wait_for_close()));
}

TEST(http_server, refuses_a_chunked_body_that_grows_over_one_mebibyte_with_413)
{
    running_server server;
    client c{server.endpoint()};
    c.write("POST / HTTP/1.1\r\nHost: localhost\r\n"
            "X-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\n"
            "Transfer-Encoding: chunked\r\n\r\n");
    std::string const chunk = "80000\r\n" + std::string(0x80000, ' ') + "\r\n"; // 512 KiB
    for (int i = 0; i < 3; ++i)
    {
        if (c.write(chunk))
        {
            break; // the server may close before the last chunk
        }
    }
    auto const res = c.receive();
    ASSERT_TRUE(res) << c.last_error().message();
    EXPECT_EQ(res->result(), http::status::payload_too_large);
}

TEST(http_server, keeps_serving_new_connections_after_a_413)
{
    running_server server;
    {
        client c{server.endpoint()};
        c.write("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5000000\r\n\r\n");
        auto const res = c.receive();
        ASSERT_TRUE(res) << c.last_error().message();
        ASSERT_EQ(res->result(), http::status::payload_too_large);
    }
    EXPECT_EQ(status_of_fresh_call(server.endpoint()), 200U);
}

TEST(http_server, a_client_that_sends_the_whole_oversized_body_still_reads_the_413)
{
    running_server server;
    client c{server.endpoint()};
    std::string const body = R"({"MaxResults":1})" + std::string(2 * 1024 * 1024, ' ');
    // The server answers and closes after the headers; the rest of the write may fail.
    static_cast<void>(c.write(aws_call("ListUserPools", body)));
    auto const res = c.receive();
    ASSERT_TRUE(res) << "no 413, the read ended with: " << c.last_error().message();
    EXPECT_EQ(res->result(), http::status::payload_too_large);
}

TEST(http_server, accepts_a_body_of_exactly_one_mebibyte)
{
    running_server server;
    client c{server.endpoint()};
    std::string body = R"({"MaxResults":1})";
    body.append(1024 * 1024 - body.size(), ' ');
    c.write(aws_call("ListUserPools", body));
    auto const res = c.receive();
    ASSERT_TRUE(res) << c.last_error().message();
    EXPECT_EQ(res->result(), http::status::ok) << res->body();
}

TEST(http_server, refuses_headers_over_8_kib_with_431_and_closes)
{
    running_server server;
    client c{server.endpoint()};
    c.write(aws_call(
        "ListUserPools",
        R"({"MaxResults":1})",
        "HTTP/1.1",
        "X-Padding: " + std::string(9000, 'a') + "\r\n"
    ));
    auto const res = c.receive();
    ASSERT_TRUE(res) << c.last_error().message();
    EXPECT_EQ(res->result(), http::status::request_header_fields_too_large);
    EXPECT_EQ(json::parse(res->body()).at("__type"), "RequestHeaderFieldsTooLargeException");
    EXPECT_TRUE(closed(c.wait_for_close()));
}

TEST(http_server, answers_garbage_with_400_then_closes)
{
    running_server server;
    client c{server.endpoint()};
    c.write("\x16\x03\x01 this is not HTTP\r\n\r\n");
    auto const res = c.receive();
    ASSERT_TRUE(res) << c.last_error().message();
    EXPECT_EQ(res->result(), http::status::bad_request);
    EXPECT_EQ(json::parse(res->body()).at("__type"), "BadRequestException");
    EXPECT_TRUE(closed(c.wait_for_close()));
}

TEST(http_server, a_stalled_half_request_does_not_block_other_clients)
{
    running_server server;
    client stalled{server.endpoint()};
    stalled.write("POST / HTTP/1.1\r\nHost: localhost\r\n"
                  "X-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\n"
                  "Content-Length: 100\r\n\r\n{\"Max");
    auto const started = std::chrono::steady_clock::now();
    EXPECT_EQ(status_of_fresh_call(server.endpoint()), 200U);
    // Generous: well under the 30 s read deadline that would free a blocked server.
    EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
}

TEST(http_server, cuts_a_stalled_request_at_the_read_deadline)
{
    session_limits limits;
    limits.read_deadline = 1s;
    limits.idle_timeout = 4s;
    running_server server{1, limits};
    client stalled{server.endpoint()};
    stalled.write("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{");
    // The deadline runs from the request's first byte; the idle timeout is for between requests.
    EXPECT_TRUE(closed(stalled.wait_for_close(2500ms))) << "still open 2.5 s into a 1 s deadline";
}

TEST(http_server, closes_a_connection_idle_past_the_idle_timeout)
{
    session_limits limits;
    limits.idle_timeout = 1s;
    running_server server{1, limits};
    client c{server.endpoint()};
    c.write(list_pools());
    ASSERT_TRUE(c.receive()) << c.last_error().message();
    EXPECT_TRUE(closed(c.wait_for_close(3s)));
}

TEST(http_server, serves_16_concurrent_connections_of_20_requests_each)
{
    running_server server{2};
    constexpr int connections = 16;
    constexpr int requests = 20;
    std::atomic<int> ok{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < connections; ++i)
    {
        clients.emplace_back(
            [&, i]
            {
                client c{server.endpoint()};
                for (int r = 0; r < requests; ++r)
                {
                    auto const call = r % 2 == 0 ? aws_call(
                                                       "CreateUserPool",
                                                       R"({"PoolName":"p-)" + std::to_string(i) +
                                                           "-" + std::to_string(r) + "\"}"
                                                   )
                                                 : list_pools();
                    if (c.write(call))
                    {
                        return;
                    }
                    auto const res = c.receive();
                    if (!res || res->result() != http::status::ok)
                    {
                        return;
                    }
                    ++ok;
                }
            }
        );
    }
    for (auto& t : clients)
    {
        t.join();
    }
    EXPECT_EQ(ok.load(), connections * requests);
    EXPECT_EQ(server.store().read()->list_user_pools(0, 1000).size(), connections * requests / 2U);
}

// Clients at once on four I/O threads over a database file: writes on the writer, reads on
// lent reader connections, the checkpointer beside them. Under ThreadSanitizer (scripts/test.sh
// builds this layer with it too) this is the test that meets the store's threads.
TEST(http_server, serves_concurrent_clients_over_a_database_file_on_four_threads)
{
    auto const dir = std::filesystem::temp_directory_path() /
                     ("cognitod-concurrent-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
        running_server server{(dir / "state.db").string(), 4};
        constexpr int clients_count = 8;
        constexpr int users = 6;
        std::atomic<int> failures{0};
        std::vector<std::thread> clients;
        for (int i = 0; i < clients_count; ++i)
        {
            clients.emplace_back(
                [&, i]
                {
                    client c{server.endpoint()};
                    auto call = [&](std::string const& operation, nlohmann::json const& body)
                    {
                        if (c.write(aws_call(operation, body.dump())))
                        {
                            return nlohmann::json{};
                        }
                        auto const res = c.receive();
                        if (!res || res->result() != http::status::ok)
                        {
                            ++failures;
                            return nlohmann::json{};
                        }
                        return nlohmann::json::parse(res->body());
                    };
                    auto const pool = call(
                                          "CreateUserPool", {{"PoolName", "p" + std::to_string(i)}}
                    ).value("/UserPool/Id"_json_pointer, std::string{});
                    if (pool.empty())
                    {
                        return;
                    }
                    for (int u = 0; u < users; ++u)
                    {
                        auto const name = "user" + std::to_string(u);
                        call("AdminCreateUser", {{"UserPoolId", pool}, {"Username", name}});
                        auto const got =
                            call("AdminGetUser", {{"UserPoolId", pool}, {"Username", name}});
                        if (got.value("Username", "") != name)
                        {
                            ++failures;
                        }
                        call("DescribeUserPool", {{"UserPoolId", pool}});
                    }
                    auto const listed = call("ListUsers", {{"UserPoolId", pool}});
                    if (listed.value("Users", nlohmann::json::array()).size() != users)
                    {
                        ++failures; // another client's users, or some of its own missing
                    }
                    call("AdminDeleteUser", {{"UserPoolId", pool}, {"Username", "user0"}});
                }
            );
        }
        for (auto& t : clients)
        {
            t.join();
        }
        EXPECT_EQ(failures.load(), 0);
        auto const read = server.store().read();
        EXPECT_EQ(read->list_user_pools(0, 1000).size(), std::size_t{clients_count});
    }
    std::filesystem::remove_all(dir);
}

TEST(http_server, drain_closes_an_idle_keep_alive_connection_and_lets_the_io_context_finish)
{
    running_server server;
    client idle{server.endpoint()};
    idle.write(list_pools());
    auto const res = idle.receive();
    ASSERT_TRUE(res) << idle.last_error().message();
    ASSERT_TRUE(res->keep_alive());

    auto const started = std::chrono::steady_clock::now();
    // Generous bounds, well under the 60 s idle timeout that would otherwise close it.
    EXPECT_TRUE(server.shut_down_within(20s)) << "ioc.run() did not return";
    EXPECT_TRUE(closed(idle.wait_for_close(20s)));
    EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
}

TEST(http_server, drain_lets_a_request_in_progress_finish_and_then_closes)
{
    running_server server;
    client busy{server.endpoint()};
    std::string const call = list_pools();
    auto const half = call.size() / 2;
    busy.write(std::string_view{call}.substr(0, half));
    // Give the server time to read the first half before draining.
    std::this_thread::sleep_for(300ms);
    std::thread shutdown{[&] { EXPECT_TRUE(server.shut_down_within(3s)); }};
    std::this_thread::sleep_for(100ms);
    busy.write(std::string_view{call}.substr(half));
    auto const res = busy.receive();
    shutdown.join();
    ASSERT_TRUE(res) << busy.last_error().message();
    EXPECT_EQ(res->result(), http::status::ok);
    EXPECT_FALSE(res->keep_alive()) << "a draining server must not keep the connection";
}

TEST(http_server, stops_accepting_after_shutdown)
{
    running_server server;
    auto const endpoint = server.endpoint();
    ASSERT_TRUE(server.shut_down_within(2s));
    error_code ec;
    net::io_context ioc;
    tcp::socket socket{ioc};
    socket.connect(endpoint, ec);
    EXPECT_EQ(ec, net::error::connection_refused);
}
