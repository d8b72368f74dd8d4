// `cognitod --healthcheck` against a real server on a real socket: what a container engine's
// HEALTHCHECK sees in each control setting, and when nothing answers.
#include "protocol/running_server.hpp"
#include "server/config.hpp"
#include "server/healthcheck.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace
{

using namespace std::chrono_literals;
using cognitod::check_health;
using cognitod::config;
using cognitod::control_settings;
using cognitod_test::running_server;

config settings_for(running_server const& server, std::string host = "127.0.0.1")
{
    config c;
    c.host = std::move(host);
    c.port = server.endpoint().port();
    return c;
}

TEST(healthcheck, a_running_server_is_healthy)
{
    running_server server;
    auto const report = check_health(settings_for(server), 2s);
    EXPECT_TRUE(report.healthy) << report.detail;
    EXPECT_NE(report.detail.find("200"), std::string::npos) << report.detail;
    EXPECT_NE(report.detail.find("\"status\":\"ok\""), std::string::npos) << report.detail;
}

TEST(healthcheck, reads_the_wildcard_address_as_loopback)
{
    running_server server;
    auto const report = check_health(settings_for(server, "0.0.0.0"), 2s);
    EXPECT_TRUE(report.healthy) << report.detail;
}

TEST(healthcheck, sends_the_control_token)
{
    running_server server{1, {}, control_settings{true, "s3cret"}};
    auto c = settings_for(server);
    c.control_token = "s3cret";
    EXPECT_TRUE(check_health(c, 2s).healthy);
}

TEST(healthcheck, a_wrong_or_missing_token_is_unhealthy_with_the_status_said)
{
    running_server server{1, {}, control_settings{true, "s3cret"}};
    auto c = settings_for(server);
    auto report = check_health(c, 2s);
    EXPECT_FALSE(report.healthy);
    EXPECT_NE(report.detail.find("401"), std::string::npos) << report.detail;
    c.control_token = "wrong";
    report = check_health(c, 2s);
    EXPECT_FALSE(report.healthy);
    EXPECT_NE(report.detail.find("401"), std::string::npos) << report.detail;
}

TEST(healthcheck, with_control_off_any_answer_from_the_server_counts)
{
    running_server server{1, {}, control_settings{false, ""}};
    auto c = settings_for(server);
    c.control_enabled = false;
    auto const report = check_health(c, 2s);
    EXPECT_TRUE(report.healthy) << report.detail;
    EXPECT_NE(report.detail.find("404"), std::string::npos) << report.detail;
}

TEST(healthcheck, nothing_listening_is_unhealthy_and_says_why)
{
    std::uint16_t port = 0;
    {
        running_server server;
        port = server.endpoint().port();
    }
    config c;
    c.port = port;
    auto const report = check_health(c, 2s);
    EXPECT_FALSE(report.healthy);
    EXPECT_NE(report.detail.find("connect"), std::string::npos) << report.detail;
}

TEST(healthcheck, a_server_that_never_answers_is_unhealthy_within_the_timeout)
{
    cognitod::net::io_context ioc;
    cognitod::tcp::acceptor silent{ioc, {cognitod::net::ip::make_address("127.0.0.1"), 0}};
    config c;
    c.port = silent.local_endpoint().port();
    auto const started = std::chrono::steady_clock::now();
    auto const report = check_health(c, 300ms);
    EXPECT_FALSE(report.healthy);
    // A generous bound: the 300 ms timeout ends the check, rather than the check hanging.
    EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
}

TEST(healthcheck, port_zero_cannot_be_checked)
{
    config c;
    c.port = 0;
    auto const report = check_health(c, 1s);
    EXPECT_FALSE(report.healthy);
    EXPECT_NE(report.detail.find("--port 0"), std::string::npos);
}

} // namespace
