// How a connection reads a request's framing: Expect: 100-continue, and Transfer-Encoding
// beyond chunked, over a real socket.
#include "protocol/raw_client.hpp"
#include "protocol/running_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>
#include <string>

namespace
{

using cognitod_test::aws_call;
using cognitod_test::raw_client;
using cognitod_test::running_server;
using nlohmann::json;
namespace http = cognitod::http;

std::string list_pools_body()
{
    return R"({"MaxResults":1})";
}

// A POST / of ListUserPools with the given framing headers and nothing after them.
std::string list_pools_header(std::string const& framing)
{
    return "POST / HTTP/1.1\r\n"
           "Host: localhost\r\n"
           "Content-Type: application/x-amz-json-1.1\r\n"
           "X-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\n" +
           framing + "\r\n";
}

std::string chunked(std::string const& body)
{
    std::ostringstream out;
    out << std::hex << body.size() << "\r\n" << body << "\r\n0\r\n\r\n";
    return out.str();
}

} // namespace

TEST(http_session, answers_expect_100_continue_before_the_client_sends_the_body)
{
    running_server server;
    raw_client c{server.endpoint()};
    c.write(list_pools_header(
        "Expect: 100-continue\r\nContent-Length: " + std::to_string(list_pools_body().size()) +
        "\r\n"
    ));
    // A client that asks waits for the interim answer before it sends the body.
    auto const interim = c.receive();
    ASSERT_TRUE(interim) << "no 100 Continue: " << c.last_error().message();
    EXPECT_EQ(interim->result(), http::status::continue_);
    c.write(list_pools_body());
    auto const res = c.receive();
    ASSERT_TRUE(res) << c.last_error().message();
    EXPECT_EQ(res->result(), http::status::ok) << res->body();
    EXPECT_TRUE(res->keep_alive());
    // The connection is still in step for the next request.
    c.write(aws_call("ListUserPools", list_pools_body()));
    auto const next = c.receive();
    ASSERT_TRUE(next) << c.last_error().message();
    EXPECT_EQ(next->result(), http::status::ok);
}

TEST(http_session, refuses_an_oversized_body_that_expects_100_continue_without_asking_for_it)
{
    running_server server;
    raw_client c{server.endpoint()};
    c.write(list_pools_header("Expect: 100-continue\r\nContent-Length: 2000000\r\n"));
    auto const res = c.receive();
    ASSERT_TRUE(res) << c.last_error().message();
    EXPECT_EQ(res->result(), http::status::payload_too_large);
    EXPECT_TRUE(c.closed_within());
}

TEST(http_session, refuses_a_transfer_encoding_that_does_not_end_with_chunked_with_400_and_closes)
{
    running_server server;
    raw_client c{server.endpoint()};
    // Read as having no body, the JSON after the header would be taken for the next request.
    c.write(list_pools_header("Transfer-Encoding: gzip\r\n") + list_pools_body());
    auto const res = c.receive();
    ASSERT_TRUE(res) << c.last_error().message();
    EXPECT_EQ(res->result(), http::status::bad_request);
    auto const body = json::parse(res->body());
    EXPECT_EQ(body.at("__type"), "BadRequestException");
    EXPECT_EQ(body.at("message"), "Transfer-Encoding must end with chunked.");
    EXPECT_FALSE(res->keep_alive());
    EXPECT_TRUE(c.closed_within());
}

TEST(http_session, refuses_an_unknown_transfer_encoding_even_beside_a_content_length)
{
    running_server server;
    raw_client c{server.endpoint()};
    c.write(
        list_pools_header(
            "Transfer-Encoding: foo\r\nContent-Length: " +
            std::to_string(list_pools_body().size()) + "\r\n"
        ) +
        list_pools_body()
    );
    auto const res = c.receive();
    ASSERT_TRUE(res) << c.last_error().message();
    EXPECT_EQ(res->result(), http::status::bad_request);
    EXPECT_TRUE(c.closed_within());
}

TEST(http_session, refuses_a_coding_before_chunked_with_501_and_closes)
{
    running_server server;
    raw_client c{server.endpoint()};
    // cognitod decodes no gzip: this body would reach the app still compressed.
    c.write(list_pools_header("Transfer-Encoding: gzip, chunked\r\n") + chunked(list_pools_body()));
    auto const res = c.receive();
    ASSERT_TRUE(res) << c.last_error().message();
    EXPECT_EQ(res->result(), http::status::not_implemented);
    EXPECT_EQ(json::parse(res->body()).at("__type"), "NotImplementedException");
    EXPECT_TRUE(c.closed_within());
}

TEST(http_session, still_reads_a_chunked_body)
{
    running_server server;
    raw_client c{server.endpoint()};
    c.write(list_pools_header("Transfer-Encoding: chunked\r\n") + chunked(list_pools_body()));
    auto const res = c.receive();
    ASSERT_TRUE(res) << c.last_error().message();
    EXPECT_EQ(res->result(), http::status::ok) << res->body();
}
