// Fault rules: what a rule may say, which calls it matches, counts, probability and delay.
#include "server/faults.hpp"
#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

namespace
{

using namespace cognitod::testing;
using cognitod::fault_rules;
using cognitod::invalid_fault_rule;

json forget(std::string const& pool, std::string const& user)
{
    return {{"UserPoolId", pool}, {"Username", user}, {"DeviceKey", "k"}};
}

std::string refusal(fault_rules& rules, json const& body)
{
    try
    {
        rules.add(body);
    }
    catch (invalid_fault_rule const& e)
    {
        return e.what();
    }
    return "(accepted)";
}

} // namespace

TEST(fault_rules, injects_a_modelled_exception_with_the_given_message)
{
    fault_rules rules{cognito_model(), 1};
    rules.add(
        {{"Operation", "AdminForgetDevice"},
         {"Error", "UserNotFoundException"},
         {"Message", "User does not exist."}}
    );
    auto const f = rules.match("AdminForgetDevice", forget("p", "alice"));
    ASSERT_TRUE(f && f->error);
    EXPECT_EQ(f->error->code(), "UserNotFoundException");
    EXPECT_EQ(std::string{f->error->what()}, "User does not exist.");
    EXPECT_EQ(f->error->status(), 400U);
    EXPECT_FALSE(rules.match("AdminGetDevice", forget("p", "alice")));
}

TEST(fault_rules, answers_internal_error_with_500)
{
    fault_rules rules{cognito_model(), 1};
    rules.add({{"Operation", "AdminForgetDevice"}, {"Error", "InternalErrorException"}});
    auto const f = rules.match("AdminForgetDevice", forget("p", "alice"));
    ASSERT_TRUE(f && f->error);
    EXPECT_EQ(f->error->status(), 500U);
    EXPECT_EQ(std::string{f->error->what()}, "Internal server error.");
}

TEST(fault_rules, refuses_an_exception_the_operation_does_not_list)
{
    fault_rules rules{cognito_model(), 1};
    EXPECT_EQ(
        refusal(rules, {{"Operation", "AdminForgetDevice"}, {"Error", "UsernameExistsException"}}),
        "Error UsernameExistsException is not an exception the model lists for AdminForgetDevice "
        "(nor InternalErrorException)."
    );
}

TEST(fault_rules, refuses_malformed_rules_naming_the_member)
{
    fault_rules rules{cognito_model(), 1};
    EXPECT_EQ(
        refusal(rules, {{"Error", "InternalErrorException"}}),
        "Operation is required: an operation name or \"*\"."
    );
    EXPECT_EQ(
        refusal(rules, {{"Operation", "NoSuchThing"}, {"Error", "InternalErrorException"}}),
        "Operation NoSuchThing is not a cognito-idp operation."
    );
    EXPECT_EQ(refusal(rules, {{"Operation", "*"}}), "A rule needs an Error, a DelayMs, or both.");
    EXPECT_EQ(
        refusal(rules, {{"Operation", "*"}, {"DelayMs", -1}}),
        "DelayMs must be a whole number from 0 to 60000."
    );
    EXPECT_EQ(
        refusal(rules, {{"Operation", "*"}, {"DelayMs", 5}, {"Count", 0}}),
        "Count must be a whole number of at least 1."
    );
    EXPECT_EQ(
        refusal(rules, {{"Operation", "*"}, {"DelayMs", 5}, {"Probability", 1.5}}),
        "Probability must be a number from 0 to 1."
    );
    EXPECT_EQ(
        refusal(rules, {{"Operation", "*"}, {"DelayMs", 5}, {"Match", {{"DeviceKey", "k"}}}}),
        "Match takes UserPoolId and Username, not DeviceKey."
    );
    EXPECT_EQ(
        refusal(rules, {{"Operation", "*"}, {"DelayMs", 5}, {"Extra", 1}}),
        "Unknown member Extra; a rule has Operation, Error, Message, Count, Probability, DelayMs "
        "and Match."
    );
    EXPECT_EQ(refusal(rules, json::array()), "A fault rule is a JSON object.");
    EXPECT_TRUE(rules.list().empty());
}

