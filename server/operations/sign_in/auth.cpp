// InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge, AdminRespondToAuthChallenge,
// GetTokensFromRefreshToken.
#include "server/operations/common.hpp"
#include "server/operations/sign_in/flow.hpp"

#include <algorithm>
#include <array>

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

json start_password(request_context& ctx, client_and_pool const& target, json const& params)
{
    return advance(ctx, target, prove_password(ctx, target, params));
}

json start_srp(request_context& ctx, client_and_pool const& target, json const& params)
{
    return advance(ctx, target, start_user_srp(ctx, target, params));
}

json start_refresh(request_context& ctx, client_and_pool const& target, json const& params)
{
    auto const token = require_parameter(params, "REFRESH_TOKEN");
    return {
        {"ChallengeParameters", json::object()},
        {"AuthenticationResult",
         refresh_tokens(
             ctx,
             target,
             token,
             parameter(params, "DEVICE_KEY"),
             parameter(params, "SECRET_HASH"),
             /*secret_is_hash=*/true
         )},
    };
}

using start_fn = json (*)(request_context&, client_and_pool const&, json const& params);

struct flow_entry
{
    std::string_view name;
    bool by_user = false;  // InitiateAuth may start it
    bool by_admin = false; // AdminInitiateAuth may
    start_fn start = nullptr;
};

// AuthFlow → how it starts. A password or SRP start returns what it proved, and advance()
// (flow.cpp) decides what follows.
constexpr std::array flows{
    flow_entry{"USER_PASSWORD_AUTH", true, false, &start_password},
    flow_entry{"ADMIN_USER_PASSWORD_AUTH", false, true, &start_password},
    flow_entry{"ADMIN_NO_SRP_AUTH", false, true, &start_password},
    flow_entry{"USER_SRP_AUTH", true, true, &start_srp},
    flow_entry{"REFRESH_TOKEN_AUTH", true, true, &start_refresh},
    flow_entry{"REFRESH_TOKEN", true, true, &start_refresh},
    flow_entry{"CUSTOM_AUTH", true, true, &start_custom_auth},
    flow_entry{"USER_AUTH", true, true, &start_user_auth},
};

json start(request_context& ctx, client_and_pool const& target, json const& input, caller who)
{
    auto const flow = input.at("AuthFlow").get<std::string>();
    check_flow(target.client.settings, flow, who);
    auto const& params =
        input.contains("AuthParameters") ? input.at("AuthParameters") : json::object();
    auto const entry =
        std::find_if(flows.begin(), flows.end(), [&](auto const& f) { return f.name == flow; });
    if (entry == flows.end())
    {
        throw errors::not_implemented("cognitod does not implement the " + flow + " flow yet.");
    }
    if (!(who == caller::user ? entry->by_user : entry->by_admin))
    {
        throw errors::invalid_parameter("Initiate Auth method not supported.");
    }
    return entry->start(ctx, target, params);
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
