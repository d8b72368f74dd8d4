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

    app make_app(control_settings control = {}, bool throttled = false)
    {
        auto services = services_of(f_, log_);
        services.faults = control.enabled ? &faults_ : nullptr;
        services.limiter = throttled ? &limiter_ : nullptr;
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
