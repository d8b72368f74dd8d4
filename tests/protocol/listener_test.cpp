// The listener's cap on open connections, over a real socket; and the cap's arithmetic.
#include "protocol/raw_client.hpp"
#include "protocol/running_server.hpp"
#include "server/listener.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>

namespace
{

using namespace std::chrono_literals;
using cognitod::session_limits;
using cognitod_test::aws_call;
using cognitod_test::raw_client;
using cognitod_test::running_server;
namespace http = cognitod::http;

std::string list_pools()
{
    return aws_call("ListUserPools", R"({"MaxResults":1})");
}

} // namespace

TEST(listener, leaves_a_client_beyond_the_cap_waiting_until_a_connection_closes)
{
    session_limits limits;
    limits.max_connections = 2;
    running_server server{1, limits};
    auto first = std::make_unique<raw_client>(server.endpoint());
    first->write(list_pools());
    ASSERT_TRUE(first->receive()) << first->last_error().message();
    raw_client second{server.endpoint()};
    second.write(list_pools());
    ASSERT_TRUE(second.receive()) << second.last_error().message();

    // The kernel completes the third handshake and queues the connection; cognitod leaves it
    // there. A short look: a server that answered would do so at once.
    raw_client third{server.endpoint()};
    third.write(list_pools());
    EXPECT_FALSE(third.receive(300ms)) << "answered a connection beyond the cap";

    first.reset();
    auto const res = third.receive();
    ASSERT_TRUE(res) << "no answer once a connection closed: " << third.last_error().message();
    EXPECT_EQ(res->result(), http::status::ok);
}

TEST(connection_cap, keeps_a_reserve_of_descriptors_that_grows_with_the_threads)
{
    EXPECT_EQ(cognitod::connection_cap(1024, 1), 1024U - 36U);
    EXPECT_EQ(cognitod::connection_cap(1024, 4), 1024U - 48U);
    EXPECT_EQ(cognitod::connection_cap(40, 1), 4U);
}

TEST(connection_cap, leaves_one_connection_when_the_limit_is_below_the_reserve)
{
    EXPECT_EQ(cognitod::connection_cap(20, 1), 1U);
}
