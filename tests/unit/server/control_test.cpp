// The control endpoints through app::handle: faults, reset, --control off and --control-token,
// and the order of the stages a call passes (faults and quotas before the handler).
#include "server/faults.hpp"
#include "server/throttle.hpp"
#include "unit/server/app_fixture.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace
{

using namespace cognitod::testing;
using cognitod::fault_rules;
using cognitod::throttle;

class control_endpoints : public ::testing::Test
{
protected:
    fixture f_;
    logger log_{log_level::error};
    fault_rules faults_{cognito_model(), 7};
    throttle limiter_{f_.time, {{"UserPoolRead", 2}}};
    cognitod::shifted_clock shifted_{f_.time};

    app make_app(control_settings control = {}, bool throttled = false)
    {
        auto services = services_of(f_, log_);
        services.faults = control.enabled ? &faults_ : nullptr;
        services.limiter = throttled ? &limiter_ : nullptr;
        services.state_clock = control.enabled ? &shifted_ : nullptr;
        services.control = std::move(control);
        return app{std::move(services)};
    }

    static request aws_call(std::string const& operation, json const& body)
    {
        return aws_request(operation, body.dump());
    }
};

} // namespace

TEST_F(control_endpoints, a_faulted_call_answers_the_error_and_changes_nothing)
{
    auto const a = make_app();
    auto const pool = make_pool().insert(f_);
    auto const added = a.handle(
        http_request(
            http::verb::post,
            "/_cognitod/faults",
            R"({"Operation":"DeleteUserPool","Error":"NotAuthorizedException","Message":"Denied.","Count":1})"
        ),
        "127.0.0.1"
    );
    ASSERT_EQ(added.result(), http::status::ok) << added.body();
    EXPECT_EQ(body_of(added).at("Id"), "fault-1");

    auto const res = a.handle(aws_call("DeleteUserPool", {{"UserPoolId", pool}}), "127.0.0.1");
    EXPECT_EQ(res.result(), http::status::bad_request);
    EXPECT_EQ(res["x-amzn-ErrorType"], "NotAuthorizedException:");
    EXPECT_EQ(body_of(res).at("message"), "Denied.");
    // The pool is still there; the rule is spent, so the next call goes through.
    EXPECT_NO_THROW(f_.call("DescribeUserPool", {{"UserPoolId", pool}}));
    auto const again = a.handle(aws_call("DeleteUserPool", {{"UserPoolId", pool}}), "127.0.0.1");
    EXPECT_EQ(again.result(), http::status::ok) << again.body();
}

TEST_F(control_endpoints, a_delay_rule_reports_its_delay_to_the_caller)
{
    auto const a = make_app();
    a.handle(
        http_request(
            http::verb::post, "/_cognitod/faults", R"({"Operation":"ListUserPools","DelayMs":1500})"
        ),
        "127.0.0.1"
    );
    std::chrono::milliseconds delay{0};
    auto const res =
        a.handle(aws_call("ListUserPools", {{"MaxResults", 1}}), "127.0.0.1", {}, &delay);
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_EQ(delay.count(), 1500);
}

TEST_F(control_endpoints, lists_and_deletes_rules)
{
    auto const a = make_app();
    a.handle(
        http_request(http::verb::post, "/_cognitod/faults", R"({"Operation":"*","DelayMs":5})"),
        "127.0.0.1"
    );
    a.handle(
        http_request(http::verb::post, "/_cognitod/faults", R"({"Operation":"*","DelayMs":6})"),
        "127.0.0.1"
    );
    auto const listed =
        body_of(a.handle(http_request(http::verb::get, "/_cognitod/faults"), "127.0.0.1"));
    ASSERT_EQ(listed.at("Rules").size(), 2U);
    EXPECT_EQ(
        body_of(
            a.handle(http_request(http::verb::delete_, "/_cognitod/faults/fault-1"), "127.0.0.1")
        )
            .at("Removed"),
        1
    );
    auto const missing =
        a.handle(http_request(http::verb::delete_, "/_cognitod/faults/fault-1"), "127.0.0.1");
    EXPECT_EQ(missing.result(), http::status::not_found);
    EXPECT_EQ(
        body_of(a.handle(http_request(http::verb::delete_, "/_cognitod/faults"), "127.0.0.1"))
            .at("Removed"),
        1
    );
}

