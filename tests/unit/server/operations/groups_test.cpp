#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace
{

using namespace cognitod::testing;

constexpr char const* role_a = "arn:aws:iam::123456789012:role/readers";
constexpr char const* role_b = "arn:aws:iam::123456789012:role/writers";

class groups : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().insert(f_);

    json create(std::string const& name, json input = json::object())
    {
        input["UserPoolId"] = pool_;
        input["GroupName"] = name;
        return f_.call("CreateGroup", input).at("Group");
    }

    void add(std::string const& user, std::string const& group)
    {
        f_.call(
            "AdminAddUserToGroup", {{"UserPoolId", pool_}, {"Username", user}, {"GroupName", group}}
        );
    }

    std::vector<std::string> names(json const& list, char const* member = "GroupName")
    {
        std::vector<std::string> out;
        for (auto const& entry : list)
        {
            out.push_back(entry.at(member).get<std::string>());
        }
        return out;
    }

    // The claims of a fresh sign-in of user (password "Passw0rd!ok").
    std::pair<json, json> tokens_of(std::string const& user)
    {
        auto const client = make_client().insert(f_, pool_);
        auto const result = sign_in(f_, client, user, "Passw0rd!ok");
        return {
            claims_of(result.at("IdToken").get<std::string>()),
            claims_of(result.at("AccessToken").get<std::string>()),
        };
    }
};

TEST_F(groups, create_answers_the_group_with_what_it_was_given)
{
    f_.time.now = 1700000000123;
    auto const g =
        create("admins", {{"Description", "Admins"}, {"RoleArn", role_a}, {"Precedence", 3}});
    EXPECT_EQ(g.at("GroupName"), "admins");
    EXPECT_EQ(g.at("UserPoolId"), pool_);
    EXPECT_EQ(g.at("Description"), "Admins");
    EXPECT_EQ(g.at("RoleArn"), role_a);
    EXPECT_EQ(g.at("Precedence"), 3);
    EXPECT_DOUBLE_EQ(g.at("CreationDate").get<double>(), 1700000000.123);
    EXPECT_DOUBLE_EQ(g.at("LastModifiedDate").get<double>(), 1700000000.123);
}

TEST_F(groups, create_leaves_out_what_was_not_given)
{
    auto const g = create("plain");
    EXPECT_FALSE(g.contains("Description"));
    EXPECT_FALSE(g.contains("RoleArn"));
    EXPECT_FALSE(g.contains("Precedence"));
}

TEST_F(groups, create_refuses_a_name_taken_in_any_case)
{
    create("Admins");
    EXPECT_AWS_ERROR(
        f_,
        "CreateGroup",
        (json{{"UserPoolId", pool_}, {"GroupName", "admins"}}),
        "GroupExistsException",
        "A group with the name already exists."
    );
}

TEST_F(groups, the_same_name_in_another_pool_is_another_group)
{
    create("admins", {{"Precedence", 1}});
    auto const other = make_pool().named("other").insert(f_);
    auto const g = f_.call("CreateGroup", {{"UserPoolId", other}, {"GroupName", "admins"}});
    EXPECT_FALSE(g.at("Group").contains("Precedence"));
}

TEST_F(groups, create_in_a_missing_pool_names_the_pool)
{
    EXPECT_AWS_ERROR(
        f_,
        "CreateGroup",
        (json{{"UserPoolId", "us-east-1_missing"}, {"GroupName", "admins"}}),
        "ResourceNotFoundException",
        "User pool us-east-1_missing does not exist."
    );
}

TEST_F(groups, create_validates_precedence_and_role_from_the_model)
{
    auto const negative =
        f_.error_of("CreateGroup", {{"UserPoolId", pool_}, {"GroupName", "g"}, {"Precedence", -1}});
    EXPECT_EQ(negative.code(), "InvalidParameterException");
    auto const role =
        f_.error_of("CreateGroup", {{"UserPoolId", pool_}, {"GroupName", "g"}, {"RoleArn", "x"}});
    EXPECT_EQ(role.code(), "InvalidParameterException");
}

