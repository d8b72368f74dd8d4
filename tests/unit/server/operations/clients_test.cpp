#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace
{

using namespace cognitod::testing;

constexpr char const* unknown_client = "0123456789abcdefghijklmnop";

std::set<std::string> keys_of(json const& object)
{
    std::set<std::string> keys;
    for (auto const& [key, value] : object.items())
    {
        keys.insert(key);
    }
    return keys;
}

bool lower_alphanumeric(std::string const& text)
{
    return text.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyz") == std::string::npos;
}

class clients : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().insert(f_);

    json create(json input = json::object())
    {
        input["UserPoolId"] = pool_;
        input.emplace("ClientName", "web");
        return f_.call("CreateUserPoolClient", input).at("UserPoolClient");
    }

    json describe(std::string const& client_id)
    {
        return f_.call(
                     "DescribeUserPoolClient", {{"UserPoolId", pool_}, {"ClientId", client_id}}
        ).at("UserPoolClient");
    }

    json update(std::string const& client_id, json input = json::object())
    {
        input["UserPoolId"] = pool_;
        input["ClientId"] = client_id;
        return f_.call("UpdateUserPoolClient", input).at("UserPoolClient");
    }

    json list(json input = json::object())
    {
        input["UserPoolId"] = pool_;
        return f_.call("ListUserPoolClients", input);
    }

    void expect_invalid_validity(json const& input)
    {
        auto with_pool = input;
        with_pool["UserPoolId"] = pool_;
        with_pool.emplace("ClientName", "web");
        EXPECT_AWS_ERROR(
            f_,
            "CreateUserPoolClient",
            with_pool,
            "InvalidParameterException",
            "Invalid range for token validity."
        );
    }
};

} // namespace

// CreateUserPoolClient

TEST_F(clients, create_answers_only_the_members_aws_shows_for_a_minimal_client)
{
    EXPECT_EQ(
        keys_of(create()),
        (std::set<std::string>{
            "UserPoolId",
            "ClientName",
            "ClientId",
            "LastModifiedDate",
            "CreationDate",
            "RefreshTokenValidity",
            "TokenValidityUnits",
            "AllowedOAuthFlowsUserPoolClient",
            "EnableTokenRevocation",
            "EnablePropagateAdditionalUserContextData",
            "AuthSessionValidity",
        })
    );
}

TEST_F(clients, create_fills_in_aws_defaults)
{
    auto const client = create();
    EXPECT_EQ(client.at("UserPoolId"), pool_);
    EXPECT_EQ(client.at("ClientName"), "web");
    EXPECT_EQ(client.at("RefreshTokenValidity"), 30);
    EXPECT_EQ(client.at("TokenValidityUnits"), json::object());
    EXPECT_EQ(client.at("EnableTokenRevocation"), true);
    EXPECT_EQ(client.at("AuthSessionValidity"), 3);
    EXPECT_EQ(client.at("AllowedOAuthFlowsUserPoolClient"), false);
    EXPECT_EQ(client.at("EnablePropagateAdditionalUserContextData"), false);
}

TEST_F(clients, create_dates_the_client_with_the_clock)
{
    auto const client = create();
    EXPECT_DOUBLE_EQ(client.at("CreationDate").get<double>(), 1715100742.022);
    EXPECT_EQ(client.at("LastModifiedDate"), client.at("CreationDate"));
}

TEST_F(clients, client_id_is_26_lower_case_alphanumerics)
{
    auto const id = create().at("ClientId").get<std::string>();
    EXPECT_EQ(id.size(), 26U);
    EXPECT_TRUE(lower_alphanumeric(id)) << id;
}

TEST_F(clients, two_clients_get_different_ids)
{
    EXPECT_NE(create().at("ClientId"), create().at("ClientId"));
}

TEST_F(clients, create_has_no_client_secret_unless_asked)
{
    EXPECT_FALSE(create().contains("ClientSecret"));
    EXPECT_FALSE(create({{"GenerateSecret", false}}).contains("ClientSecret"));
}

TEST_F(clients, generate_secret_makes_a_52_character_lower_alphanumeric_secret)
{
    auto const secret = create({{"GenerateSecret", true}}).at("ClientSecret").get<std::string>();
    EXPECT_EQ(secret.size(), 52U);
    EXPECT_TRUE(lower_alphanumeric(secret)) << secret;
}

