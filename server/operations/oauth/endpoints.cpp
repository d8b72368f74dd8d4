// The OAuth 2.0 endpoints' rules: which authorization requests are valid, where their errors go,
// the codes, the hosted login's session, and the three grants of the token endpoint. AWS's
// answers are in docs/fidelity.md ("OAuth 2.0 endpoints").
#include "server/operations/oauth/endpoints.hpp"

#include "server/auth/encoding.hpp"
#include "server/auth/jwt.hpp"
#include "server/operations/common.hpp"
#include "server/operations/sign_in/sign_in.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace cognitod
{

namespace
{

// An outcome decided part-way: the endpoint answers it at once. Writes made before it stand (a
// code taken by a request that then fails is used up, as on AWS).
struct answered
{
    json outcome;
};

constexpr std::int64_t code_life_ms = std::int64_t{5} * 60 * 1000;
constexpr std::int64_t login_session_life_ms = std::int64_t{60} * 60 * 1000;

std::optional<std::string> param(oauth_request const& req, std::string_view name)
{
    auto value = parameter(req.params, name);
    if (value && value->empty())
    {
        return std::nullopt;
    }
    return value;
}

std::string hash_of(std::string_view secret)
{
    return auth::hex_encode(auth::sha256(secret));
}

// The hosted error page, as AWS redirects to it: /error?error=...&client_id=...
json error_page(oauth_request const& req, std::string const& error)
{
    json query{{"error", error}};
    if (auto const client_id = param(req, "client_id"))
    {
        query["client_id"] = *client_id;
    }
    return {{"redirect", req.base + "/error"}, {"query", std::move(query)}};
}

// The token endpoint's refusals: {"error": ...}, 401 for a client that authenticated with HTTP
// Basic and failed (RFC 6749 5.2), 400 otherwise.
json token_error(std::string const& error, int status = 400)
{
    return {{"status", status}, {"json", {{"error", error}}}};
}

storage::user_pool domain_pool(request_context& ctx, oauth_request const& req)
{
    auto const domain = ctx.store.find_domain(req.domain);
    auto pool = domain ? ctx.store.find_user_pool_by_seq(domain->pool_seq) : std::nullopt;
    if (!pool)
    {
        throw answered{
            {{"page", "error"},
             {"status", 404},
             {"message", "No user pool has the domain " + req.domain + "."}}};
    }
    return std::move(*pool);
}

bool oauth_flow_allowed(storage::app_client const& client, std::string_view flow)
{
    return client.settings.value("AllowedOAuthFlowsUserPoolClient", false) &&
           lists(client.settings, "AllowedOAuthFlows", flow);
}

// A valid authorization request: its client, where it answers, and what it asks.
struct authorization
{
    client_and_pool target;
    std::string redirect_uri;
    std::string response_type;
    std::string scope; // granted
    std::optional<std::string> state;
    std::optional<std::string> nonce;
    std::optional<std::string> code_challenge;
};

std::vector<std::string> client_scopes(storage::app_client const& client)
{
    std::vector<std::string> out;
    for (auto const& s : client.settings.value("AllowedOAuthScopes", json::array()))
    {
        out.push_back(s.get<std::string>());
    }
    return out;
}

// The scopes asked that allowed lists, in the order asked (a scope the client lacks is ignored);
// all of allowed when none is asked.
std::vector<std::string>
kept_scopes(std::vector<std::string> const& asked, std::vector<std::string> const& allowed)
{
    if (asked.empty())
    {
        return allowed;
    }
    std::vector<std::string> kept;
    for (auto const& s : asked)
    {
        if (std::find(allowed.begin(), allowed.end(), s) != allowed.end())
        {
            kept.push_back(s);
        }
    }
    return kept;
}

// The scopes an authorization grants; nullopt for none. phone, email and profile need openid.
std::optional<std::string>
granted_scope(storage::app_client const& client, oauth_request const& req)
{
    auto const asked = split_scope(param(req, "scope").value_or(""));
    auto const has = [&](std::string_view s)
    { return std::find(asked.begin(), asked.end(), s) != asked.end(); };
    if (!asked.empty() && !has("openid") && (has("phone") || has("email") || has("profile")))
    {
        return std::nullopt;
    }
    auto const granted = kept_scopes(asked, client_scopes(client));
    return granted.empty() ? std::nullopt : std::optional{join_scope(granted)};
}

// The authorization parameters of /oauth2/authorize and /login. An unknown client or a
// redirect_uri the client does not list goes to the error page; once both are valid, errors go
// back to the redirect_uri with the state.
authorization read_authorization(request_context& ctx, oauth_request const& req)
{
    auto pool = domain_pool(ctx, req);
    auto const client_id = param(req, "client_id");
    auto client = client_id ? ctx.store.find_app_client(*client_id) : std::nullopt;
    if (!client || client->pool_seq != pool.seq)
    {
        throw answered{error_page(req, "invalid_request")};
    }
    auto const redirect_uri = param(req, "redirect_uri");
    if (!redirect_uri || !lists(client->settings, "CallbackURLs", *redirect_uri))
    {
        throw answered{error_page(req, "redirect_mismatch")};
    }
    authorization a{{std::move(*client), std::move(pool), true}, *redirect_uri, {}, {}, {}, {}, {}};
    a.state = param(req, "state");
    auto const refuse = [&](std::string const& error)
    {
        json query{{"error", error}};
        if (a.state)
        {
            query["state"] = *a.state;
        }
        return answered{{{"redirect", a.redirect_uri}, {"query", std::move(query)}}};
    };
    auto const& settings = a.target.client.settings;
    a.response_type = param(req, "response_type").value_or("");
    if (a.response_type != "code" && a.response_type != "token")
    {
        throw refuse("invalid_request");
    }
    if (!oauth_flow_allowed(a.target.client, a.response_type == "code" ? "code" : "implicit") ||
        !lists(settings, "SupportedIdentityProviders", "COGNITO"))
    {
        throw refuse("unauthorized_client");
    }
    // Federated sign-in is not served: only the pool's own users sign in here.
    if (auto const provider = param(req, "identity_provider"); provider && *provider != "COGNITO")
    {
        throw refuse("invalid_request");
    }
    auto const challenge = param(req, "code_challenge");
    auto const method = param(req, "code_challenge_method");
    if (challenge.has_value() != method.has_value() || (method && *method != "S256"))
    {
        throw refuse("invalid_request");
    }
    auto scope = granted_scope(a.target.client, req);
    if (!scope)
    {
        throw refuse("invalid_scope");
    }
    a.scope = std::move(*scope);
    a.nonce = param(req, "nonce");
    a.code_challenge = challenge;
    return a;
}

// The signed-in user the `cognito` cookie names, while the session lasts and the user may still
// sign in.
std::optional<std::pair<storage::user, std::int64_t>>
signed_in_user(request_context& ctx, storage::user_pool const& pool, oauth_request const& req)
{
    if (!req.login_cookie)
    {
        return std::nullopt;
    }
    auto const s = ctx.store.find_login_session(hash_of(*req.login_cookie));
    if (!s || s->pool_seq != pool.seq || s->expires < ctx.now_ms)
    {
        return std::nullopt;
    }
    auto u = ctx.store.find_user_by_id(s->user_id);
    if (!u || !u->enabled || u->status != "CONFIRMED")
    {
        return std::nullopt;
    }
    return std::pair{std::move(*u), s->auth_time};
}

// The end of an authorization: a code in the redirect_uri's query, or (implicit grant) the
// tokens in its fragment. The caller has cleared the expired codes and sessions.
json complete(
    request_context& ctx, authorization const& a, storage::user const& u, std::int64_t auth_time
)
{
    if (a.response_type == "code")
    {
        auto const code = ctx.ids.uuid();
        storage::authorization_code c;
        c.code_hash = hash_of(code);
        c.client_seq = a.target.client.seq;
        c.user_id = u.id;
        c.redirect_uri = a.redirect_uri;
        c.scope = a.scope;
        c.nonce = a.nonce;
        c.code_challenge = a.code_challenge;
        c.auth_time = auth_time;
        c.expires = ctx.now_ms + code_life_ms;
        ctx.store.insert_authorization_code(c);
        json query{{"code", code}};
        if (a.state)
        {
            query["state"] = *a.state;
        }
        return {{"redirect", a.redirect_uri}, {"query", std::move(query)}};
    }
    auto tokens = issue_oauth_tokens(ctx, a.target, u, {a.scope, a.nonce, auth_time, false});
    json fragment{
        {"access_token", tokens.at("access_token")},
        {"token_type", "Bearer"},
        {"expires_in", std::to_string(tokens.at("expires_in").get<std::int64_t>())},
    };
    if (tokens.contains("id_token"))
    {
        fragment["id_token"] = tokens.at("id_token");
    }
    if (a.state)
    {
        fragment["state"] = *a.state;
    }
    return {{"redirect", a.redirect_uri}, {"fragment", std::move(fragment)}};
}

// The answer member of each challenge the page shows: the form field it comes in.
std::optional<std::string> challenge_answer(oauth_request const& req, std::string_view challenge)
{
    if (challenge == "NEW_PASSWORD_REQUIRED")
    {
        return param(req, "new_password");
    }
    if (challenge == "SELECT_MFA_TYPE")
    {
        return param(req, "mfa_type");
    }
    return param(req, "code");
}

// client_secret_basic or client_secret_post: the domain's client, its secret checked.
client_and_pool authenticate_client(request_context& ctx, oauth_request const& req)
{
    auto pool = domain_pool(ctx, req);
    int const status = req.basic ? 401 : 400;
    auto const client_id = req.basic ? std::optional{req.basic->first} : param(req, "client_id");
    auto const secret = req.basic ? std::optional{req.basic->second} : param(req, "client_secret");
    if (!client_id)
    {
        throw answered{token_error("invalid_request")};
    }
    auto client = ctx.store.find_app_client(*client_id);
    if (!client || client->pool_seq != pool.seq ||
        (!client->secret.empty() && (!secret || !auth::constant_time_equal(*secret, client->secret))
        ))
    {
        throw answered{token_error("invalid_client", status)};
    }
    return {std::move(*client), std::move(pool)};
}

json token_answer(json body)
{
    return {{"status", 200}, {"json", std::move(body)}};
}

json authorization_code_grant(
    request_context& ctx, oauth_request const& req, client_and_pool& target
)
{
    auto const code = param(req, "code");
    auto const redirect_uri = param(req, "redirect_uri");
    if (!code || !redirect_uri)
    {
        return token_error("invalid_request");
    }
    if (!oauth_flow_allowed(target.client, "code"))
    {
        return token_error("unauthorized_client");
    }
    // Taken, so used up, whatever follows.
    auto const c = ctx.store.take_authorization_code(hash_of(*code));
    if (!c || c->client_seq != target.client.seq || c->expires < ctx.now_ms)
    {
        return token_error("invalid_grant");
    }
    if (*redirect_uri != c->redirect_uri)
    {
        return token_error("unauthorized_client");
    }
    if (c->code_challenge)
    {
        auto const verifier = param(req, "code_verifier");
        if (!verifier || !auth::constant_time_equal(
                             auth::base64url_encode(auth::sha256(*verifier)), *c->code_challenge
                         ))
        {
            return token_error("invalid_request");
        }
    }
    auto const u = ctx.store.find_user_by_id(c->user_id);
    if (!u || !u->enabled)
    {
        return token_error("invalid_grant");
    }
    return token_answer(
        issue_oauth_tokens(ctx, target, *u, {c->scope, c->nonce, c->auth_time, true})
    );
}

json refresh_token_grant(request_context& ctx, oauth_request const& req, client_and_pool& target)
{
    auto const token = param(req, "refresh_token");
    if (!token)
    {
        return token_error("invalid_request");
    }
    if (!lists(target.client.settings, "ExplicitAuthFlows", "ALLOW_REFRESH_TOKEN_AUTH"))
    {
        return token_error("unauthorized_client");
    }
    try
    {
        return token_answer(refresh_oauth_tokens(ctx, target, *token));
    }
    catch (aws_error const&)
    {
        // Unknown, revoked, expired, or the user disabled: the refresh checks wrote nothing.
        return token_error("invalid_grant");
    }
}

// The client's own custom scopes (resource servers'), those asked for, or all of them.
json client_credentials_grant(
    request_context& ctx, oauth_request const& req, client_and_pool& target
)
{
    if (target.client.secret.empty() || !oauth_flow_allowed(target.client, "client_credentials"))
    {
        return token_error("unauthorized_client");
    }
    auto custom = client_scopes(target.client);
    std::erase_if(custom, [](std::string const& s) { return s.find('/') == std::string::npos; });
    auto const granted = kept_scopes(split_scope(param(req, "scope").value_or("")), custom);
    if (granted.empty())
    {
        return token_error("invalid_scope");
    }
    return token_answer(client_credentials_token(ctx, target, join_scope(granted)));
}

// Runs an endpoint's body; an outcome decided part-way is its answer.
template <class Fn> json answering(Fn&& body)
{
    try
    {
        return std::forward<Fn>(body)();
    }
    catch (answered& a)
    {
        return std::move(a.outcome);
    }
}

// userInfo's claims from each scope (openid alone, or the admin scope: every readable attribute).
bool scope_reveals(std::string const& scope, std::string_view attribute)
{
    bool const email = grants(scope, "email");
    bool const phone = grants(scope, "phone");
    bool const profile = grants(scope, "profile");
    if (grants(scope, admin_scope) || (!email && !phone && !profile))
    {
        return true;
    }
    if (attribute == "email" || attribute == "email_verified")
    {
        return email;
    }
    if (attribute == "phone_number" || attribute == "phone_number_verified")
    {
        return phone;
    }
    return profile;
}

json user_info_refusal(int status, std::string const& error, std::string const& description)
{
    return {
        {"status", status},
        {"json", {{"error", error}, {"error_description", description}}},
        {"www_authenticate", "error=\"" + error + "\", error_description=\"" + description + "\""},
    };
}

} // namespace

json authorization_parameters(json const& params)
{
    json out = json::object();
    for (auto const* name :
         {"client_id",
          "redirect_uri",
          "response_type",
          "scope",
          "state",
          "nonce",
          "code_challenge",
          "code_challenge_method",
          "identity_provider"})
    {
        if (auto const value = parameter(params, name); value && !value->empty())
        {
            out[name] = *value;
        }
    }
    return out;
}

json oauth_authorize(request_context& ctx, oauth_request const& req)
{
    return answering(
        [&]
        {
            auto const a = read_authorization(ctx, req);
            if (auto const user = signed_in_user(ctx, a.target.pool, req))
            {
                ctx.store.delete_expired_oauth_state(ctx.now_ms);
                return complete(ctx, a, user->first, user->second);
            }
            return json{
                {"redirect", req.base + "/login"}, {"query", authorization_parameters(req.params)}};
        }
    );
}

json oauth_login_form(request_context& ctx, oauth_request const& req)
{
    return answering(
        [&]
        {
            read_authorization(ctx, req);
            return json{{"page", "login"}};
        }
    );
}

json oauth_login(request_context& ctx, oauth_request const& req)
{
    return answering(
        [&]
        {
            auto const a = read_authorization(ctx, req);
            auto const username = param(req, "username").value_or("");
            auto const challenge = param(req, "challenge");
            json step;
            if (!challenge)
            {
                auto const password = param(req, "password");
                if (username.empty() || !password)
                {
                    throw errors::invalid_parameter("Username and password are required.");
                }
                step = hosted_password(ctx, a.target, username, *password);
            }
            else
            {
                auto const answer = challenge_answer(req, *challenge);
                if (!answer)
                {
                    throw errors::invalid_parameter("Enter the code to continue.");
                }
                step = hosted_answer(
                    ctx, a.target, *challenge, param(req, "session").value_or(""), username, *answer
                );
            }
            if (auto const name = step.find("ChallengeName"); name != step.end())
            {
                return json{
                    {"page", "challenge"},
                    {"challenge", *name},
                    {"session", step.at("Session")},
                    {"username", username},
                    {"parameters", step.at("ChallengeParameters")},
                };
            }
            auto const u = ctx.store.find_user_by_id(step.at("SignedInUser").get<std::int64_t>());
            if (!u)
            {
                throw errors::user_not_found();
            }
            auto const cookie = auth::base64url_encode(ctx.ids.bytes(32));
            storage::login_session s;
            s.cookie_hash = hash_of(cookie);
            s.pool_seq = a.target.pool.seq;
            s.user_id = u->id;
            s.auth_time = ctx.now_ms / 1000;
            s.expires = ctx.now_ms + login_session_life_ms;
            ctx.store.delete_expired_oauth_state(ctx.now_ms);
            ctx.store.insert_login_session(s);
            auto out = complete(ctx, a, *u, s.auth_time);
            out["set_login_cookie"] = cookie;
            return out;
        }
    );
}

json oauth_logout(request_context& ctx, oauth_request const& req)
{
    return answering(
        [&]
        {
            auto const pool = domain_pool(ctx, req);
            auto const client_id = param(req, "client_id");
            auto const client = client_id ? ctx.store.find_app_client(*client_id) : std::nullopt;
            if (!client || client->pool_seq != pool.seq)
            {
                return error_page(req, "invalid_request");
            }
            json out;
            if (auto const logout_uri = param(req, "logout_uri"))
            {
                if (!lists(client->settings, "LogoutURLs", *logout_uri))
                {
                    return error_page(req, "redirect_mismatch");
                }
                out = {{"redirect", *logout_uri}, {"query", json::object()}};
            }
            else if (param(req, "redirect_uri") && param(req, "response_type"))
            {
                // Signed out, then asked to sign in again: /login checks the parameters.
                out = {
                    {"redirect", req.base + "/login"},
                    {"query", authorization_parameters(req.params)}};
            }
            else
            {
                return error_page(req, "invalid_request");
            }
            if (req.login_cookie)
            {
                ctx.store.delete_login_session(hash_of(*req.login_cookie));
            }
            out["clear_login_cookie"] = true;
            return out;
        }
    );
}

json oauth_token(request_context& ctx, oauth_request const& req)
{
    return answering(
        [&]
        {
            auto target = authenticate_client(ctx, req);
            auto const grant = param(req, "grant_type");
            if (!grant)
            {
                return token_error("invalid_request");
            }
            if (*grant == "authorization_code")
            {
                return authorization_code_grant(ctx, req, target);
            }
            if (*grant == "refresh_token")
            {
                return refresh_token_grant(ctx, req, target);
            }
            if (*grant == "client_credentials")
            {
                return client_credentials_grant(ctx, req, target);
            }
            return token_error("unsupported_grant_type");
        }
    );
}

json oauth_user_info(request_context& ctx, oauth_request const& req)
{
    return answering(
        [&]
        {
            auto const pool = domain_pool(ctx, req);
            if (!req.bearer || req.bearer->empty())
            {
                return user_info_refusal(
                    400, "invalid_request", "Bad OAuth2 request at UserInfo Endpoint"
                );
            }
            auto const invalid = []
            {
                return user_info_refusal(
                    401,
                    "invalid_token",
                    "Access token is expired, disabled, or deleted, or the user has globally "
                    "signed out."
                );
            };
            std::optional<token_owner> owner;
            try
            {
                owner = verify_access_token(ctx, *req.bearer);
            }
            catch (aws_error const&)
            {
                return invalid();
            }
            if (owner->pool.seq != pool.seq)
            {
                return invalid();
            }
            if (!grants(owner->scope, "openid"))
            {
                return user_info_refusal(
                    401, "invalid_token", "Access token does not contain openid scope"
                );
            }
            auto const client = ctx.store.find_app_client(owner->client_id);
            auto const readable =
                client ? client->settings.find("ReadAttributes") : json::const_iterator{};
            json out{{"sub", owner->user.sub}};
            for (auto const& attr : owner->user.attributes)
            {
                bool const may_read =
                    !client || readable == client->settings.end() ||
                    std::find(readable->begin(), readable->end(), attr.name) != readable->end();
                if (attr.name != "sub" && may_read && scope_reveals(owner->scope, attr.name))
                {
                    out[attr.name] = attr.value;
                }
            }
            out["username"] = owner->user.username;
            return json{{"status", 200}, {"json", std::move(out)}};
        }
    );
}

json oauth_revoke(request_context& ctx, oauth_request const& req)
{
    return answering(
        [&]
        {
            auto const target = authenticate_client(ctx, req);
            auto const token = param(req, "token");
            if (!token || !target.client.settings.value("EnableTokenRevocation", true))
            {
                return token_error("invalid_request");
            }
            if (auth::decode_jwt(*token))
            {
                // Access and ID tokens are JWS; only refresh tokens are revoked.
                return token_error("unsupported_token_type");
            }
            auto const session = ctx.store.find_auth_session_by_refresh(hash_of(*token));
            if (session && session->client_seq != target.client.seq)
            {
                return token_error("unauthorized_client");
            }
            if (session)
            {
                ctx.store.revoke_auth_session(session->origin_jti);
            }
            // Revoked, or nothing to revoke (RFC 7009): 200 with no body.
            return json{{"status", 200}};
        }
    );
}

} // namespace cognitod