TEST(fault_rules, fires_count_times_then_retires)
{
    fault_rules rules{cognito_model(), 1};
    rules.add(
        {{"Operation", "AdminForgetDevice"}, {"Error", "TooManyRequestsException"}, {"Count", 2}}
    );
    EXPECT_TRUE(rules.match("AdminForgetDevice", forget("p", "a")));
    EXPECT_EQ(rules.list().at(0).at("Remaining"), 1);
    EXPECT_EQ(rules.list().at(0).at("Hits"), 1);
    auto const second = rules.match("AdminForgetDevice", forget("p", "a"));
    ASSERT_TRUE(second && second->error);
    EXPECT_EQ(std::string{second->error->what()}, "Rate exceeded");
    EXPECT_FALSE(rules.match("AdminForgetDevice", forget("p", "a")));
    EXPECT_TRUE(rules.list().empty());
}

TEST(fault_rules, matches_only_the_named_pool_and_user)
{
    fault_rules rules{cognito_model(), 1};
    rules.add(
        {{"Operation", "AdminForgetDevice"},
         {"Error", "NotAuthorizedException"},
         {"Match", {{"UserPoolId", "p1"}, {"Username", "alice"}}}}
    );
    EXPECT_FALSE(rules.match("AdminForgetDevice", forget("p2", "alice")));
    EXPECT_FALSE(rules.match("AdminForgetDevice", forget("p1", "bob")));
    EXPECT_FALSE(rules.match("AdminForgetDevice", json::object()));
    EXPECT_TRUE(rules.match("AdminForgetDevice", forget("p1", "alice")));
}

TEST(fault_rules, star_reaches_only_operations_that_list_the_error)
{
    fault_rules rules{cognito_model(), 1};
    rules.add({{"Operation", "*"}, {"Error", "InvalidUserPoolConfigurationException"}});
    EXPECT_TRUE(rules.match("AdminForgetDevice", forget("p", "a")));
    // CreateUserPool does not list InvalidUserPoolConfigurationException.
    EXPECT_FALSE(rules.match("CreateUserPool", json::object()));
}

TEST(fault_rules, fires_with_the_given_probability)
{
    fault_rules rules{cognito_model(), 42};
    rules.add(
        {{"Operation", "AdminGetDevice"},
         {"Error", "InternalErrorException"},
         {"Probability", 0.25}}
    );
    int fired = 0;
    for (int i = 0; i < 4000; ++i)
    {
        fired += rules.match("AdminGetDevice", forget("p", "a")) ? 1 : 0;
    }
    // 1000 expected; ±200 is over 14 standard deviations.
    EXPECT_GT(fired, 800);
    EXPECT_LT(fired, 1200);
}

TEST(fault_rules, never_fires_at_probability_zero)
{
    fault_rules rules{cognito_model(), 1};
    rules.add(
        {{"Operation", "AdminGetDevice"}, {"Error", "InternalErrorException"}, {"Probability", 0}}
    );
    for (int i = 0; i < 100; ++i)
    {
        EXPECT_FALSE(rules.match("AdminGetDevice", forget("p", "a")));
    }
}

TEST(fault_rules, a_delay_only_rule_lets_the_call_run)
{
    fault_rules rules{cognito_model(), 1};
    rules.add({{"Operation", "AdminGetDevice"}, {"DelayMs", 250}});
    auto const f = rules.match("AdminGetDevice", forget("p", "a"));
    ASSERT_TRUE(f);
    EXPECT_FALSE(f->error);
    EXPECT_EQ(f->delay.count(), 250);
}

TEST(fault_rules, first_added_rule_decides)
{
    fault_rules rules{cognito_model(), 1};
    rules.add({{"Operation", "AdminGetDevice"}, {"Error", "ResourceNotFoundException"}});
    rules.add({{"Operation", "*"}, {"Error", "InternalErrorException"}});
    EXPECT_EQ(
        rules.match("AdminGetDevice", forget("p", "a"))->error->code(), "ResourceNotFoundException"
    );
    EXPECT_EQ(
        rules.match("AdminListDevices", forget("p", "a"))->error->code(), "InternalErrorException"
    );
}

TEST(fault_rules, removes_one_rule_or_all)
{
    fault_rules rules{cognito_model(), 1};
    auto const first = rules.add({{"Operation", "AdminGetDevice"}, {"DelayMs", 1}});
    rules.add({{"Operation", "AdminListDevices"}, {"DelayMs", 1}});
    EXPECT_TRUE(rules.remove(first.at("Id").get<std::string>()));
    EXPECT_FALSE(rules.remove(first.at("Id").get<std::string>()));
    EXPECT_EQ(rules.list().size(), 1U);
    EXPECT_EQ(rules.clear(), 1U);
    EXPECT_TRUE(rules.list().empty());
}
