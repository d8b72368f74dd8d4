#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace
{

using namespace cognitod::testing;

json describe(fixture& f, std::string const& pool_id)
{
    return f.call("DescribeUserPool", {{"UserPoolId", pool_id}}).at("UserPool");
}

json create(fixture& f, json const& input)
{
    return f.call("CreateUserPool", input).at("UserPool");
}

std::vector<std::string> ids_of(json const& pools)
{
    std::vector<std::string> ids;
    for (auto const& p : pools)
    {
        ids.push_back(p.at("Id").get<std::string>());
    }
    return ids;
}

} // namespace

// CreateUserPool

TEST(create_user_pool, makes_the_id_from_the_region_and_nine_characters)
{
    fixture f;
    EXPECT_EQ(create(f, {{"PoolName", "shop"}}).at("Id"), "us-east-1_000000001");
}

TEST(create_user_pool, takes_the_region_from_the_signing_scope)
{
    fixture f;
    f.info.region = "eu-west-1";
    auto const pool = create(f, {{"PoolName", "shop"}});
    EXPECT_EQ(pool.at("Id"), "eu-west-1_000000001");
    EXPECT_EQ(
        pool.at("Arn"), "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_000000001"
    );
}

TEST(create_user_pool, gives_the_arn_of_the_pool)
{
    fixture f;
    EXPECT_EQ(
        create(f, {{"PoolName", "shop"}}).at("Arn"),
        "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_000000001"
    );
}

TEST(create_user_pool, applies_the_default_password_policy)
{
    fixture f;
    auto const pool = create(f, {{"PoolName", "shop"}});
    EXPECT_EQ(
        pool.at("Policies").at("PasswordPolicy"),
        json(
            {{"MinimumLength", 8},
             {"RequireUppercase", true},
             {"RequireLowercase", true},
             {"RequireNumbers", true},
             {"RequireSymbols", true},
             {"TemporaryPasswordValidityDays", 7}}
        )
    );
}

TEST(create_user_pool, keeps_a_given_password_policy_as_given)
{
    fixture f;
    auto const pool = create(
        f, {{"PoolName", "shop"}, {"Policies", {{"PasswordPolicy", {{"MinimumLength", 12}}}}}}
    );
    auto const& policy = pool.at("Policies").at("PasswordPolicy");
    EXPECT_EQ(policy.at("MinimumLength"), 12);
    EXPECT_EQ(policy.at("RequireUppercase"), false);
    EXPECT_EQ(policy.at("RequireSymbols"), false);
}

TEST(create_user_pool, answers_aws_defaults_for_unset_settings)
{
    fixture f;
    auto const pool = create(f, {{"PoolName", "shop"}});
    EXPECT_EQ(pool.at("Name"), "shop");
    EXPECT_EQ(pool.at("MfaConfiguration"), "OFF");
    EXPECT_EQ(pool.at("DeletionProtection"), "INACTIVE");
    EXPECT_EQ(pool.at("LambdaConfig"), json::object());
    EXPECT_EQ(pool.at("EstimatedNumberOfUsers"), 0);
    EXPECT_EQ(
        pool.at("AdminCreateUserConfig"),
        json({{"AllowAdminCreateUserOnly", false}, {"UnusedAccountValidityDays", 7}})
    );
    EXPECT_FALSE(pool.contains("DeviceConfiguration"));
}

TEST(create_user_pool, stamps_creation_and_modification_with_the_same_instant)
{
    fixture f;
    auto const pool = create(f, {{"PoolName", "shop"}});
    EXPECT_DOUBLE_EQ(pool.at("CreationDate").get<double>(), 1715100742.022);
    EXPECT_EQ(pool.at("CreationDate"), pool.at("LastModifiedDate"));
}

TEST(create_user_pool, lists_sub_first_among_the_standard_schema_attributes)
{
    fixture f;
    auto const schema = create(f, {{"PoolName", "shop"}}).at("SchemaAttributes");
    ASSERT_EQ(schema.size(), 20U);
    EXPECT_EQ(
        schema.at(0),
        json(
            {{"Name", "sub"},
             {"AttributeDataType", "String"},
             {"DeveloperOnlyAttribute", false},
             {"Mutable", false},
             {"Required", true},
             {"StringAttributeConstraints", {{"MinLength", "1"}, {"MaxLength", "2048"}}}}
        )
    );
    EXPECT_EQ(schema.at(10).at("Name"), "email");
    EXPECT_EQ(schema.at(19).at("Name"), "updated_at");
}

TEST(create_user_pool, appends_custom_attributes_with_their_prefix)
{
    fixture f;
    auto const schema = create(
                            f,
                            {{"PoolName", "shop"},
                             {"Schema", {{{"Name", "tier"}, {"AttributeDataType", "String"}}}}}
    ).at("SchemaAttributes");
    ASSERT_EQ(schema.size(), 21U);
    EXPECT_EQ(schema.at(20).at("Name"), "custom:tier");
}