TEST_F(groups, get_finds_the_group_whatever_the_case)
{
    create("Admins", {{"Precedence", 2}});
    auto const g = f_.call("GetGroup", {{"UserPoolId", pool_}, {"GroupName", "ADMINS"}});
    EXPECT_EQ(g.at("Group").at("GroupName"), "Admins");
    EXPECT_EQ(g.at("Group").at("Precedence"), 2);
}

TEST_F(groups, get_delete_update_and_list_users_of_a_missing_group_are_not_found)
{
    json const input{{"UserPoolId", pool_}, {"GroupName", "missing"}};
    for (auto const* op : {"GetGroup", "DeleteGroup", "UpdateGroup", "ListUsersInGroup"})
    {
        EXPECT_AWS_ERROR(f_, op, input, "ResourceNotFoundException", "Group not found.");
    }
}

TEST_F(groups, update_changes_what_it_is_given_and_keeps_the_rest)
{
    f_.time.now = 1700000000000;
    create("admins", {{"Description", "Admins"}, {"RoleArn", role_a}, {"Precedence", 3}});
    f_.time.now = 1700000005000;
    auto const g =
        f_.call(
              "UpdateGroup", {{"UserPoolId", pool_}, {"GroupName", "admins"}, {"Precedence", 0}}
        ).at("Group");
    EXPECT_EQ(g.at("Precedence"), 0);
    EXPECT_EQ(g.at("Description"), "Admins");
    EXPECT_EQ(g.at("RoleArn"), role_a);
    EXPECT_DOUBLE_EQ(g.at("CreationDate").get<double>(), 1700000000.0);
    EXPECT_DOUBLE_EQ(g.at("LastModifiedDate").get<double>(), 1700000005.0);
    auto const read = f_.call("GetGroup", {{"UserPoolId", pool_}, {"GroupName", "admins"}});
    EXPECT_EQ(read.at("Group"), g);
}

TEST_F(groups, list_pages_in_creation_order)
{
    for (auto const* name : {"c", "a", "b"})
    {
        create(name);
    }
    auto const first = f_.call("ListGroups", {{"UserPoolId", pool_}, {"Limit", 2}});
    EXPECT_EQ(names(first.at("Groups")), (std::vector<std::string>{"c", "a"}));
    ASSERT_TRUE(first.contains("NextToken"));
    auto const second = f_.call(
        "ListGroups", {{"UserPoolId", pool_}, {"Limit", 2}, {"NextToken", first.at("NextToken")}}
    );
    EXPECT_EQ(names(second.at("Groups")), (std::vector<std::string>{"b"}));
    EXPECT_FALSE(second.contains("NextToken"));
}

TEST_F(groups, list_of_a_pool_without_groups_is_empty)
{
    auto const out = f_.call("ListGroups", {{"UserPoolId", pool_}});
    EXPECT_EQ(out, (json{{"Groups", json::array()}}));
}

TEST_F(groups, list_refuses_another_lists_token)
{
    create("a");
    create("b");
    auto const clients = make_client().insert(f_, pool_);
    make_client().insert(f_, pool_);
    auto const page =
        f_.call("ListUserPoolClients", {{"UserPoolId", clients.pool_id}, {"MaxResults", 1}});
    auto const e =
        f_.error_of("ListGroups", {{"UserPoolId", pool_}, {"NextToken", page.at("NextToken")}});
    EXPECT_EQ(e.code(), "InvalidParameterException");
}

