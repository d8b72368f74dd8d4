// GetUser, GlobalSignOut, AdminUserGlobalSignOut, RevokeToken.
#include "server/auth/encoding.hpp"
#include "server/auth/jwt.hpp"
#include "server/operations/common.hpp"
#include "server/operations/mfa/mfa.hpp"
#include "server/operations/sign_in/sign_in.hpp"

#include <algorithm>

namespace cognitod
{

namespace
{

json get_user_auth_factors(request_context& ctx, json const& input)
{
    auto const owner = authenticate(ctx, input.at("AccessToken").get<std::string>());
    return user_auth_factors(owner.pool, owner.user);
}

json get_user(request_context& ctx, json const& input)
{
    auto const owner = authenticate(ctx, input.value("AccessToken", std::string{}));
    // The token's client decides what the user may read about themselves; sub always shows.
    auto attributes = owner.user.attributes;
    if (auto const client = ctx.store.find_app_client(owner.client_id))
    {
        if (auto const readable = client->settings.find("ReadAttributes");
            readable != client->settings.end())
        {
            std::erase_if(
                attributes,
                [&](storage::attribute const& a)
                {
                    return a.name != "sub" &&
                           std::find(readable->begin(), readable->end(), a.name) == readable->end();
                }
            );
        }
    }
    json out{
        {"Username", owner.user.username},
        {"UserAttributes", attributes_json(attributes)},
    };
    add_mfa_settings(out, owner.user);
    return out;
}

// Revokes every session of the user, and every token issued up to this second: Cognito revokes
// by time, so tokens from the same second go too.
void sign_out_everywhere(request_context& ctx, storage::user u)
{
    ctx.store.revoke_user_sessions(u.id);
    u.revoked_before = ctx.now_ms / 1000;
    ctx.store.update_user(u);
}

json global_sign_out(request_context& ctx, json const& input)
{
    auto const owner = authenticate(ctx, input.value("AccessToken", std::string{}));
    sign_out_everywhere(ctx, owner.user);
    return json::object();
}

json admin_user_global_sign_out(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    sign_out_everywhere(ctx, require_user(ctx, pool, input.at("Username").get<std::string>()));
    return json::object();
}

json revoke_token(request_context& ctx, json const& input)
{
    auto const client_id = input.at("ClientId").get<std::string>();
    auto const client = ctx.store.find_app_client(client_id);
    if (!client)
    {
        throw errors::invalid_parameter("Client " + client_id + " does not exist.");
    }
    if (!client->secret.empty())
    {
        auto const given = input.value("ClientSecret", std::string{});
        if (!auth::constant_time_equal(given, client->secret))
        {
            throw errors::unauthorized("Client authentication failed.");
        }
    }
    if (!client->settings.value("EnableTokenRevocation", true))
    {
        throw errors::unsupported_operation("Token revocation is not enabled for this client.");
    }
    auto const token = input.at("Token").get<std::string>();
    if (auth::decode_jwt(token))
    {
        // Access and ID tokens are JWS; only refresh tokens can be revoked.
        throw errors::unsupported_token_type();
    }
    auto const session =
        ctx.store.find_auth_session_by_refresh(auth::hex_encode(auth::sha256(token)));
    if (session)
    {
        if (session->client_seq != client->seq)
        {
            throw errors::unauthorized("The token was not issued to this client.");
        }
        // The refresh token and every access token minted from it (same origin_jti) go.
        ctx.store.revoke_auth_session(session->origin_jti);
    }
    // An unknown token is not an error (RFC 7009): there is nothing left to revoke.
    return json::object();
}

} // namespace

std::vector<operation_entry> session_operations()
{
    return {
        {"GetUser", &get_user, access::read},
        {"GetUserAuthFactors", &get_user_auth_factors, access::read},
        {"GlobalSignOut", &global_sign_out, access::write},
        {"AdminUserGlobalSignOut", &admin_user_global_sign_out, access::write},
        {"RevokeToken", &revoke_token, access::write},
    };
}

} // namespace cognitod