TEST(create_user_pool, refuses_both_alias_and_username_attributes)
{
    fixture f;
    EXPECT_AWS_ERROR(
        f,
        "CreateUserPool",
        json(
            {{"PoolName", "shop"},
             {"AliasAttributes", {"email"}},
             {"UsernameAttributes", {"email"}}}
        ),
        "InvalidParameterException",
        "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool."
    );
}

TEST(create_user_pool, requires_a_pool_name)
{
    fixture f;
    EXPECT_AWS_ERROR(
        f,
        "CreateUserPool",
        json::object(),
        "InvalidParameterException",
        "1 validation error detected: Value null at 'poolName' failed to satisfy constraint: "
        "Member must not be null"
    );
}

// DescribeUserPool

TEST(describe_user_pool, rejects_an_unknown_pool)
{
    fixture f;
    EXPECT_AWS_ERROR(
        f,
        "DescribeUserPool",
        json({{"UserPoolId", "us-east-1_AAAAAAAAA"}}),
        "ResourceNotFoundException",
        "User pool us-east-1_AAAAAAAAA does not exist."
    );
}

TEST(describe_user_pool, counts_the_users)
{
    fixture f;
    auto const pool = make_pool().insert(f);
    make_user("alice").insert(f, pool);
    make_user("bob").insert(f, pool);
    EXPECT_EQ(describe(f, pool).at("EstimatedNumberOfUsers"), 2);
}

// DeleteUserPool

TEST(delete_user_pool, removes_the_pool)
{
    fixture f;
    auto const pool = make_pool().insert(f);
    EXPECT_EQ(f.call("DeleteUserPool", {{"UserPoolId", pool}}), json::object());
    EXPECT_EQ(
        f.error_of("DescribeUserPool", {{"UserPoolId", pool}}).code(), "ResourceNotFoundException"
    );
}

TEST(delete_user_pool, is_blocked_by_deletion_protection)
{
    fixture f;
    auto const pool = make_pool().with_deletion_protection().insert(f);
    EXPECT_AWS_ERROR(
        f,
        "DeleteUserPool",
        json({{"UserPoolId", pool}}),
        "InvalidParameterException",
        "The user pool cannot be deleted because deletion protection is activated. Deletion "
        "protection must be inactivated first."
    );
    EXPECT_EQ(describe(f, pool).at("Id"), pool);
}

TEST(delete_user_pool, rejects_an_unknown_pool)
{
    fixture f;
    EXPECT_AWS_ERROR(
        f,
        "DeleteUserPool",
        json({{"UserPoolId", "us-east-1_AAAAAAAAA"}}),
        "ResourceNotFoundException",
        "User pool us-east-1_AAAAAAAAA does not exist."
    );
}

// UpdateUserPool

TEST(update_user_pool, keeps_the_schema_attributes)
{
    fixture f;
    auto const pool =
        make_pool().with("Schema", {{{"Name", "tier"}, {"AttributeDataType", "String"}}}).insert(f);
    auto const before = describe(f, pool).at("SchemaAttributes");
    f.call("UpdateUserPool", {{"UserPoolId", pool}, {"MfaConfiguration", "OFF"}});
    EXPECT_EQ(describe(f, pool).at("SchemaAttributes"), before);
}

TEST(update_user_pool, keeps_sign_in_settings_that_cannot_change)
{
    fixture f;
    auto const pool = make_pool().with_email_username().case_insensitive().insert(f);
    f.call("UpdateUserPool", {{"UserPoolId", pool}});
    auto const after = describe(f, pool);
    EXPECT_EQ(after.at("UsernameAttributes"), json({"email"}));
    EXPECT_EQ(after.at("UsernameConfiguration"), json({{"CaseSensitive", false}}));
}

TEST(update_user_pool, resets_omitted_settings_to_their_defaults)
{
    fixture f;
    auto const pool = make_pool()
                          .with_device_tracking()
                          .with("Policies", {{"PasswordPolicy", {{"MinimumLength", 12}}}})
                          .with("DeletionProtection", "ACTIVE")
                          .insert(f);
    f.call("UpdateUserPool", {{"UserPoolId", pool}, {"MfaConfiguration", "OFF"}});
    auto const after = describe(f, pool);
    EXPECT_FALSE(after.contains("DeviceConfiguration"));
    EXPECT_EQ(after.at("Policies").at("PasswordPolicy").at("MinimumLength"), 8);
    EXPECT_EQ(after.at("Policies").at("PasswordPolicy").at("RequireSymbols"), true);
    EXPECT_EQ(after.at("DeletionProtection"), "INACTIVE");
}

