// InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge, AdminRespondToAuthChallenge,
// GetTokensFromRefreshToken.
#include "server/auth/encoding.hpp"
#include "server/auth/passwords.hpp"
#include "server/operations/sign_in/auth_flows.hpp"
#include "server/operations/common.hpp"
#include "server/operations/mfa/mfa.hpp"
#include "server/operations/pools/pool_schema.hpp"
#include "server/operations/sign_in/sign_in.hpp"

#include <algorithm>

namespace cognitod
{

namespace
{

enum class caller
{
    user,  // InitiateAuth / RespondToAuthChallenge
    admin, // AdminInitiateAuth / AdminRespondToAuthChallenge
};

// Whether the client's ExplicitAuthFlows allow a flow; legacy values (without ALLOW_) keep their
// old meaning, under which SRP and refresh are always allowed.
bool flow_allowed(json const& settings, std::string_view flow)
{
    json const defaults =
        json::array({"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"});
    auto const flows = settings.value("ExplicitAuthFlows", defaults);
    auto const has = [&](std::string_view name)
    { return std::find(flows.begin(), flows.end(), name) != flows.end(); };
    bool const legacy = std::none_of(
        flows.begin(),
        flows.end(),
        [](json const& f) { return f.get<std::string>().starts_with("ALLOW_"); }
    );
    bool const custom_only = has("CUSTOM_AUTH_FLOW_ONLY");
    if (flow == "USER_PASSWORD_AUTH")
    {
        return has("ALLOW_USER_PASSWORD_AUTH") || has("USER_PASSWORD_AUTH");
    }
    if (flow == "ADMIN_USER_PASSWORD_AUTH" || flow == "ADMIN_NO_SRP_AUTH")
    {
        return has("ALLOW_ADMIN_USER_PASSWORD_AUTH") || has("ADMIN_NO_SRP_AUTH");
    }
    if (flow == "REFRESH_TOKEN_AUTH" || flow == "REFRESH_TOKEN")
    {
        return has("ALLOW_REFRESH_TOKEN_AUTH") || legacy;
    }
    if (flow == "USER_SRP_AUTH")
    {
        return has("ALLOW_USER_SRP_AUTH") || (legacy && !custom_only);
    }
    if (flow == "CUSTOM_AUTH")
    {
        return has("ALLOW_CUSTOM_AUTH") || custom_only;
    }
    return has("ALLOW_" + std::string{flow});
}

void check_flow(json const& settings, std::string_view flow, caller who)
{
    if (!flow_allowed(settings, flow))
    {
        throw errors::invalid_parameter(
            who == caller::admin ? std::string{"Auth flow not enabled for this client"}
                                 : std::string{flow} + " flow not enabled for this client"
        );
    }
}

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

json new_password_challenge(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    std::optional<std::string> const& presented_device
)
{
    auto const session = new_session(ctx);
    open_challenge(
        ctx,
        target,
        u,
        "NEW_PASSWORD_REQUIRED",
        session,
        {{"device_key", presented_device ? json(*presented_device) : json()}}
    );
    json attributes = json::object();
    for (auto const& a : u.attributes)
    {
        if (a.name != "sub")
        {
            attributes[a.name] = a.value;
        }
    }
    return {
        {"ChallengeName", "NEW_PASSWORD_REQUIRED"},
        {"Session", session},
        {"ChallengeParameters",
         {{"USER_ID_FOR_SRP", u.username},
          {"requiredAttributes", json(missing_required(target.pool, u)).dump()},
          {"userAttributes", attributes.dump()}}},
    };
}

// The presented device when the pool tracks devices and it is remembered with a verifier (so it
// can run device SRP). A key the user does not have is ResourceNotFoundException.
std::optional<storage::device> remembered_device(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user const& u,
    std::optional<std::string> const& presented_device
)
{
    auto const tracking = pool.settings->find("DeviceConfiguration");
    if (!presented_device || tracking == pool.settings->end() || tracking->is_null())
    {
        return std::nullopt;
    }
    auto d = ctx.store.find_device(u.id, *presented_device);
    if (!d)
    {
        throw errors::resource_not_found("Device does not exist.");
    }
    if (d->remembered && d->confirmed && !d->verifier.empty())
    {
        return d;
    }
    return std::nullopt;
}

json password_sign_in(request_context& ctx, client_and_pool const& target, json const& params)
{
    auto const username = require_parameter(params, "USERNAME");
    auto const password = require_parameter(params, "PASSWORD");
    check_secret_hash(target.client, username, parameter(params, "SECRET_HASH"));
    auto const u = find_user(ctx, target.pool, username);
    if (!u)
    {
        if (target.client.settings.value("PreventUserExistenceErrors", "LEGACY") == "ENABLED")
        {
            throw errors::not_authorized("Incorrect username or password.");
        }
        throw errors::user_not_found();
    }
    auth::stored_password const stored{u->password_salt, u->password_verifier};
    if (!auth::password_matches(stored, target.pool.id, u->username, password))
    {
        throw errors::not_authorized("Incorrect username or password.");
    }
    return after_password(ctx, target, *u, parameter(params, "DEVICE_KEY"));
}

json refresh_sign_in(request_context& ctx, client_and_pool const& target, json const& params)
{
    auto const token = require_parameter(params, "REFRESH_TOKEN");
    return signed_in(refresh_tokens(
        ctx,
        target,
        token,
        parameter(params, "DEVICE_KEY"),
        parameter(params, "SECRET_HASH"),
        /*secret_is_hash=*/true
    ));
}

json start(request_context& ctx, client_and_pool const& target, json const& input, caller who)
{
    auto const flow = input.at("AuthFlow").get<std::string>();
    check_flow(target.client.settings, flow, who);
    auto const& params =
        input.contains("AuthParameters") ? input.at("AuthParameters") : json::object();
    bool const password_flow =
        who == caller::user ? flow == "USER_PASSWORD_AUTH"
                            : flow == "ADMIN_USER_PASSWORD_AUTH" || flow == "ADMIN_NO_SRP_AUTH";
    if (password_flow)
    {
        return password_sign_in(ctx, target, params);
    }
    if (flow == "REFRESH_TOKEN_AUTH" || flow == "REFRESH_TOKEN")
    {
        return refresh_sign_in(ctx, target, params);
    }
    if (flow == "USER_SRP_AUTH")
    {
        return start_user_srp(ctx, target, params);
    }
    if (flow == "USER_PASSWORD_AUTH" || flow == "ADMIN_USER_PASSWORD_AUTH" ||
        flow == "ADMIN_NO_SRP_AUTH")
    {
        throw errors::invalid_parameter("Initiate Auth method not supported.");
    }
    throw aws_error(
        "NotImplementedException", "cognitod does not implement the " + flow + " flow yet.", 501
    );
}

json initiate_auth(request_context& ctx, json const& input)
{
    auto const target = require_client(ctx, input.at("ClientId").get<std::string>());
    return start(ctx, target, input, caller::user);
}

json admin_initiate_auth(request_context& ctx, json const& input)
{
    auto const pool_id = input.at("UserPoolId").get<std::string>();
    require_pool(ctx, pool_id);
    auto const target = require_client(ctx, input.at("ClientId").get<std::string>(), pool_id);
    return start(ctx, target, input, caller::admin);
}

json answer_new_password(
    request_context& ctx,
    client_and_pool const& target,
    storage::user u,
    json const& responses,
    storage::challenge const& c
)
{
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
        auto const value = attr.at("Value").get<std::string>();
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
    ctx.store.mark_challenge_used(c.session_hash);
    std::optional<std::string> device;
    if (c.state.contains("device_key") && c.state["device_key"].is_string())
    {
        device = c.state["device_key"].get<std::string>();
    }
    return complete_sign_in(ctx, target, u, device ? device : parameter(responses, "DEVICE_KEY"));
}

json respond(request_context& ctx, client_and_pool const& target, json const& input)
{
    auto const name = input.at("ChallengeName").get<std::string>();
    auto const& responses =
        input.contains("ChallengeResponses") ? input.at("ChallengeResponses") : json::object();
    if (name == "PASSWORD_VERIFIER")
    {
        // Its state travels in the SECRET_BLOCK, not in a Session.
        return answer_password_verifier(ctx, target, responses);
    }
    auto const c = find_open_challenge(ctx, target, input.value("Session", std::string{}), name);
    auto const username = require_parameter(responses, "USERNAME");
    auto u = ctx.store.find_user_by_id(c.user_id);
    auto const named = find_user(ctx, target.pool, username);
    if (!u || !named || named->id != u->id)
    {
        throw errors::not_authorized("Invalid session for the user.");
    }
    check_secret_hash(target.client, username, parameter(responses, "SECRET_HASH"));
    if (!u->enabled)
    {
        throw errors::not_authorized("User is disabled.");
    }
    if (name == "DEVICE_SRP_AUTH")
    {
        return answer_device_srp_auth(ctx, target, c, *u, responses);
    }
    if (name == "DEVICE_PASSWORD_VERIFIER")
    {
        return answer_device_password_verifier(ctx, target, c, *u, responses);
    }
    if (name == "SMS_MFA" || name == "SOFTWARE_TOKEN_MFA" || name == "SELECT_MFA_TYPE")
    {
        return answer_mfa(ctx, target, c, *u, responses);
    }
    return answer_new_password(ctx, target, std::move(*u), responses, c);
}

json respond_to_auth_challenge(request_context& ctx, json const& input)
{
    auto const target = require_client(ctx, input.at("ClientId").get<std::string>());
    return respond(ctx, target, input);
}

json admin_respond_to_auth_challenge(request_context& ctx, json const& input)
{
    auto const pool_id = input.at("UserPoolId").get<std::string>();
    require_pool(ctx, pool_id);
    auto const target = require_client(ctx, input.at("ClientId").get<std::string>(), pool_id);
    return respond(ctx, target, input);
}

json get_tokens_from_refresh_token(request_context& ctx, json const& input)
{
    auto const target = require_client(ctx, input.at("ClientId").get<std::string>());
    check_flow(target.client.settings, "REFRESH_TOKEN_AUTH", caller::user);
    std::optional<std::string> secret;
    if (auto it = input.find("ClientSecret"); it != input.end() && it->is_string())
    {
        secret = it->get<std::string>();
    }
    std::optional<std::string> device;
    if (auto it = input.find("DeviceKey"); it != input.end() && it->is_string())
    {
        device = it->get<std::string>();
    }
    auto const result = refresh_tokens(
        ctx,
        target,
        input.at("RefreshToken").get<std::string>(),
        device,
        secret,
        /*secret_is_hash=*/false
    );
    return {{"AuthenticationResult", result}};
}

} // namespace

std::string require_parameter(json const& map, std::string_view name)
{
    auto value = parameter(map, name);
    if (!value)
    {
        throw errors::invalid_parameter("Missing required parameter " + std::string{name});
    }
    return std::move(*value);
}

json signed_in(json authentication_result)
{
    return {
        {"ChallengeParameters", json::object()},
        {"AuthenticationResult", std::move(authentication_result)}};
}

// Tokens for a user who has proven who they are, bound to the presented or a new device.
json complete_sign_in(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    std::optional<std::string> const& presented_device
)
{
    auto const binding = bind_device(ctx, target.pool, u, presented_device);
    auto result = issue_tokens(ctx, target, u, binding.device_key);
    add_new_device(result, binding);
    return signed_in(std::move(result));
}

json after_password(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    std::optional<std::string> const& presented_device
)
{
    if (!u.enabled)
    {
        throw errors::not_authorized("User is disabled.");
    }
    if (u.status == "UNCONFIRMED")
    {
        throw aws_error("UserNotConfirmedException", "User is not confirmed.");
    }
    if (u.status == "RESET_REQUIRED")
    {
        throw aws_error("PasswordResetRequiredException", "Password reset required for the user");
    }
    if (u.status == "FORCE_CHANGE_PASSWORD")
    {
        return new_password_challenge(ctx, target, u, presented_device);
    }
    auto const remembered = remembered_device(ctx, target.pool, u, presented_device);
    bool const device_skips_mfa =
        remembered && target.pool.settings->value("DeviceConfiguration", json::object())
                          .value("ChallengeRequiredOnNewDevice", false);
    if (!device_skips_mfa)
    {
        if (auto challenge = mfa_challenge(ctx, target, u, presented_device))
        {
            return std::move(*challenge);
        }
    }
    return finish_sign_in(ctx, target, u, presented_device);
}

json finish_sign_in(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    std::optional<std::string> const& presented_device
)
{
    if (auto const d = remembered_device(ctx, target.pool, u, presented_device))
    {
        // A remembered device proves itself with its own secret before tokens are issued.
        auto const session = new_session(ctx);
        open_challenge(ctx, target, u, "DEVICE_SRP_AUTH", session, {{"device_key", d->key}});
        return {
            {"ChallengeName", "DEVICE_SRP_AUTH"},
            {"Session", session},
            {"ChallengeParameters", json::object()},
        };
    }
    return complete_sign_in(ctx, target, u, presented_device);
}

std::string new_session(request_context& ctx)
{
    return auth::base64_encode(ctx.ids.bytes(192));
}

void open_challenge(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    std::string const& name,
    std::string const& key,
    json state
)
{
    auto const minutes = target.client.settings.value("AuthSessionValidity", 3);
    storage::challenge c;
    c.session_hash = auth::hex_encode(auth::sha256(key));
    c.user_id = u.id;
    c.client_seq = target.client.seq;
    c.name = name;
    c.expires = ctx.now_ms + std::int64_t{minutes} * 60000;
    c.state = std::move(state);
    ctx.store.delete_expired_challenges(ctx.now_ms);
    ctx.store.insert_challenge(c);
}

storage::challenge find_open_challenge(
    request_context& ctx,
    client_and_pool const& target,
    std::string const& key,
    std::string_view name
)
{
    auto const c =
        key.empty() ? std::nullopt : ctx.store.find_challenge(auth::hex_encode(auth::sha256(key)));
    if (!c || c->client_seq != target.client.seq)
    {
        throw errors::not_authorized("Invalid session for the user.");
    }
    if (c->expires < ctx.now_ms)
    {
        ctx.store.delete_challenge(c->session_hash);
        throw errors::not_authorized("Invalid session for the user, session is expired.");
    }
    if (c->name == "USED")
    {
        throw errors::not_authorized("Invalid session for the user, session can only be used once."
        );
    }
    if (c->name != name)
    {
        throw errors::not_authorized("Invalid session for the user.");
    }
    return *c;
}

std::vector<operation_entry> auth_operations()
{
    return {
        {"InitiateAuth", &initiate_auth, access::write},
        {"AdminInitiateAuth", &admin_initiate_auth, access::write},
        {"RespondToAuthChallenge", &respond_to_auth_challenge, access::write},
        {"AdminRespondToAuthChallenge", &admin_respond_to_auth_challenge, access::write},
        {"GetTokensFromRefreshToken", &get_tokens_from_refresh_token, access::write},
    };
}

} // namespace cognitod