TEST_F(control_endpoints, refuses_a_bad_rule_with_400_naming_the_problem)
{
    auto const a = make_app();
    auto const res =
        a.handle(http_request(http::verb::post, "/_cognitod/faults", "{not json"), "127.0.0.1");
    EXPECT_EQ(res.result(), http::status::bad_request);
    EXPECT_EQ(body_of(res).at("__type"), "InvalidFaultRuleException");
    auto const bad = a.handle(
        http_request(
            http::verb::post,
            "/_cognitod/faults",
            R"({"Operation":"AdminForgetDevice","Error":"Nope"})"
        ),
        "127.0.0.1"
    );
    EXPECT_EQ(
        body_of(bad).at("message"),
        "Error Nope is not an exception the model lists for AdminForgetDevice (nor "
        "InternalErrorException)."
    );
}

// A rule's body is read as a request body is, with the same bound on its nesting.
TEST_F(control_endpoints, refuses_a_rule_nested_deeper_than_a_request_may_be)
{
    auto const a = make_app();
    auto const body = R"({"Operation":"DeleteUserPool","Error":"NotAuthorizedException","Match":)" +
                      std::string(60'000, '[') + std::string(60'000, ']') + "}";
    auto const res =
        a.handle(http_request(http::verb::post, "/_cognitod/faults", body), "127.0.0.1");
    EXPECT_EQ(res.result(), http::status::bad_request);
    EXPECT_EQ(body_of(res).at("__type"), "InvalidFaultRuleException");
    EXPECT_EQ(body_of(res).at("message"), "The body nests more than 100 levels deep.");
}

TEST_F(control_endpoints, reset_wipes_state_rules_and_buckets)
{
    auto const a = make_app({}, /*throttled=*/true);
    make_pool().insert(f_);
    a.handle(
        http_request(http::verb::post, "/_cognitod/faults", R"({"Operation":"*","DelayMs":5})"),
        "127.0.0.1"
    );
    a.handle(aws_call("ListUserPools", {{"MaxResults", 1}}), "127.0.0.1");
    a.handle(aws_call("ListUserPools", {{"MaxResults", 1}}), "127.0.0.1");
    EXPECT_EQ(
        a.handle(aws_call("ListUserPools", {{"MaxResults", 1}}), "127.0.0.1").result(),
        http::status::bad_request
    );

    EXPECT_EQ(
        a.handle(http_request(http::verb::post, "/_cognitod/reset"), "127.0.0.1").result(),
        http::status::ok
    );
    EXPECT_TRUE(body_of(a.handle(http_request(http::verb::get, "/_cognitod/faults"), "127.0.0.1"))
                    .at("Rules")
                    .empty());
    auto const after = a.handle(aws_call("ListUserPools", {{"MaxResults", 1}}), "127.0.0.1");
    ASSERT_EQ(after.result(), http::status::ok) << after.body();
    EXPECT_TRUE(body_of(after).at("UserPools").empty());
}

TEST_F(control_endpoints, the_clock_moves_forward_and_back)
{
    auto const a = make_app();
    auto const clock = [&](http::verb method, std::string body = {})
    { return a.handle(http_request(method, "/_cognitod/clock", std::move(body)), "127.0.0.1"); };
    auto const now = static_cast<double>(t0) / 1000.0;
    EXPECT_EQ(body_of(clock(http::verb::get)), (json{{"now", now}, {"offsetSeconds", 0.0}}));

    auto const moved = clock(http::verb::post, R"({"advanceSeconds": 3600})");
    ASSERT_EQ(moved.result(), http::status::ok) << moved.body();
    EXPECT_EQ(body_of(moved), (json{{"now", now + 3600}, {"offsetSeconds", 3600.0}}));
    clock(http::verb::post, R"({"advanceSeconds": 60})");
    EXPECT_EQ(shifted_.now_ms(), t0 + 3660000);

    EXPECT_EQ(body_of(clock(http::verb::delete_)), (json{{"now", now}, {"offsetSeconds", 0.0}}));
    EXPECT_EQ(shifted_.now_ms(), t0);
}

TEST_F(control_endpoints, the_clock_refuses_anything_but_a_whole_number_of_seconds_forward)
{
    auto const a = make_app();
    for (auto const* body :
         {R"({"advanceSeconds": -1})",
          R"({"advanceSeconds": 1.5})",
          R"({"advanceSeconds": "60"})",
          R"({"advanceSeconds": 315360001})",
          R"({"seconds": 60})",
          R"({"advanceSeconds": 60, "extra": 1})",
          R"([60])",
          "not json"})
    {
        auto const res =
            a.handle(http_request(http::verb::post, "/_cognitod/clock", body), "127.0.0.1");
        EXPECT_EQ(res.result(), http::status::bad_request) << body;
        EXPECT_EQ(body_of(res).at("__type"), "InvalidClockException") << body;
    }
    EXPECT_EQ(shifted_.offset_ms(), 0);
    auto const put = a.handle(http_request(http::verb::put, "/_cognitod/clock"), "127.0.0.1");
    EXPECT_EQ(put.result(), http::status::method_not_allowed);
}

TEST_F(control_endpoints, reset_puts_the_clock_back)
{
    auto const a = make_app();
    a.handle(
        http_request(http::verb::post, "/_cognitod/clock", R"({"advanceSeconds": 86400})"),
        "127.0.0.1"
    );
    a.handle(http_request(http::verb::post, "/_cognitod/reset"), "127.0.0.1");
    EXPECT_EQ(shifted_.offset_ms(), 0);
}

TEST_F(control_endpoints, a_throttled_call_answers_too_many_requests_with_400)
{
    auto const a = make_app({}, /*throttled=*/true);
    a.handle(aws_call("ListUserPools", {{"MaxResults", 1}}), "127.0.0.1");
    a.handle(aws_call("ListUserPools", {{"MaxResults", 1}}), "127.0.0.1");
    auto const res = a.handle(aws_call("ListUserPools", {{"MaxResults", 1}}), "127.0.0.1");
    EXPECT_EQ(res.result(), http::status::bad_request);
    EXPECT_EQ(res["x-amzn-ErrorType"], "TooManyRequestsException:");
    EXPECT_EQ(body_of(res).at("message"), "Rate exceeded");
    f_.time.now += 1000;
    EXPECT_EQ(
        a.handle(aws_call("ListUserPools", {{"MaxResults", 1}}), "127.0.0.1").result(),
        http::status::ok
    );
}

TEST_F(control_endpoints, switched_off_they_do_not_exist)
{
    auto const a = make_app({false, ""});
    for (auto const* path :
         {"/_cognitod/health", "/_cognitod/reset", "/_cognitod/faults", "/_cognitod/messages"})
    {
        auto const res = a.handle(http_request(http::verb::get, path), "127.0.0.1");
        EXPECT_EQ(res.result(), http::status::not_found) << path;
        EXPECT_EQ(body_of(res).at("__type"), "NotFoundException");
    }
    EXPECT_EQ(
        a.handle(aws_call("ListUserPools", {{"MaxResults", 1}}), "127.0.0.1").result(),
        http::status::ok
    );
}

TEST_F(control_endpoints, with_a_token_they_refuse_callers_without_it)
{
    auto const a = make_app({true, "s3cret"});
    auto const refused = a.handle(http_request(http::verb::post, "/_cognitod/reset"), "127.0.0.1");
    EXPECT_EQ(refused.result(), http::status::unauthorized);
    EXPECT_EQ(refused[http::field::www_authenticate], "Bearer");
    EXPECT_EQ(body_of(refused).at("__type"), "UnauthorizedException");

    auto wrong = http_request(http::verb::get, "/_cognitod/health");
    wrong.set("X-Cognitod-Control-Token", "s3cre");
    EXPECT_EQ(a.handle(wrong, "127.0.0.1").result(), http::status::unauthorized);

    auto by_header = http_request(http::verb::get, "/_cognitod/health");
    by_header.set("X-Cognitod-Control-Token", "s3cret");
    EXPECT_EQ(a.handle(by_header, "127.0.0.1").result(), http::status::ok);

    auto by_bearer = http_request(http::verb::get, "/_cognitod/faults");
    by_bearer.set(http::field::authorization, "Bearer s3cret");
    EXPECT_EQ(a.handle(by_bearer, "127.0.0.1").result(), http::status::ok);
    // The AWS endpoint is not a control endpoint: no token needed there.
    EXPECT_EQ(
        a.handle(aws_call("ListUserPools", {{"MaxResults", 1}}), "127.0.0.1").result(),
        http::status::ok
    );
}

// DNS rebinding: a page on a name the attacker controls, its address switched to 127.0.0.1, reaches
// cognitod as that name. Reading the outbox or the state that way must fail, as must writing.
TEST_F(control_endpoints, refuse_a_host_that_is_not_cognitods_own)
{
    auto const a = make_app();
    make_pool().insert(f_);
    for (auto const* host :
         {"evil.example", "evil.example:9229", "localhost.evil.example", "10.0.0.1:9229"})
    {
        for (auto const* path : {"/_cognitod/messages", "/_cognitod/faults", "/_cognitod/ui"})
        {
            auto read = http_request(http::verb::get, path);
            read.set(http::field::host, host);
            auto const res = a.handle(read, "127.0.0.1", "127.0.0.1:9229");
            EXPECT_EQ(res.result(), http::status::forbidden) << host << path;
            EXPECT_EQ(body_of(res).at("__type"), "ForbiddenException") << host << path;
        }
        auto reset = http_request(http::verb::post, "/_cognitod/reset");
        reset.set(http::field::host, host);
        EXPECT_EQ(a.handle(reset, "127.0.0.1", "127.0.0.1:9229").result(), http::status::forbidden)
            << host;
    }
    EXPECT_EQ(f_.store.read()->list_user_pools(0, 10).size(), 1U);
}

TEST_F(control_endpoints, answer_loopback_names_and_the_address_they_listen_on)
{
    auto const a = make_app();
    for (auto const* host :
         {"localhost",
          "localhost:9229",
          "LocalHost:9229",
          "localhost.:9229",
          "console.localhost:9229",
          "127.0.0.1",
          "127.0.0.1:9229",
          "127.1.2.3:80",
          "[::1]",
          "[::1]:9229",
          "192.0.2.10:9229"})
    {
        auto req = http_request(http::verb::get, "/_cognitod/faults");
        req.set(http::field::host, host);
        auto const res = a.handle(req, "192.0.2.1", "192.0.2.10:9229");
        EXPECT_EQ(res.result(), http::status::ok) << host << ": " << res.body();
    }
}

// Health reveals nothing but the version; orchestrators probe it by whatever name they use.
TEST_F(control_endpoints, health_answers_any_host)
{
    auto const a = make_app();
    auto req = http_request(http::verb::get, "/_cognitod/health");
    req.set(http::field::host, "cognitod:9229");
    EXPECT_EQ(a.handle(req, "172.18.0.3", "172.18.0.2:9229").result(), http::status::ok);
}

// A page the developer opens elsewhere sends "simple" cross-origin POSTs without a preflight.
TEST_F(control_endpoints, refuse_a_request_from_another_origin)
{
    auto const a = make_app();
    make_pool().insert(f_);
    for (auto const* origin :
         {"http://127.0.0.1:5555", "http://localhost:9229", "https://127.0.0.1:9229", "null"})
    {
        auto reset = http_request(http::verb::post, "/_cognitod/reset");
        reset.set(http::field::host, "127.0.0.1:9229");
        reset.set(http::field::origin, origin);
        auto const res = a.handle(reset, "127.0.0.1", "127.0.0.1:9229");
        EXPECT_EQ(res.result(), http::status::forbidden) << origin;
        EXPECT_EQ(body_of(res).at("__type"), "ForbiddenException") << origin;
        EXPECT_EQ(res.count(http::field::access_control_allow_origin), 0U) << origin;

        auto read = http_request(http::verb::get, "/_cognitod/messages");
        read.set(http::field::host, "127.0.0.1:9229");
        read.set(http::field::origin, origin);
        EXPECT_EQ(a.handle(read, "127.0.0.1", "127.0.0.1:9229").result(), http::status::forbidden)
            << origin;
    }
    EXPECT_EQ(f_.store.read()->list_user_pools(0, 10).size(), 1U);
}

TEST_F(control_endpoints, answer_their_own_origin)
{
    auto const a = make_app();
    auto const faults_from = [&](char const* host, char const* origin, char const* proto)
    {
        auto req = http_request(http::verb::get, "/_cognitod/faults");
        req.set(http::field::host, host);
        req.set(http::field::origin, origin);
        if (proto != nullptr)
        {
            req.set("X-Forwarded-Proto", proto);
        }
        return a.handle(req, "127.0.0.1", "127.0.0.1:9229").result();
    };
    EXPECT_EQ(faults_from("127.0.0.1:9229", "http://127.0.0.1:9229", nullptr), http::status::ok);
    EXPECT_EQ(faults_from("localhost:80", "http://localhost", nullptr), http::status::ok);
    EXPECT_EQ(faults_from("[::1]:9229", "http://[::1]:9229", nullptr), http::status::ok);
    // Behind a proxy that ends TLS, the page's origin is https.
    EXPECT_EQ(faults_from("localhost", "https://localhost", "https"), http::status::ok);
    EXPECT_EQ(faults_from("localhost", "http://localhost", "https"), http::status::forbidden);
}

// No HTML form and no cross-origin fetch without a preflight can declare JSON.
TEST_F(control_endpoints, refuse_a_post_that_does_not_declare_json)
{
    auto const a = make_app();
    make_pool().insert(f_);
    for (auto const* type :
         {"",
          "text/plain",
          "text/plain;charset=UTF-8",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "application/x-amz-json-1.1",
          "application/jsonx"})
    {
        auto reset = http_request(http::verb::post, "/_cognitod/reset", "{}");
        reset.set(http::field::content_type, type);
        auto const res = a.handle(reset, "127.0.0.1");
        EXPECT_EQ(res.result(), http::status::unsupported_media_type) << type;
        EXPECT_EQ(body_of(res).at("__type"), "UnsupportedMediaTypeException") << type;

        auto rule =
            http_request(http::verb::post, "/_cognitod/faults", R"({"Operation":"*","DelayMs":5})");
        rule.set(http::field::content_type, type);
        EXPECT_EQ(a.handle(rule, "127.0.0.1").result(), http::status::unsupported_media_type)
            << type;
    }
    auto bare = http_request(http::verb::post, "/_cognitod/reset");
    bare.erase(http::field::content_type);
    EXPECT_EQ(a.handle(bare, "127.0.0.1").result(), http::status::unsupported_media_type);
    EXPECT_EQ(f_.store.read()->list_user_pools(0, 10).size(), 1U);
    EXPECT_TRUE(body_of(a.handle(http_request(http::verb::get, "/_cognitod/faults"), "127.0.0.1"))
                    .at("Rules")
                    .empty());

    for (auto const* type :
         {"application/json", "application/json; charset=utf-8", "Application/JSON"})
    {
        auto reset = http_request(http::verb::post, "/_cognitod/reset");
        reset.set(http::field::content_type, type);
        EXPECT_EQ(a.handle(reset, "127.0.0.1").result(), http::status::ok) << type;
    }
}
