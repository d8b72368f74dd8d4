// The token buckets of --throttle aws: category rates, per-user rates, refill and overrides.
#include "server/throttle.hpp"
#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

namespace
{

using namespace cognitod::testing;
using cognitod::quota_category_of;
using cognitod::throttle;

json device_call(std::string const& user)
{
    return {{"UserPoolId", "us-east-1_pool"}, {"Username", user}, {"DeviceKey", "k"}};
}

// Calls admit n times; returns how many were let through.
int admitted(throttle& limiter, std::string_view operation, json const& input, int n)
{
    int passed = 0;
    for (int i = 0; i < n; ++i)
    {
        try
        {
            limiter.admit(operation, "us-east-1", input);
            ++passed;
        }
        catch (cognitod::aws_error const& e)
        {
            EXPECT_EQ(e.code(), "TooManyRequestsException");
            EXPECT_EQ(std::string{e.what()}, "Rate exceeded");
            EXPECT_EQ(e.status(), 400U);
        }
    }
    return passed;
}

} // namespace

TEST(quota_category_of, files_the_device_operations_as_aws_does)
{
    EXPECT_EQ(quota_category_of("AdminGetDevice"), "UserResourceRead");
    EXPECT_EQ(quota_category_of("ListDevices"), "UserResourceRead");
    EXPECT_EQ(quota_category_of("AdminForgetDevice"), "UserResourceUpdate");
    EXPECT_EQ(quota_category_of("UpdateDeviceStatus"), "UserResourceUpdate");
    EXPECT_EQ(quota_category_of("RespondToAuthChallenge"), "UserAuthentication");
    EXPECT_EQ(quota_category_of("DescribeUserPool"), "UserPoolRead");
    EXPECT_EQ(quota_category_of("CreateManagedLoginBranding"), "");
}

TEST(throttle, lets_a_category_burst_to_its_rate_then_refuses)
{
    fixed_clock time;
    throttle limiter{time, {}};
    // UserPoolRead is 15 per second; different pools, so no per-user bucket is involved.
    EXPECT_EQ(admitted(limiter, "DescribeUserPool", {{"UserPoolId", "p"}}, 20), 15);
}

TEST(throttle, refills_continuously)
{
    fixed_clock time;
    throttle limiter{time, {}};
    EXPECT_EQ(admitted(limiter, "DescribeUserPool", json::object(), 15), 15);
    EXPECT_EQ(admitted(limiter, "DescribeUserPool", json::object(), 1), 0);
    time.now += 200; // 15/s × 0.2 s = 3 more
    EXPECT_EQ(admitted(limiter, "DescribeUserPool", json::object(), 5), 3);
    time.now += 10'000; // never more than one second's burst
    EXPECT_EQ(admitted(limiter, "DescribeUserPool", json::object(), 20), 15);
}

TEST(throttle, limits_each_user_to_ten_reads_a_second)
{
    fixed_clock time;
    throttle limiter{time, {}};
    EXPECT_EQ(admitted(limiter, "AdminGetDevice", device_call("alice"), 12), 10);
    // Another user still has the category's remaining 40.
    EXPECT_EQ(admitted(limiter, "AdminGetDevice", device_call("bob"), 12), 10);
}

TEST(throttle, keeps_reads_and_writes_of_a_user_apart)
{
    fixed_clock time;
    throttle limiter{time, {}};
    EXPECT_EQ(admitted(limiter, "AdminGetDevice", device_call("alice"), 10), 10);
    EXPECT_EQ(admitted(limiter, "AdminUpdateDeviceStatus", device_call("alice"), 1), 1);
}

TEST(throttle, finds_the_user_of_an_access_token_call_in_its_claims)
{
    fixed_clock time;
    throttle limiter{time, {}};
    // header.payload.signature with payload {"sub":"s-1","iss":"http://h/us-east-1_pool"}.
    auto const token =
        std::string{"eyJhbGciOiJSUzI1NiJ9."} +
        cognitod::auth::base64url_encode(R"({"sub":"s-1","iss":"http://h/us-east-1_pool"})") +
        ".c2ln";
    EXPECT_EQ(admitted(limiter, "GetDevice", {{"AccessToken", token}}, 12), 10);
}

TEST(throttle, takes_nothing_from_the_category_when_the_user_is_refused)
{
    fixed_clock time;
    throttle limiter{time, {{"UserResourceRead", 11}}};
    EXPECT_EQ(admitted(limiter, "AdminGetDevice", device_call("alice"), 15), 10);
    // alice's refusals cost the category nothing: one left for bob.
    EXPECT_EQ(admitted(limiter, "AdminGetDevice", device_call("bob"), 3), 1);
}

TEST(throttle, applies_overrides_and_keeps_regions_apart)
{
    fixed_clock time;
    throttle limiter{time, {{"UserPoolRead", 2}}};
    EXPECT_EQ(admitted(limiter, "DescribeUserPool", json::object(), 5), 2);
    EXPECT_NO_THROW(limiter.admit("DescribeUserPool", "eu-west-1", json::object()));
}

TEST(throttle, never_limits_an_operation_outside_the_categories)
{
    fixed_clock time;
    throttle limiter{time, {}};
    EXPECT_EQ(admitted(limiter, "DescribeTerms", json::object(), 500), 500);
}

TEST(throttle, starts_full_again_after_reset)
{
    fixed_clock time;
    throttle limiter{time, {{"UserPoolRead", 1}}};
    EXPECT_EQ(admitted(limiter, "DescribeUserPool", json::object(), 2), 1);
    limiter.reset();
    EXPECT_EQ(admitted(limiter, "DescribeUserPool", json::object(), 2), 1);
}