TEST(update_user_pool, sets_what_it_is_given)
{
    fixture f;
    auto const pool = make_pool().insert(f);
    f.call(
        "UpdateUserPool",
        {{"UserPoolId", pool},
         {"DeletionProtection", "ACTIVE"},
         {"DeviceConfiguration", {{"ChallengeRequiredOnNewDevice", true}}}}
    );
    auto const after = describe(f, pool);
    EXPECT_EQ(after.at("DeletionProtection"), "ACTIVE");
    EXPECT_EQ(after.at("DeviceConfiguration"), json({{"ChallengeRequiredOnNewDevice", true}}));
}

TEST(update_user_pool, renames_the_pool_when_given_a_name)
{
    fixture f;
    auto const pool = make_pool().named("before").insert(f);
    f.call("UpdateUserPool", {{"UserPoolId", pool}, {"PoolName", "after"}});
    EXPECT_EQ(describe(f, pool).at("Name"), "after");
}

TEST(update_user_pool, moves_the_last_modified_date_but_not_the_creation_date)
{
    fixture f;
    auto const pool = make_pool().insert(f);
    f.time.now = t0 + 3'600'000;
    f.call("UpdateUserPool", {{"UserPoolId", pool}});
    auto const after = describe(f, pool);
    EXPECT_DOUBLE_EQ(after.at("CreationDate").get<double>(), 1715100742.022);
    EXPECT_DOUBLE_EQ(after.at("LastModifiedDate").get<double>(), 1715104342.022);
}

TEST(update_user_pool, refuses_verification_before_update_without_auto_verification)
{
    fixture f;
    auto const pool = make_pool().insert(f);
    EXPECT_AWS_ERROR(
        f,
        "UpdateUserPool",
        json(
            {{"UserPoolId", pool},
             {"UserAttributeUpdateSettings",
              {{"AttributesRequireVerificationBeforeUpdate", {"email"}}}}}
        ),
        "InvalidParameterException",
        "All attributes in AttributesRequireVerificationBeforeUpdate must exist in "
        "AutoVerifiedAttributes"
    );
}

TEST(update_user_pool, accepts_update_settings_without_the_verification_list)
{
    fixture f;
    auto const pool = make_pool().with("UserAttributeUpdateSettings", json::object()).insert(f);
    f.call(
        "UpdateUserPool", {{"UserPoolId", pool}, {"UserAttributeUpdateSettings", json::object()}}
    );
    EXPECT_EQ(describe(f, pool).at("UserAttributeUpdateSettings"), json::object());
}

// ListUserPools

TEST(list_user_pools, pages_in_creation_order)
{
    fixture f;
    std::vector<std::string> created;
    for (auto const* name : {"c", "a", "b"})
    {
        created.push_back(make_pool().named(name).insert(f));
    }
    auto const first = f.call("ListUserPools", {{"MaxResults", 2}});
    EXPECT_EQ(ids_of(first.at("UserPools")), (std::vector<std::string>{created[0], created[1]}));
    ASSERT_TRUE(first.contains("NextToken"));
    auto const second =
        f.call("ListUserPools", {{"MaxResults", 2}, {"NextToken", first.at("NextToken")}});
    EXPECT_EQ(ids_of(second.at("UserPools")), (std::vector<std::string>{created[2]}));
    EXPECT_FALSE(second.contains("NextToken"));
}

TEST(list_user_pools, shows_the_summary_members_without_status)
{
    fixture f;
    auto const pool = make_pool().named("shop").insert(f);
    auto const item = f.call("ListUserPools", {{"MaxResults", 60}}).at("UserPools").at(0);
    EXPECT_EQ(
        item,
        json(
            {{"Id", pool},
             {"Name", "shop"},
             {"LambdaConfig", json::object()},
             {"LastModifiedDate", 1715100742.022},
             {"CreationDate", 1715100742.022}}
        )
    );
}

TEST(list_user_pools, requires_max_results)
{
    fixture f;
    EXPECT_AWS_ERROR(
        f,
        "ListUserPools",
        json::object(),
        "InvalidParameterException",
        "1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: "
        "Member must not be null"
    );
}

TEST(list_user_pools, refuses_a_token_from_another_list)
{
    fixture f;
    auto const pool = make_pool().insert(f);
    make_user("alice").insert(f, pool);
    make_user("bob").insert(f, pool);
    auto const token =
        f.call("ListUsers", {{"UserPoolId", pool}, {"Limit", 1}}).at("PaginationToken");
    EXPECT_EQ(
        f.error_of("ListUserPools", {{"MaxResults", 1}, {"NextToken", token}}).code(),
        "InvalidParameterException"
    );
}