TEST_F(clients, describe_shows_the_generated_secret)
{
    auto const created = create({{"GenerateSecret", true}});
    EXPECT_EQ(describe(created.at("ClientId")).at("ClientSecret"), created.at("ClientSecret"));
}

TEST_F(clients, create_echoes_explicit_auth_flows_in_the_order_given)
{
    json const flows{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"};
    EXPECT_EQ(create({{"ExplicitAuthFlows", flows}}).at("ExplicitAuthFlows"), flows);
}

TEST_F(clients, create_echoes_token_validity_as_given_without_units)
{
    auto const client = create({{"AccessTokenValidity", 3}, {"IdTokenValidity", 5}});
    EXPECT_EQ(client.at("AccessTokenValidity"), 3);
    EXPECT_EQ(client.at("IdTokenValidity"), 5);
    EXPECT_EQ(client.at("TokenValidityUnits"), json::object());
}

TEST_F(clients, create_echoes_only_the_units_given)
{
    auto const client =
        create({{"AccessTokenValidity", 30}, {"TokenValidityUnits", {{"AccessToken", "minutes"}}}});
    EXPECT_EQ(client.at("TokenValidityUnits"), (json{{"AccessToken", "minutes"}}));
}

TEST_F(clients, refresh_token_validity_zero_means_the_default_30)
{
    EXPECT_EQ(create({{"RefreshTokenValidity", 0}}).at("RefreshTokenValidity"), 30);
}

TEST_F(clients, create_keeps_a_given_refresh_token_validity)
{
    EXPECT_EQ(create({{"RefreshTokenValidity", 7}}).at("RefreshTokenValidity"), 7);
}

TEST_F(clients, create_keeps_enable_token_revocation_false)
{
    EXPECT_EQ(create({{"EnableTokenRevocation", false}}).at("EnableTokenRevocation"), false);
}

TEST_F(clients, create_keeps_prevent_user_existence_errors_when_given)
{
    EXPECT_EQ(
        create({{"PreventUserExistenceErrors", "ENABLED"}}).at("PreventUserExistenceErrors"),
        "ENABLED"
    );
}

TEST_F(clients, read_attributes_come_back_sorted)
{
    json const custom_tier{{"Name", "tier"}, {"AttributeDataType", "String"}};
    pool_ = make_pool().named("custom").with("Schema", json::array({custom_tier})).insert(f_);
    auto const client = create({{"ReadAttributes", {"name", "email", "custom:tier", "address"}}});
    EXPECT_EQ(client.at("ReadAttributes"), (json{"address", "custom:tier", "email", "name"}));
}

TEST_F(clients, create_rejects_a_read_attribute_the_pool_does_not_have)
{
    EXPECT_AWS_ERROR(
        f_,
        "CreateUserPoolClient",
        (json{
            {"UserPoolId", pool_},
            {"ClientName", "web"},
            {"ReadAttributes", {"email", "favourite_colour"}}}),
        "InvalidParameterException",
        "Invalid read attributes specified while creating a client"
    );
}

TEST_F(clients, create_rejects_a_write_attribute_the_pool_does_not_have)
{
    EXPECT_AWS_ERROR(
        f_,
        "CreateUserPoolClient",
        (json{{"UserPoolId", pool_}, {"ClientName", "web"}, {"WriteAttributes", {"custom:missing"}}}
        ),
        "InvalidParameterException",
        "Invalid write attributes specified while creating a client"
    );
}

TEST_F(clients, create_rejects_a_client_of_an_unknown_pool)
{
    EXPECT_AWS_ERROR(
        f_,
        "CreateUserPoolClient",
        (json{{"UserPoolId", "us-east-1_AAAAAAAAA"}, {"ClientName", "web"}}),
        "ResourceNotFoundException",
        "User pool us-east-1_AAAAAAAAA does not exist."
    );
}

// Token validity ranges

TEST_F(clients, an_access_token_of_4_minutes_is_out_of_range)
{
    expect_invalid_validity(
        {{"AccessTokenValidity", 4}, {"TokenValidityUnits", {{"AccessToken", "minutes"}}}}
    );
}

TEST_F(clients, an_access_token_of_5_minutes_is_in_range)
{
    auto const client =
        create({{"AccessTokenValidity", 5}, {"TokenValidityUnits", {{"AccessToken", "minutes"}}}});
    EXPECT_EQ(client.at("AccessTokenValidity"), 5);
}

TEST_F(clients, an_access_token_of_one_day_is_in_range)
{
    auto const client =
        create({{"AccessTokenValidity", 1}, {"TokenValidityUnits", {{"AccessToken", "days"}}}});
    EXPECT_EQ(client.at("AccessTokenValidity"), 1);
}

TEST_F(clients, an_access_token_of_25_hours_is_out_of_range)
{
    expect_invalid_validity({{"AccessTokenValidity", 25}});
}

TEST_F(clients, an_id_token_of_1441_minutes_is_out_of_range)
{
    expect_invalid_validity(
        {{"IdTokenValidity", 1441}, {"TokenValidityUnits", {{"IdToken", "minutes"}}}}
    );
}

TEST_F(clients, a_refresh_token_of_11_years_is_out_of_range)
{
    expect_invalid_validity({{"RefreshTokenValidity", 11 * 365}});
}

TEST_F(clients, a_refresh_token_of_10_years_is_in_range)
{
    EXPECT_EQ(create({{"RefreshTokenValidity", 3650}}).at("RefreshTokenValidity"), 3650);
}

TEST_F(clients, a_refresh_token_of_59_minutes_is_out_of_range)
{
    expect_invalid_validity(
        {{"RefreshTokenValidity", 59}, {"TokenValidityUnits", {{"RefreshToken", "minutes"}}}}
    );
}

TEST_F(clients, a_unit_without_its_value_applies_to_the_default_value)
{
    // The default IdTokenValidity of 1, read in minutes, is below the 5-minute floor.
    expect_invalid_validity({{"TokenValidityUnits", {{"IdToken", "minutes"}}}});
}

// ExplicitAuthFlows

TEST_F(clients, create_rejects_legacy_flows_mixed_with_allow_flows)
{
    auto const error = f_.error_of(
        "CreateUserPoolClient",
        {{"UserPoolId", pool_},
         {"ClientName", "web"},
         {"ExplicitAuthFlows", {"ADMIN_NO_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}}
    );
    EXPECT_EQ(error.code(), "InvalidParameterException");
    EXPECT_NE(std::string{error.what()}.find("ExplicitAuthFlows"), std::string::npos)
        << error.what();
}

TEST_F(clients, create_accepts_legacy_flows_on_their_own)
{
    json const flows{"ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH"};
    EXPECT_EQ(create({{"ExplicitAuthFlows", flows}}).at("ExplicitAuthFlows"), flows);
}

TEST_F(clients, create_rejects_an_unknown_flow_name)
{
    auto const error = f_.error_of(
        "CreateUserPoolClient",
        {{"UserPoolId", pool_},
         {"ClientName", "web"},
         {"ExplicitAuthFlows", {"ADMIN_USER_PASSWORD_AUTH"}}}
    );
    EXPECT_EQ(error.code(), "InvalidParameterException");
}

// DescribeUserPoolClient

TEST_F(clients, describe_returns_what_create_returned)
{
    auto const created = create(
        {{"ExplicitAuthFlows", {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}},
         {"ReadAttributes", {"email"}},
         {"AccessTokenValidity", 2}}
    );
    EXPECT_EQ(describe(created.at("ClientId")), created);
}

TEST_F(clients, describe_rejects_an_unknown_client)
{
    EXPECT_AWS_ERROR(
        f_,
        "DescribeUserPoolClient",
        (json{{"UserPoolId", pool_}, {"ClientId", unknown_client}}),
        "ResourceNotFoundException",
        std::string{"User pool client "} + unknown_client + " does not exist."
    );
}

TEST_F(clients, describe_does_not_find_a_client_of_another_pool)
{
    auto const other_pool = make_pool().named("other").insert(f_);
    auto const id = create().at("ClientId").get<std::string>();
    EXPECT_AWS_ERROR(
        f_,
        "DescribeUserPoolClient",
        (json{{"UserPoolId", other_pool}, {"ClientId", id}}),
        "ResourceNotFoundException",
        "User pool client " + id + " does not exist."
    );
}

TEST_F(clients, describe_rejects_an_unknown_pool)
{
    auto const id = create().at("ClientId").get<std::string>();
    EXPECT_AWS_ERROR(
        f_,
        "DescribeUserPoolClient",
        (json{{"UserPoolId", "us-east-1_AAAAAAAAA"}, {"ClientId", id}}),
        "ResourceNotFoundException",
        "User pool us-east-1_AAAAAAAAA does not exist."
    );
}

// ListUserPoolClients

TEST_F(clients, list_shows_id_pool_and_name_in_creation_order)
{
    auto const first = create({{"ClientName", "first"}, {"GenerateSecret", true}});
    auto const second = create({{"ClientName", "second"}});
    EXPECT_EQ(
        list(),
        (json{
            {"UserPoolClients",
             {{{"ClientId", first.at("ClientId")}, {"UserPoolId", pool_}, {"ClientName", "first"}},
              {{"ClientId", second.at("ClientId")},
               {"UserPoolId", pool_},
               {"ClientName", "second"}}}}})
    );
}

TEST_F(clients, list_of_a_pool_without_clients_is_empty)
{
    EXPECT_EQ(list(), (json{{"UserPoolClients", json::array()}}));
}

TEST_F(clients, list_shows_only_the_pools_own_clients)
{
    auto const other_pool = make_pool().named("other").insert(f_);
    make_client().insert(f_, other_pool);
    auto const mine = create().at("ClientId");
    auto const listed = list().at("UserPoolClients");
    ASSERT_EQ(listed.size(), 1U);
    EXPECT_EQ(listed.at(0).at("ClientId"), mine);
}

TEST_F(clients, list_pages_with_max_results_and_next_token)
{
    auto const a = create({{"ClientName", "a"}}).at("ClientId");
    auto const b = create({{"ClientName", "b"}}).at("ClientId");
    auto const c = create({{"ClientName", "c"}}).at("ClientId");
    auto const page1 = list({{"MaxResults", 2}});
    ASSERT_EQ(page1.at("UserPoolClients").size(), 2U);
    EXPECT_EQ(page1.at("UserPoolClients").at(0).at("ClientId"), a);
    EXPECT_EQ(page1.at("UserPoolClients").at(1).at("ClientId"), b);
    ASSERT_TRUE(page1.contains("NextToken"));
    auto const page2 = list({{"MaxResults", 2}, {"NextToken", page1.at("NextToken")}});
    ASSERT_EQ(page2.at("UserPoolClients").size(), 1U);
    EXPECT_EQ(page2.at("UserPoolClients").at(0).at("ClientId"), c);
    EXPECT_FALSE(page2.contains("NextToken"));
}

TEST_F(clients, list_gives_no_next_token_when_the_page_holds_the_rest)
{
    create();
    create();
    EXPECT_FALSE(list({{"MaxResults", 2}}).contains("NextToken"));
}

TEST_F(clients, list_refuses_a_next_token_from_another_pools_list)
{
    auto const other_pool = make_pool().named("other").insert(f_);
    make_client().insert(f_, other_pool);
    make_client().insert(f_, other_pool);
    auto const token = f_.call(
                             "ListUserPoolClients", {{"UserPoolId", other_pool}, {"MaxResults", 1}}
    ).at("NextToken");
    auto const error = f_.error_of(
        "ListUserPoolClients", {{"UserPoolId", pool_}, {"MaxResults", 1}, {"NextToken", token}}
    );
    EXPECT_EQ(error.code(), "InvalidParameterException");
}

// UpdateUserPoolClient

TEST_F(clients, update_resets_the_settings_it_omits)
{
    auto const id =
        create({{"ExplicitAuthFlows", {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}},
                {"AccessTokenValidity", 2},
                {"RefreshTokenValidity", 5},
                {"EnableTokenRevocation", false},
                {"ReadAttributes", {"email"}},
                {"AuthSessionValidity", 10}})
            .at("ClientId")
            .get<std::string>();
    update(id, {{"ClientName", "renamed"}});
    auto const client = describe(id);
    EXPECT_FALSE(client.contains("ExplicitAuthFlows"));
    EXPECT_FALSE(client.contains("AccessTokenValidity"));
    EXPECT_FALSE(client.contains("ReadAttributes"));
    EXPECT_EQ(client.at("RefreshTokenValidity"), 30);
    EXPECT_EQ(client.at("EnableTokenRevocation"), true);
    EXPECT_EQ(client.at("AuthSessionValidity"), 3);
    EXPECT_EQ(client.at("ClientName"), "renamed");
}

TEST_F(clients, update_sets_what_it_is_given)
{
    auto const id = create().at("ClientId").get<std::string>();
    auto const updated = update(
        id, {{"ExplicitAuthFlows", {"ALLOW_ADMIN_USER_PASSWORD_AUTH"}}, {"IdTokenValidity", 12}}
    );
    EXPECT_EQ(updated.at("ExplicitAuthFlows"), (json{"ALLOW_ADMIN_USER_PASSWORD_AUTH"}));
    EXPECT_EQ(updated.at("IdTokenValidity"), 12);
    EXPECT_EQ(describe(id), updated);
}

TEST_F(clients, update_keeps_the_client_secret)
{
    auto const created = create({{"GenerateSecret", true}});
    auto const id = created.at("ClientId").get<std::string>();
    EXPECT_EQ(update(id).at("ClientSecret"), created.at("ClientSecret"));
    EXPECT_EQ(describe(id).at("ClientSecret"), created.at("ClientSecret"));
}

TEST_F(clients, update_moves_last_modified_but_not_creation_date)
{
    auto const id = create().at("ClientId").get<std::string>();
    f_.time.now = t0 + 5000;
    auto const updated = update(id);
    EXPECT_DOUBLE_EQ(updated.at("CreationDate").get<double>(), 1715100742.022);
    EXPECT_DOUBLE_EQ(updated.at("LastModifiedDate").get<double>(), 1715100747.022);
}

TEST_F(clients, update_checks_token_validity)
{
    auto const id = create().at("ClientId").get<std::string>();
    EXPECT_AWS_ERROR(
        f_,
        "UpdateUserPoolClient",
        (json{{"UserPoolId", pool_}, {"ClientId", id}, {"AccessTokenValidity", 48}}),
        "InvalidParameterException",
        "Invalid range for token validity."
    );
    EXPECT_FALSE(describe(id).contains("AccessTokenValidity"));
}

TEST_F(clients, update_rejects_an_unknown_client)
{
    EXPECT_AWS_ERROR(
        f_,
        "UpdateUserPoolClient",
        (json{{"UserPoolId", pool_}, {"ClientId", unknown_client}}),
        "ResourceNotFoundException",
        std::string{"User pool client "} + unknown_client + " does not exist."
    );
}

// DeleteUserPoolClient

TEST_F(clients, delete_answers_an_empty_object)
{
    auto const id = create().at("ClientId").get<std::string>();
    EXPECT_EQ(
        f_.call("DeleteUserPoolClient", {{"UserPoolId", pool_}, {"ClientId", id}}), json::object()
    );
}

TEST_F(clients, a_deleted_client_is_gone)
{
    auto const id = create().at("ClientId").get<std::string>();
    f_.call("DeleteUserPoolClient", {{"UserPoolId", pool_}, {"ClientId", id}});
    EXPECT_AWS_ERROR(
        f_,
        "DescribeUserPoolClient",
        (json{{"UserPoolId", pool_}, {"ClientId", id}}),
        "ResourceNotFoundException",
        "User pool client " + id + " does not exist."
    );
    EXPECT_EQ(list().at("UserPoolClients"), json::array());
}

TEST_F(clients, delete_through_another_pool_leaves_the_client)
{
    auto const other_pool = make_pool().named("other").insert(f_);
    auto const id = create().at("ClientId").get<std::string>();
    EXPECT_AWS_ERROR(
        f_,
        "DeleteUserPoolClient",
        (json{{"UserPoolId", other_pool}, {"ClientId", id}}),
        "ResourceNotFoundException",
        "User pool client " + id + " does not exist."
    );
    EXPECT_EQ(describe(id).at("ClientId"), id);
}

TEST_F(clients, delete_rejects_an_unknown_client)
{
    EXPECT_AWS_ERROR(
        f_,
        "DeleteUserPoolClient",
        (json{{"UserPoolId", pool_}, {"ClientId", unknown_client}}),
        "ResourceNotFoundException",
        std::string{"User pool client "} + unknown_client + " does not exist."
    );
}
