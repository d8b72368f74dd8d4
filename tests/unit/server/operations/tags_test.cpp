#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <string>

namespace
{

using namespace cognitod::testing;

class tags : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().with("UserPoolTags", {{"team", "auth"}}).insert(f_);
    std::string arn_ =
        "arn:aws:cognito-idp:us-east-1:" + std::string{account_id} + ":userpool/" + pool_;

    json listed() { return f_.call("ListTagsForResource", {{"ResourceArn", arn_}}).at("Tags"); }
    json described()
    {
        return f_.call("DescribeUserPool", {{"UserPoolId", pool_}})
            .at("UserPool")
            .at("UserPoolTags");
    }
};

TEST_F(tags, list_shows_the_tags_the_pool_was_created_with)
{
    EXPECT_EQ(listed(), (json{{"team", "auth"}}));
}

TEST_F(tags, tag_adds_and_replaces_and_describe_agrees)
{
    auto const out = f_.call(
        "TagResource", {{"ResourceArn", arn_}, {"Tags", {{"team", "identity"}, {"env", "test"}}}}
    );
    EXPECT_EQ(out, json::object());
    json const expected{{"team", "identity"}, {"env", "test"}};
    EXPECT_EQ(listed(), expected);
    EXPECT_EQ(described(), expected);
}

TEST_F(tags, untag_removes_the_keys_given_and_ignores_unknown_ones)
{
    f_.call("TagResource", {{"ResourceArn", arn_}, {"Tags", {{"env", "test"}}}});
    f_.call("UntagResource", {{"ResourceArn", arn_}, {"TagKeys", {"team", "missing"}}});
    EXPECT_EQ(listed(), (json{{"env", "test"}}));
    EXPECT_EQ(described(), (json{{"env", "test"}}));
}

TEST_F(tags, a_pool_without_tags_lists_an_empty_map)
{
    auto const other = make_pool().named("bare").insert(f_);
    auto const arn =
        "arn:aws:cognito-idp:us-east-1:" + std::string{account_id} + ":userpool/" + other;
    EXPECT_EQ(
        f_.call("ListTagsForResource", {{"ResourceArn", arn}}), (json{{"Tags", json::object()}})
    );
}

TEST_F(tags, fifty_tags_at_most)
{
    json many = json::object();
    for (int i = 0; i < 49; ++i)
    {
        many["key" + std::to_string(i)] = "v";
    }
    f_.call("TagResource", {{"ResourceArn", arn_}, {"Tags", many}});
    EXPECT_EQ(listed().size(), 50U);
    EXPECT_AWS_ERROR(
        f_,
        "TagResource",
        (json{{"ResourceArn", arn_}, {"Tags", {{"one-more", "v"}}}}),
        "InvalidParameterException",
        "A user pool can have at most 50 tags."
    );
}

TEST_F(tags, an_arn_of_a_missing_pool_or_another_account_is_not_found)
{
    auto const missing =
        "arn:aws:cognito-idp:us-east-1:" + std::string{account_id} + ":userpool/us-east-1_missing";
    EXPECT_AWS_ERROR(
        f_,
        "ListTagsForResource",
        (json{{"ResourceArn", missing}}),
        "ResourceNotFoundException",
        "User pool us-east-1_missing does not exist."
    );
    auto const elsewhere = "arn:aws:cognito-idp:us-east-1:999999999999:userpool/" + pool_;
    EXPECT_AWS_ERROR(
        f_,
        "TagResource",
        (json{{"ResourceArn", elsewhere}, {"Tags", {{"a", "b"}}}}),
        "ResourceNotFoundException",
        "User pool " + pool_ + " does not exist."
    );
    EXPECT_AWS_ERROR(
        f_,
        "UntagResource",
        (json{{"ResourceArn", missing}, {"TagKeys", {"a"}}}),
        "ResourceNotFoundException",
        "User pool us-east-1_missing does not exist."
    );
}

TEST_F(tags, an_arn_that_names_no_pool_is_invalid)
{
    auto const arn = "arn:aws:iam::" + std::string{account_id} + ":role/admins";
    EXPECT_AWS_ERROR(
        f_,
        "UntagResource",
        (json{{"ResourceArn", arn}, {"TagKeys", {"a"}}}),
        "InvalidParameterException",
        "Invalid ARN: " + arn
    );
}

} // namespace
