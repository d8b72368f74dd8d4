// The pool's OpenID discovery document and key set, served on cognitod's own port.
#include "server/aws_error.hpp"
#include "server/operations/sign_in/sign_in.hpp"

namespace cognitod
{

namespace
{

storage::user_pool pool_for_document(request_context& ctx, std::string const& pool_id)
{
    auto pool = ctx.store.find_user_pool(pool_id);
    if (!pool)
    {
        throw errors::pool_document_not_found(pool_id);
    }
    return std::move(*pool);
}

} // namespace

json jwks_document(request_context& ctx, std::string const& pool_id)
{
    auto const keys = ctx.keys.keys(ctx.store, pool_for_document(ctx, pool_id).seq);
    return {{"keys", json::array({json(keys->id.jwk()), json(keys->access.jwk())})}};
}

json openid_configuration(request_context& ctx, std::string const& pool_id)
{
    auto const pool = pool_for_document(ctx, pool_id);
    auto const iss = issuer(ctx, pool);
    json document{
        {"id_token_signing_alg_values_supported", json::array({"RS256"})},
        {"issuer", iss},
        {"jwks_uri", iss + "/.well-known/jwks.json"},
        {"response_types_supported", json::array({"code", "token"})},
        {"scopes_supported", json::array({"openid", "email", "phone", "profile"})},
        {"subject_types_supported", json::array({"public"})},
        {"token_endpoint_auth_methods_supported",
         json::array({"client_secret_basic", "client_secret_post"})},
    };
    // The endpoints are the domain's (the prefix domain first), served on this host under the
    // domain's name. Without a domain AWS still lists them, on the issuer's host, where nothing
    // answers.
    auto const domains = ctx.store.domains_of_pool(pool.seq);
    if (domains.empty())
    {
        document["authorization_endpoint"] = iss + "/authorize";
        document["token_endpoint"] = iss + "/token";
        document["userinfo_endpoint"] = iss + "/userInfo";
        return document;
    }
    auto const base = ctx.issuer_base + "/" + domains.front().domain;
    document["authorization_endpoint"] = base + "/oauth2/authorize";
    document["end_session_endpoint"] = base + "/logout";
    document["revocation_endpoint"] = base + "/oauth2/revoke";
    document["token_endpoint"] = base + "/oauth2/token";
    document["userinfo_endpoint"] = base + "/oauth2/userInfo";
    return document;
}

} // namespace cognitod