TEST_F(groups, membership_is_listed_both_ways_and_adding_twice_changes_nothing)
{
    auto const alice = make_user("alice").insert(f_, pool_);
    auto const bob = make_user("bob").insert(f_, pool_);
    create("readers");
    create("writers");
    add("alice", "writers");
    add("alice", "readers");
    add("alice", "readers");
    add("bob", "READERS");

    auto const of_alice =
        f_.call("AdminListGroupsForUser", {{"UserPoolId", pool_}, {"Username", "alice"}});
    EXPECT_EQ(names(of_alice.at("Groups")), (std::vector<std::string>{"readers", "writers"}));
    auto const readers =
        f_.call("ListUsersInGroup", {{"UserPoolId", pool_}, {"GroupName", "readers"}});
    EXPECT_EQ(names(readers.at("Users"), "Username"), (std::vector<std::string>{"alice", "bob"}));
    EXPECT_EQ(readers.at("Users").at(0).at("UserStatus"), "FORCE_CHANGE_PASSWORD");
    EXPECT_TRUE(readers.at("Users").at(0).contains("Attributes"));
}

TEST_F(groups, membership_lists_page)
{
    for (auto const* name : {"u1", "u2", "u3"})
    {
        make_user(name).insert(f_, pool_);
    }
    create("g");
    for (auto const* name : {"u3", "u1", "u2"})
    {
        add(name, "g");
    }
    auto const first =
        f_.call("ListUsersInGroup", {{"UserPoolId", pool_}, {"GroupName", "g"}, {"Limit", 2}});
    EXPECT_EQ(names(first.at("Users"), "Username"), (std::vector<std::string>{"u1", "u2"}));
    auto const second = f_.call(
        "ListUsersInGroup",
        {{"UserPoolId", pool_}, {"GroupName", "g"}, {"NextToken", first.at("NextToken")}}
    );
    EXPECT_EQ(names(second.at("Users"), "Username"), (std::vector<std::string>{"u3"}));
    EXPECT_FALSE(second.contains("NextToken"));

    create("h");
    add("u1", "h");
    auto const page = f_.call(
        "AdminListGroupsForUser", {{"UserPoolId", pool_}, {"Username", "u1"}, {"Limit", 1}}
    );
    EXPECT_EQ(names(page.at("Groups")), (std::vector<std::string>{"g"}));
    auto const rest = f_.call(
        "AdminListGroupsForUser",
        {{"UserPoolId", pool_}, {"Username", "u1"}, {"NextToken", page.at("NextToken")}}
    );
    EXPECT_EQ(names(rest.at("Groups")), (std::vector<std::string>{"h"}));
}

TEST_F(groups, remove_takes_the_user_out_and_removing_again_changes_nothing)
{
    make_user("alice").insert(f_, pool_);
    create("g");
    add("alice", "g");
    json const input{{"UserPoolId", pool_}, {"Username", "alice"}, {"GroupName", "g"}};
    f_.call("AdminRemoveUserFromGroup", input);
    f_.call("AdminRemoveUserFromGroup", input);
    auto const users = f_.call("ListUsersInGroup", {{"UserPoolId", pool_}, {"GroupName", "g"}});
    EXPECT_TRUE(users.at("Users").empty());
}

TEST_F(groups, membership_calls_name_a_missing_user_or_group)
{
    make_user("alice").insert(f_, pool_);
    create("g");
    for (auto const* op : {"AdminAddUserToGroup", "AdminRemoveUserFromGroup"})
    {
        EXPECT_AWS_ERROR(
            f_,
            op,
            (json{{"UserPoolId", pool_}, {"Username", "nobody"}, {"GroupName", "g"}}),
            "UserNotFoundException",
            "User does not exist."
        );
        EXPECT_AWS_ERROR(
            f_,
            op,
            (json{{"UserPoolId", pool_}, {"Username", "alice"}, {"GroupName", "missing"}}),
            "ResourceNotFoundException",
            "Group not found."
        );
    }
    EXPECT_AWS_ERROR(
        f_,
        "AdminListGroupsForUser",
        (json{{"UserPoolId", pool_}, {"Username", "nobody"}}),
        "UserNotFoundException",
        "User does not exist."
    );
}

