// The password steps: USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH, and NEW_PASSWORD_REQUIRED
// for a user whose password an administrator set.
#include "server/auth/passwords.hpp"
#include "server/operations/common.hpp"
#include "server/operations/pools/pool_schema.hpp"
#include "server/operations/sign_in/flow.hpp"

#include <algorithm>

namespace cognitod
{

namespace
{

// Required schema attributes the user has no value for, as "userAttributes.<name>".
std::vector<std::string> missing_required(storage::user_pool const& pool, storage::user const& u)
{
    std::vector<std::string> names;
    for (auto const& entry : pool.settings->at("SchemaAttributes"))
    {
        auto const name = entry.at("Name").get<std::string>();
        if (name != "sub" && entry.value("Required", false) && !u.attribute_value(name))
        {
            names.push_back("userAttributes." + name);
        }
    }
    return names;
}

} // namespace

void check_password(
    storage::user_pool const& pool, storage::user const& u, std::string const& password
)
{
    auth::stored_password const stored{u.password_salt, u.password_verifier};
    if (!auth::password_matches(stored, pool.id, u.username, password))
    {
        throw errors::not_authorized("Incorrect username or password.");
    }
}

proof prove_password(request_context& ctx, client_and_pool const& target, json const& params)
{
    auto const username = require_parameter(params, "USERNAME");
    auto const password = require_parameter(params, "PASSWORD");
    check_secret_hash(target.client, username, parameter(params, "SECRET_HASH"));
    auto u = find_user(ctx, target.pool, username);
    bool migrated = false;
    if (!u)
    {
        u = migrate_user(ctx, target, username, "_Authentication", password);
        migrated = u.has_value();
    }
    if (migrated && u->status == "RESET_REQUIRED")
    {
        // The user is brought in, and must reset the password before signing in.
        throw committed_error{errors::password_reset_required()};
    }
    if (!u)
    {
        if (prevents_existence_errors(target.client))
        {
            throw errors::not_authorized("Incorrect username or password.");
        }
        throw errors::user_not_found();
    }
    begin_authentication(ctx, target, *u);
    check_may_try_password(*u);
    check_password(target.pool, *u, password);
    sign_in_state state;
    state.device_key = parameter(params, "DEVICE_KEY");
    return {proof::step::password, std::move(*u), std::move(state)};
}

json new_password_challenge(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    sign_in_state const& state
)
{
    sign_in_state kept;
    kept.device_key = state.device_key;
    json attributes = json::object();
    for (auto const& a : u.attributes)
    {
        if (a.name != "sub")
        {
            attributes[a.name] = a.value;
        }
    }
    return send_challenge(
        ctx,
        target,
        u,
        "NEW_PASSWORD_REQUIRED",
        kept,
        {{"USER_ID_FOR_SRP", u.username},
         {"requiredAttributes", json(missing_required(target.pool, u)).dump()},
         {"userAttributes", attributes.dump()}}
    );
}

proof answer_new_password(
    request_context& ctx, client_and_pool const& target, open_round& r, json const& responses
)
{
    auto& u = r.user;
    auto const password = require_parameter(responses, "NEW_PASSWORD");
    if (auto why = auth::policy_violation(password_policy(target.pool), password))
    {
        throw errors::invalid_password("Password does not conform to policy: " + *why);
    }
    // userAttributes.<name> answers set attributes, as amazon-cognito-identity-js sends them.
    json given = json::array();
    for (auto const& [key, value] : responses.items())
    {
        if (key.starts_with("userAttributes.") && value.is_string())
        {
            given.push_back({{"Name", key.substr(15)}, {"Value", value}});
        }
    }
    check_attributes(*target.pool.settings, given, attribute_use::update);
    for (auto const& attr : given)
    {
        auto const name = attr.at("Name").get<std::string>();
        auto const value = stored_value(*target.pool.settings, attr);
        auto it = std::find_if(
            u.attributes.begin(), u.attributes.end(), [&](auto const& a) { return a.name == name; }
        );
        if (it == u.attributes.end())
        {
            u.attributes.push_back({name, value});
        }
        else
        {
            it->value = value;
        }
    }
    if (auto const still_missing = missing_required(target.pool, u); !still_missing.empty())
    {
        throw errors::invalid_parameter(
            "Invalid attributes given, " + still_missing.front().substr(15) + " is missing"
        );
    }
    auto const stored = auth::store_password(target.pool.id, u.username, password, ctx.ids);
    u.password_salt = stored.salt;
    u.password_verifier = stored.verifier;
    u.status = "CONFIRMED";
    u.last_modified = ctx.now_ms;
    ctx.store.update_user(u);
    ctx.store.replace_attributes(u.id, u.attributes);
    sign_in_state state;
    state.device_key = r.state.device_key ? r.state.device_key : parameter(responses, "DEVICE_KEY");
    return {proof::step::new_password, std::move(u), std::move(state)};
}

} // namespace cognitod
