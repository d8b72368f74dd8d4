// The state a sign-in challenge keeps: typed in code, stored as JSON under the names earlier
// releases wrote, so a challenge opened before an upgrade of a database file is still answered.
#include "server/operations/sign_in/flow.hpp"

#include <gtest/gtest.h>

namespace
{

using cognitod::json;
using cognitod::sign_in_state;
using cognitod::srp_exchange;

TEST(sign_in_state, round_trips_every_member)
{
    sign_in_state state;
    state.device_key = "us-east-1_f00d";
    state.srp = srp_exchange{std::string{"\x01\x02", 2}, std::string{"\xff", 1}, "B", "YmxvY2s="};
    state.sms_code = "123456";
    auto const back = sign_in_state::from_json(state.to_json());
    EXPECT_EQ(back.device_key, state.device_key);
    ASSERT_TRUE(back.srp.has_value());
    EXPECT_EQ(back.srp->A, state.srp->A);
    EXPECT_EQ(back.srp->b, state.srp->b);
    EXPECT_EQ(back.srp->B, state.srp->B);
    EXPECT_EQ(back.srp->secret_block, state.srp->secret_block);
    EXPECT_EQ(back.sms_code, "123456");
}

TEST(sign_in_state, is_stored_under_the_names_earlier_releases_wrote)
{
    sign_in_state state;
    state.srp = srp_exchange{"\x0a", "\x0b", "\x0c", "c2VjcmV0"};
    EXPECT_EQ(
        state.to_json(),
        json::parse(R"({"device_key":null,"A":"0a","b":"0b","B":"0c","secret_block":"c2VjcmV0"})")
    );
    sign_in_state sms;
    sms.device_key = "k";
    sms.sms_code = "654321";
    EXPECT_EQ(sms.to_json(), json::parse(R"({"device_key":"k","code":"654321"})"));
}

TEST(sign_in_state, reads_what_earlier_releases_stored)
{
    auto const verifier = sign_in_state::from_json(
        json::parse(R"({"A":"0a","b":"0b","B":"0c","secret_block":"c2VjcmV0","device_key":null})")
    );
    EXPECT_FALSE(verifier.device_key.has_value());
    ASSERT_TRUE(verifier.srp.has_value());
    EXPECT_EQ(verifier.srp->A, "\x0a");
    EXPECT_EQ(verifier.srp->secret_block, "c2VjcmV0");
    EXPECT_TRUE(verifier.sms_code.empty());

    auto const device = sign_in_state::from_json(json::parse(R"({"device_key":"us-east-1_k"})"));
    EXPECT_EQ(device.device_key, "us-east-1_k");
    EXPECT_FALSE(device.srp.has_value());
}

TEST(sign_in_state, treats_missing_or_mistyped_members_as_absent)
{
    for (auto const* text :
         {R"({})",
          R"([])",
          R"(null)",
          R"({"device_key":7,"code":false})",
          R"({"A":"zz","b":"0b","B":"0c","secret_block":"x"})",
          R"({"A":"0a","b":"0b","secret_block":"x"})"})
    {
        auto const state = sign_in_state::from_json(json::parse(text));
        EXPECT_FALSE(state.device_key.has_value()) << text;
        EXPECT_FALSE(state.srp.has_value()) << text;
        EXPECT_TRUE(state.sms_code.empty()) << text;
    }
}

} // namespace
