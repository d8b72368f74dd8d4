// CreateUserPool, DescribeUserPool, ListUserPools, UpdateUserPool, DeleteUserPool.
#include "server/operations/pools/user_pools.hpp"

#include "server/operations/common.hpp"
#include "server/operations/pools/pool_schema.hpp"

namespace cognitod
{

namespace
{

// Members of the pool's configuration that UpdateUserPool replaces (or resets to default when
// absent); everything else set at creation stays as it was.
constexpr std::string_view updatable_members[] = {
    "Policies",
    "DeletionProtection",
    "LambdaConfig",
    "AutoVerifiedAttributes",
    "SmsVerificationMessage",
    "EmailVerificationMessage",
    "EmailVerificationSubject",
    "VerificationMessageTemplate",
    "SmsAuthenticationMessage",
    "UserAttributeUpdateSettings",
    "MfaConfiguration",
    "DeviceConfiguration",
    "EmailConfiguration",
    "SmsConfiguration",
    "UserPoolTags",
    "AdminCreateUserConfig",
    "UserPoolAddOns",
    "AccountRecoverySetting",
    "PoolSuspendedAttributeUpdateSettings",
    "UserPoolTier",
};

json default_password_policy()
{
    return {
        {"MinimumLength", 8},
        {"RequireUppercase", true},
        {"RequireLowercase", true},
        {"RequireNumbers", true},
        {"RequireSymbols", true},
        {"TemporaryPasswordValidityDays", 7},
    };
}

// The updatable part of the configuration: what the input says, else AWS's defaults.
json mutable_settings(json const& input)
{
    json settings = json::object();
    for (auto member : updatable_members)
    {
        if (auto it = input.find(member); it != input.end() && !it->is_null())
        {
            settings[std::string{member}] = *it;
        }
    }
    json policy = default_password_policy();
    if (auto it = input.find("Policies"); it != input.end() && it->contains("PasswordPolicy"))
    {
        // A given policy stands as given: unset requirements are off, as in Cognito.
        auto const& given = it->at("PasswordPolicy");
        policy = {
            {"MinimumLength", given.value("MinimumLength", 8)},
            {"RequireUppercase", given.value("RequireUppercase", false)},
            {"RequireLowercase", given.value("RequireLowercase", false)},
            {"RequireNumbers", given.value("RequireNumbers", false)},
            {"RequireSymbols", given.value("RequireSymbols", false)},
            {"TemporaryPasswordValidityDays", given.value("TemporaryPasswordValidityDays", 7)},
        };
        if (given.contains("PasswordHistorySize"))
        {
            policy["PasswordHistorySize"] = given.at("PasswordHistorySize");
        }
    }
    json policies = input.value("Policies", json::object());
    policies["PasswordPolicy"] = policy;
    settings["Policies"] = policies;
    settings.emplace("DeletionProtection", "INACTIVE");
    settings.emplace("LambdaConfig", json::object());
    settings.emplace("MfaConfiguration", "OFF");
    settings.emplace(
        "VerificationMessageTemplate", json{{"DefaultEmailOption", "CONFIRM_WITH_CODE"}}
    );
    settings.emplace(
        "UserAttributeUpdateSettings",
        json{{"AttributesRequireVerificationBeforeUpdate", json::array()}}
    );
    settings.emplace("EmailConfiguration", json{{"EmailSendingAccount", "COGNITO_DEFAULT"}});
    settings.emplace("UserPoolTags", json::object());
    json admin = input.value("AdminCreateUserConfig", json::object());
    admin.emplace("AllowAdminCreateUserOnly", false);
    admin.emplace("UnusedAccountValidityDays", policy.value("TemporaryPasswordValidityDays", 7));
    settings["AdminCreateUserConfig"] = admin;
    settings.emplace(
        "AccountRecoverySetting",
        json{
            {"RecoveryMechanisms",
             json::array(
                 {{{"Priority", 1}, {"Name", "verified_email"}},
                  {{"Priority", 2}, {"Name", "verified_phone_number"}}}
             )}}
    );
    settings.emplace("UserPoolTier", "ESSENTIALS");
    return settings;
}

void check_update_settings(json const& settings)
{
    // value(), not operator[]: the list is optional, and a const json's operator[] is undefined
    // for a missing member.
    auto const required = settings.at("UserAttributeUpdateSettings")
                              .value("AttributesRequireVerificationBeforeUpdate", json::array());
    auto const verified = settings.value("AutoVerifiedAttributes", json::array());
    for (auto const& attr : required)
    {
        if (std::find(verified.begin(), verified.end(), attr) == verified.end())
        {
            throw errors::invalid_parameter(
                "All attributes in AttributesRequireVerificationBeforeUpdate must exist in "
                "AutoVerifiedAttributes"
            );
        }
    }
}

json create_user_pool(request_context& ctx, json const& input)
{
    auto const pool = create_pool(ctx, input, std::nullopt);
    return {{"UserPool", describe_pool(ctx, pool)}};
}

json describe_user_pool(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    return {{"UserPool", describe_pool(ctx, pool)}};
}

json list_user_pools(request_context& ctx, json const& input)
{
    auto const after = read_page_token(ctx, input, "NextToken", "pools");
    auto const limit = page_size(input, "MaxResults", 60);
    auto pools = ctx.store.list_user_pools(after, limit + 1);
    json out = json::object();
    if (pools.size() > limit)
    {
        pools.pop_back();
        out["NextToken"] = make_page_token("pools", pools.back().seq);
    }
    json list = json::array();
    for (auto const& pool : pools)
    {
        list.push_back({
            {"Id", pool.id},
            {"Name", pool.name},
            {"LambdaConfig", pool.settings->value("LambdaConfig", json::object())},
            {"LastModifiedDate", epoch_seconds(pool.last_modified)},
            {"CreationDate", epoch_seconds(pool.created)},
        });
    }
    out["UserPools"] = std::move(list);
    return out;
}

json update_user_pool(request_context& ctx, json const& input)
{
    auto pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    json settings = mutable_settings(input);
    check_update_settings(settings);
    // What UpdateUserPool cannot change stays: the schema, sign-in names, case sensitivity.
    for (auto const& [key, value] : pool.settings->items())
    {
        bool const updatable =
            std::find(std::begin(updatable_members), std::end(updatable_members), key) !=
            std::end(updatable_members);
        if (!updatable)
        {
            settings[key] = value;
        }
    }
    if (auto name = input.find("PoolName"); name != input.end() && name->is_string())
    {
        pool.name = name->get<std::string>();
    }
    pool.settings = std::move(settings);
    pool.last_modified = ctx.now_ms;
    ctx.store.update_user_pool(pool);
    return json::object();
}

json delete_user_pool(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    if (pool.settings->value("DeletionProtection", "INACTIVE") == "ACTIVE")
    {
        throw errors::invalid_parameter(
            "The user pool cannot be deleted because deletion protection is activated. Deletion "
            "protection must be inactivated first."
        );
    }
    ctx.store.delete_user_pool(pool.seq);
    return json::object();
}

} // namespace

storage::user_pool
create_pool(request_context& ctx, json const& input, std::optional<std::string> const& fixed_id)
{
    if (input.contains("UsernameAttributes") && input.contains("AliasAttributes"))
    {
        throw errors::invalid_parameter(
            "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool."
        );
    }
    json settings = mutable_settings(input);
    check_update_settings(settings);
    settings["SchemaAttributes"] = build_schema(list_member(input, "Schema"));
    for (std::string_view member :
         {"AliasAttributes", "UsernameAttributes", "UsernameConfiguration"})
    {
        if (auto it = input.find(member); it != input.end() && !it->is_null())
        {
            settings[std::string{member}] = *it;
        }
    }

    storage::user_pool pool;
    pool.id = fixed_id ? *fixed_id : ctx.region + "_" + ctx.ids.alphanumeric(9);
    pool.name = input.at("PoolName").get<std::string>();
    pool.created = ctx.now_ms;
    pool.last_modified = ctx.now_ms;
    pool.settings = std::move(settings);
    pool.seq = ctx.store.insert_user_pool(pool);
    ctx.keys.assign(ctx.store, pool.seq, pool.id);
    return pool;
}

json describe_pool(request_context& ctx, storage::user_pool const& pool)
{
    json out = *pool.settings;
    // The MFA factors' settings belong to GetUserPoolMfaConfig, not to the UserPool shape.
    for (auto member :
         {"SmsMfaConfiguration", "SoftwareTokenMfaConfiguration", "EmailMfaConfiguration"})
    {
        out.erase(member);
    }
    out["Id"] = pool.id;
    out["Name"] = pool.name;
    out["LastModifiedDate"] = epoch_seconds(pool.last_modified);
    out["CreationDate"] = epoch_seconds(pool.created);
    out["EstimatedNumberOfUsers"] = ctx.store.count_users(pool.seq);
    for (auto const& d : ctx.store.domains_of_pool(pool.seq))
    {
        out[d.custom ? "CustomDomain" : "Domain"] = d.domain;
    }
    out["Arn"] = "arn:aws:cognito-idp:" + std::string{pool_region(pool.id)} + ":" + ctx.account_id +
                 ":userpool/" + pool.id;
    return out;
}

std::vector<operation_entry> user_pool_operations()
{
    return {
        {"CreateUserPool", &create_user_pool, access::write},
        {"DescribeUserPool", &describe_user_pool, access::read},
        {"ListUserPools", &list_user_pools, access::read},
        {"UpdateUserPool", &update_user_pool, access::write},
        {"DeleteUserPool", &delete_user_pool, access::write},
    };
}

} // namespace cognitod