TEST_F(groups, deleting_a_group_or_a_user_ends_their_memberships)
{
    make_user("alice").insert(f_, pool_);
    make_user("bob").insert(f_, pool_);
    create("g");
    create("h");
    add("alice", "g");
    add("alice", "h");
    add("bob", "h");
    f_.call("DeleteGroup", {{"UserPoolId", pool_}, {"GroupName", "g"}});
    f_.call("AdminDeleteUser", {{"UserPoolId", pool_}, {"Username", "bob"}});

    auto const of_alice =
        f_.call("AdminListGroupsForUser", {{"UserPoolId", pool_}, {"Username", "alice"}});
    EXPECT_EQ(names(of_alice.at("Groups")), (std::vector<std::string>{"h"}));
    auto const h = f_.call("ListUsersInGroup", {{"UserPoolId", pool_}, {"GroupName", "h"}});
    EXPECT_EQ(names(h.at("Users"), "Username"), (std::vector<std::string>{"alice"}));
    // A group made again under a deleted one's name starts empty.
    create("g");
    auto const g = f_.call("ListUsersInGroup", {{"UserPoolId", pool_}, {"GroupName", "g"}});
    EXPECT_TRUE(g.at("Users").empty());
}

TEST_F(groups, tokens_of_a_user_in_no_group_carry_no_group_claims)
{
    make_user("alice").with_password("Passw0rd!ok").insert(f_, pool_);
    auto const [id, access] = tokens_of("alice");
    for (auto const* claim : {"cognito:groups", "cognito:roles", "cognito:preferred_role"})
    {
        EXPECT_FALSE(id.contains(claim)) << claim;
        EXPECT_FALSE(access.contains(claim)) << claim;
    }
}

TEST_F(groups, tokens_carry_the_groups_best_precedence_first_and_the_roles_in_the_id_token)
{
    make_user("alice").with_password("Passw0rd!ok").insert(f_, pool_);
    create("no-rank");
    create("second", {{"Precedence", 5}, {"RoleArn", role_b}});
    create("first", {{"Precedence", 1}, {"RoleArn", role_a}});
    create("unranked-role", {{"RoleArn", role_a}});
    for (auto const* g : {"no-rank", "second", "first", "unranked-role"})
    {
        add("alice", g);
    }
    auto const [id, access] = tokens_of("alice");
    json const expected_groups = {"first", "second", "no-rank", "unranked-role"};
    EXPECT_EQ(id.at("cognito:groups"), expected_groups);
    EXPECT_EQ(access.at("cognito:groups"), expected_groups);
    EXPECT_EQ(id.at("cognito:roles"), (json{role_a, role_b}));
    EXPECT_EQ(id.at("cognito:preferred_role"), role_a);
    EXPECT_FALSE(access.contains("cognito:roles"));
    EXPECT_FALSE(access.contains("cognito:preferred_role"));
}

TEST_F(groups, a_tie_between_different_roles_gives_no_preferred_role)
{
    make_user("alice").with_password("Passw0rd!ok").insert(f_, pool_);
    create("a", {{"Precedence", 2}, {"RoleArn", role_a}});
    create("b", {{"Precedence", 2}, {"RoleArn", role_b}});
    create("c", {{"Precedence", 0}});
    add("alice", "a");
    add("alice", "b");
    add("alice", "c");
    auto const [id, access] = tokens_of("alice");
    EXPECT_EQ(id.at("cognito:groups"), (json{"c", "a", "b"}));
    EXPECT_EQ(id.at("cognito:roles"), (json{role_a, role_b}));
    EXPECT_FALSE(id.contains("cognito:preferred_role"));
}

TEST_F(groups, a_tie_on_the_same_role_keeps_it_preferred)
{
    make_user("alice").with_password("Passw0rd!ok").insert(f_, pool_);
    create("a", {{"Precedence", 2}, {"RoleArn", role_a}});
    create("b", {{"Precedence", 2}, {"RoleArn", role_a}});
    add("alice", "a");
    add("alice", "b");
    auto const [id, access] = tokens_of("alice");
    EXPECT_EQ(id.at("cognito:roles"), (json{role_a}));
    EXPECT_EQ(id.at("cognito:preferred_role"), role_a);
}

} // namespace
