#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace
{

using namespace cognitod::testing;

json get_user(fixture& f, std::string const& pool, std::string const& username)
{
    return f.call("AdminGetUser", {{"UserPoolId", pool}, {"Username", username}});
}

std::vector<std::string> usernames(json const& users)
{
    std::vector<std::string> names;
    for (auto const& u : users)
    {
        names.push_back(u.at("Username").get<std::string>());
    }
    return names;
}

// alice (verified email), albert (confirmed by a permanent password) and bob (disabled).
class list_users : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().insert(f_);

    json list(std::string const& filter)
    {
        return f_.call("ListUsers", {{"UserPoolId", pool_}, {"Filter", filter}}).at("Users");
    }

    void SetUp() override
    {
        make_user("alice").with_email("alice@example.com", true).insert(f_, pool_);
        make_user("albert")
            .with_email("albert@example.org", true)
            .with_password("Passw0rd!")
            .insert(f_, pool_);
        make_user("bob").with_email("bob@example.com", false).insert(f_, pool_);
        f_.call("AdminDisableUser", {{"UserPoolId", pool_}, {"Username", "bob"}});
    }
};

} // namespace

TEST_F(list_users, without_a_filter_lists_everyone_in_creation_order)
{
    EXPECT_EQ(usernames(list("")), (std::vector<std::string>{"alice", "albert", "bob"}));
}

TEST_F(list_users, filters_by_exact_email)
{
    EXPECT_EQ(usernames(list(R"(email = "bob@example.com")")), std::vector<std::string>{"bob"});
}

TEST_F(list_users, filters_by_username_prefix)
{
    EXPECT_EQ(
        usernames(list(R"(username ^= "al")")), (std::vector<std::string>{"alice", "albert"})
    );
}

TEST_F(list_users, accepts_a_filter_without_spaces_around_the_operator)
{
    EXPECT_EQ(usernames(list(R"(email^="bob")")), std::vector<std::string>{"bob"});
}

TEST_F(list_users, filters_by_user_status_without_regard_to_case)
{
    EXPECT_EQ(
        usernames(list(R"(cognito:user_status = "confirmed")")), std::vector<std::string>{"albert"}
    );
}

TEST_F(list_users, filters_by_enabled_status)
{
    EXPECT_EQ(usernames(list(R"(status = "Disabled")")), std::vector<std::string>{"bob"});
}

TEST_F(list_users, filters_by_sub)
{
    auto const sub = *attribute_in(get_user(f_, pool_, "albert").at("UserAttributes"), "sub");
    EXPECT_EQ(usernames(list("sub = \"" + sub + "\"")), std::vector<std::string>{"albert"});
}

TEST_F(list_users, an_unmatched_filter_lists_no_one)
{
    EXPECT_TRUE(list(R"(email = "nobody@example.com")").empty());
}

TEST_F(list_users, refuses_a_filter_it_cannot_parse)
{
    EXPECT_AWS_ERROR(
        f_,
        "ListUsers",
        json({{"UserPoolId", pool_}, {"Filter", "email = bob"}}),
        "InvalidParameterException",
        "Error while parsing filter."
    );
}

TEST_F(list_users, refuses_a_filter_on_an_attribute_that_cannot_be_searched)
{
    EXPECT_AWS_ERROR(
        f_,
        "ListUsers",
        json({{"UserPoolId", pool_}, {"Filter", R"(locale = "fr")"}}),
        "InvalidParameterException",
        "Error while parsing filter."
    );
}

TEST_F(list_users, pages_with_a_token)
{
    auto const first = f_.call("ListUsers", {{"UserPoolId", pool_}, {"Limit", 2}});
    EXPECT_EQ(usernames(first.at("Users")), (std::vector<std::string>{"alice", "albert"}));
    ASSERT_TRUE(first.contains("PaginationToken"));
    auto const second = f_.call(
        "ListUsers",
        {{"UserPoolId", pool_}, {"Limit", 2}, {"PaginationToken", first.at("PaginationToken")}}
    );
    EXPECT_EQ(usernames(second.at("Users")), std::vector<std::string>{"bob"});
    EXPECT_FALSE(second.contains("PaginationToken"));
}

TEST_F(list_users, returns_only_the_attributes_asked_for)
{
    auto const listed = f_.call(
        "ListUsers",
        {{"UserPoolId", pool_}, {"Filter", R"(username = "alice")"}, {"AttributesToGet", {"email"}}}
    );
    EXPECT_EQ(
        listed.at("Users").at(0).at("Attributes"),
        json::array({{{"Name", "email"}, {"Value", "alice@example.com"}}})
    );
}
