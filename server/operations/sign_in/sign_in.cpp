#include "server/operations/sign_in/sign_in.hpp"

#include "server/auth/encoding.hpp"
#include "server/operations/common.hpp"
#include "server/operations/devices/devices.hpp"
#include "server/operations/groups/groups.hpp"
#include "server/operations/triggers/token_generation.hpp"

namespace cognitod
{

namespace
{

aws_error invalid_access_token()
{
    return errors::not_authorized("Invalid Access Token");
}
aws_error revoked_access_token()
{
    return errors::not_authorized("Access Token has been revoked");
}
aws_error invalid_refresh_token()
{
    return errors::not_authorized("Invalid Refresh Token");
}

std::int64_t unit_seconds(std::string_view unit)
{
    if (unit == "seconds")
    {
        return 1;
    }
    if (unit == "minutes")
    {
        return 60;
    }
    if (unit == "days")
    {
        return 86400;
    }
    return 3600;
}

// A token lifetime in seconds from the client's value and unit (defaults: 1 hour, 30 days).
std::int64_t lifetime(
    json const& settings,
    char const* value_member,
    char const* unit_name,
    std::int64_t default_value,
    char const* default_unit
)
{
    auto const units = settings.value("TokenValidityUnits", json::object());
    auto const unit = units.value(unit_name, std::string{default_unit});
    auto const value = settings.value(value_member, default_value);
    return value * unit_seconds(unit);
}

// The refresh token looks like Cognito's: a five-part JWE (RSA-OAEP, A256GCM). Its parts are
// random here; cognitod finds the session by the token's hash.
std::string make_refresh_token(id_source& ids)
{
    std::string token = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.";
    token += auth::base64url_encode(ids.bytes(256));
    token += '.';
    token += auth::base64url_encode(ids.bytes(12));
    token += '.';
    token += auth::base64url_encode(ids.bytes(640));
    token += '.';
    token += auth::base64url_encode(ids.bytes(16));
    return token;
}

std::string token_hash(std::string_view token)
{
    return auth::hex_encode(auth::sha256(token));
}

// The user's attributes as ID-token claims: strings, but booleans and numbers where the schema
// says so; only what the client may read.
void add_attribute_claims(
    std::vector<std::pair<std::string, json>>& claims,
    storage::user const& u,
    json const& client_settings
)
{
    auto const readable = client_settings.find("ReadAttributes");
    for (auto const& a : u.attributes)
    {
        if (a.name == "sub")
        {
            continue;
        }
        if (readable != client_settings.end() &&
            std::find(readable->begin(), readable->end(), a.name) == readable->end())
        {
            continue;
        }
        if (a.name == "email_verified" || a.name == "phone_number_verified")
        {
            claims.emplace_back(a.name, a.value == "true");
        }
        else if (a.name == "updated_at" && !a.value.empty() && a.value.find_first_not_of("0123456789") == std::string::npos)
        {
            claims.emplace_back(a.name, std::stoll(a.value));
        }
        else
        {
            claims.emplace_back(a.name, a.value);
        }
    }
}

struct minted
{
    std::string access;
    std::string id;
    std::int64_t expires_in = 0;
};

} // namespace

// Whether a space-separated scope lists name.
bool grants(std::string_view scope, std::string_view name)
{
    while (!scope.empty())
    {
        auto const end = scope.find(' ');
        if (scope.substr(0, end) == name)
        {
            return true;
        }
        scope.remove_prefix(end == std::string_view::npos ? scope.size() : end + 1);
    }
    return false;
}

std::vector<std::string> split_scope(std::string_view text)
{
    std::vector<std::string> out;
    while (!text.empty())
    {
        auto const end = text.find(' ');
        auto const word = text.substr(0, end);
        if (!word.empty() && std::find(out.begin(), out.end(), word) == out.end())
        {
            out.emplace_back(word);
        }
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    }
    return out;
}

std::string join_scope(std::vector<std::string> const& scopes)
{
    std::string out;
    for (auto const& s : scopes)
    {
        out += out.empty() ? "" : " ";
        out += s;
    }
    return out;
}

namespace
{

// A sign-in's access and ID tokens. A session with a scope came through the OAuth 2.0 path: its
// access token carries that scope and `version`, its ID token (only with openid) `at_hash` and the
// nonce the authorization request sent; neither carries event_id. The access token of that path
// is signed here, in the transaction, since the ID token's at_hash is the hash of its signed text.
minted mint(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    storage::auth_session const& session,
    std::string_view source,
    std::optional<std::string> const& nonce = std::nullopt
)
{
    auto const keys = ctx.keys.keys(ctx.store, target.pool.seq);
    auto const& settings = target.client.settings;
    bool const oauth = !session.scope.empty();
    std::int64_t const now = ctx.now_ms / 1000;
    std::int64_t const access_life =
        lifetime(settings, "AccessTokenValidity", "AccessToken", 1, "hours");
    std::int64_t const id_life = lifetime(settings, "IdTokenValidity", "IdToken", 1, "hours");
    auto const iss = issuer(ctx, target.pool);
    auto const event_id = oauth ? std::string{} : ctx.ids.uuid();

    auto const membership = claims_for_groups(ctx, u.id);
    claim_list access{{"sub", u.sub}};
    if (!membership.groups.empty())
    {
        access.emplace_back("cognito:groups", membership.groups);
    }
    if (!session.device_key.empty())
    {
        access.emplace_back("device_key", session.device_key);
    }
    access.emplace_back("iss", iss);
    if (oauth)
    {
        access.emplace_back("version", 2);
    }
    access.emplace_back("client_id", target.client.id);
    access.emplace_back("origin_jti", session.origin_jti);
    if (!oauth)
    {
        access.emplace_back("event_id", event_id);
    }
    access.emplace_back("token_use", "access");
    access.emplace_back("scope", oauth ? session.scope : std::string{admin_scope});
    access.emplace_back("auth_time", session.auth_time);
    access.emplace_back("exp", now + access_life);
    access.emplace_back("iat", now);
    access.emplace_back("jti", ctx.ids.uuid());
    access.emplace_back("username", u.username);

    // A sign-in through the OAuth 2.0 path without openid has no ID token.
    bool const with_id = !oauth || grants(session.scope, "openid");
    claim_list id{{"sub", u.sub}};
    if (!membership.groups.empty())
    {
        id.emplace_back("cognito:groups", membership.groups);
    }
    if (!membership.roles.empty())
    {
        id.emplace_back("cognito:roles", membership.roles);
    }
    if (membership.preferred_role)
    {
        id.emplace_back("cognito:preferred_role", *membership.preferred_role);
    }
    id.emplace_back("iss", iss);
    id.emplace_back("cognito:username", u.username);
    if (nonce)
    {
        id.emplace_back("nonce", *nonce);
    }
    id.emplace_back("origin_jti", session.origin_jti);
    id.emplace_back("aud", target.client.id);
    if (!oauth)
    {
        id.emplace_back("event_id", event_id);
    }
    id.emplace_back("token_use", "id");
    id.emplace_back("auth_time", session.auth_time);
    id.emplace_back("exp", now + id_life);
    id.emplace_back("iat", now);
    id.emplace_back("jti", ctx.ids.uuid());
    // Attributes go in after the standard claims: where two share a hash bucket (jti, email),
    // Cognito's tokens show the standard claim first.
    add_attribute_claims(id, u, settings);

    customize_tokens(
        ctx,
        target.pool,
        {source, &u, target.client.id, &membership},
        access,
        with_id ? &id : nullptr
    );

    minted out;
    out.expires_in = access_life;
    auto access_payload = auth::java_hash_order(std::move(access));
    if (!oauth)
    {
        out.access = ctx.tokens.add(keys->access, access_payload);
        out.id = ctx.tokens.add(keys->id, auth::java_hash_order(std::move(id)));
        return out;
    }
    out.access =
        auth::sign_jwt(keys->access, auth::jwt_signing_input(keys->access, access_payload));
    if (with_id)
    {
        // OpenID Connect Core 3.1.3.6: the left half of the SHA-256 of the token's ASCII text.
        id.emplace_back("at_hash", auth::base64url_encode(auth::sha256(out.access).substr(0, 16)));
        out.id = ctx.tokens.add(keys->id, auth::java_hash_order(std::move(id)));
    }
    return out;
}

// AuthenticationResult. A session the OAuth 2.0 path opened without openid has no ID token.
json result_of(minted const& tokens)
{
    json out{
        {"AccessToken", tokens.access},
        {"ExpiresIn", tokens.expires_in},
        {"TokenType", "Bearer"},
    };
    if (!tokens.id.empty())
    {
        out["IdToken"] = tokens.id;
    }
    return out;
}

} // namespace

client_and_pool require_client(
    request_context& ctx, std::string const& client_id, std::optional<std::string> const& pool_id
)
{
    auto client = ctx.store.find_app_client(client_id);
    std::optional<storage::user_pool> pool;
    if (client)
    {
        pool = ctx.store.find_user_pool_by_seq(client->pool_seq);
    }
    if (!client || !pool || (pool_id && pool->id != *pool_id))
    {
        throw errors::resource_not_found("User pool client " + client_id + " does not exist.");
    }
    return {std::move(*client), std::move(*pool)};
}

std::string
secret_hash(std::string_view secret, std::string_view username, std::string_view client_id)
{
    std::string message{username};
    message += client_id;
    return auth::base64_encode(auth::hmac_sha256(secret, message));
}

void check_secret_hash(
    storage::app_client const& client,
    std::string_view username,
    std::optional<std::string> const& provided
)
{
    if (client.secret.empty())
    {
        return;
    }
    if (!provided)
    {
        throw errors::not_authorized(
            "Client " + client.id + " is configured with secret but SECRET_HASH was not received"
        );
    }
    if (!auth::constant_time_equal(*provided, secret_hash(client.secret, username, client.id)))
    {
        throw errors::not_authorized("Unable to verify secret hash for client " + client.id);
    }
}

std::string issuer(request_context const& ctx, storage::user_pool const& pool)
{
    return ctx.issuer_base + "/" + pool.id;
}

namespace
{

// A new auth session for a sign-in, and its refresh token.
std::pair<storage::auth_session, std::string> open_session(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    std::string const& device_key,
    std::string scope,
    std::int64_t auth_time
)
{
    auto refresh_token = make_refresh_token(ctx.ids);
    storage::auth_session session;
    session.origin_jti = ctx.ids.uuid();
    session.user_id = u.id;
    session.client_seq = target.client.seq;
    session.refresh_hash = token_hash(refresh_token);
    session.device_key = device_key;
    session.auth_time = auth_time;
    session.refresh_expires =
        ctx.now_ms / 1000 +
        lifetime(target.client.settings, "RefreshTokenValidity", "RefreshToken", 30, "days");
    session.scope = std::move(scope);
    ctx.store.insert_auth_session(session);
    return {std::move(session), std::move(refresh_token)};
}

// The session a refresh token names, and its user: "Invalid Refresh Token" for one this client
// was not given.
std::pair<storage::auth_session, storage::user>
find_refresh_session(request_context& ctx, client_and_pool const& target, std::string const& token)
{
    auto session = ctx.store.find_auth_session_by_refresh(token_hash(token));
    if (!session || session->client_seq != target.client.seq)
    {
        throw invalid_refresh_token();
    }
    auto u = ctx.store.find_user_by_id(session->user_id);
    if (!u)
    {
        throw invalid_refresh_token();
    }
    return {std::move(*session), std::move(*u)};
}

// What refuses a refresh once the client has proven itself: a disabled user, a revoked or expired
// session, and a session bound to a device that is not presented or no longer remembered.
void check_refresh(
    request_context& ctx,
    storage::auth_session const& session,
    storage::user const& u,
    std::optional<std::string> const& device_key
)
{
    // A disabled user hears why; once enabled again, the tokens disabling revoked stay revoked.
    if (!u.enabled)
    {
        throw errors::not_authorized("User is disabled.");
    }
    if (session.revoked || u.revoked_before >= session.auth_time)
    {
        throw errors::not_authorized("Refresh Token has been revoked");
    }
    if (ctx.now_ms / 1000 > session.refresh_expires)
    {
        throw errors::not_authorized("Refresh Token has expired");
    }
    // A refresh token issued to a device works only with that device, and only while the
    // device is remembered by the pool (not forgotten).
    if (!session.device_key.empty() && (!device_key || *device_key != session.device_key ||
                                        !ctx.store.find_device(u.id, session.device_key)))
    {
        throw invalid_refresh_token();
    }
}

// The token endpoint's answer: access_token, id_token, refresh_token, token_type, expires_in.
json oauth_result(minted const& tokens, std::optional<std::string> const& refresh_token)
{
    json out{{"access_token", tokens.access}};
    if (!tokens.id.empty())
    {
        out["id_token"] = tokens.id;
    }
    if (refresh_token)
    {
        out["refresh_token"] = *refresh_token;
    }
    out["token_type"] = "Bearer";
    out["expires_in"] = tokens.expires_in;
    return out;
}

} // namespace

json issue_tokens(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    std::string const& device_key,
    std::string_view source
)
{
    auto const [session, refresh_token] =
        open_session(ctx, target, u, device_key, {}, ctx.now_ms / 1000);
    auto result = result_of(mint(ctx, target, u, session, source));
    result["RefreshToken"] = refresh_token;
    return result;
}

json issue_oauth_tokens(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    oauth_grant const& grant
)
{
    auto const [session, refresh_token] =
        open_session(ctx, target, u, {}, grant.scope, grant.auth_time);
    return oauth_result(
        mint(ctx, target, u, session, "HostedAuth", grant.nonce),
        grant.with_refresh_token ? std::optional<std::string>{refresh_token} : std::nullopt
    );
}

json refresh_oauth_tokens(
    request_context& ctx, client_and_pool const& target, std::string const& refresh_token
)
{
    auto const [session, u] = find_refresh_session(ctx, target, refresh_token);
    check_refresh(ctx, session, u, std::nullopt);
    return oauth_result(mint(ctx, target, u, session, "RefreshTokens"), std::nullopt);
}

json client_credentials_token(
    request_context& ctx, client_and_pool const& target, std::string const& scope
)
{
    auto const keys = ctx.keys.keys(ctx.store, target.pool.seq);
    std::int64_t const now = ctx.now_ms / 1000;
    std::int64_t const life =
        lifetime(target.client.settings, "AccessTokenValidity", "AccessToken", 1, "hours");
    claim_list access{
        {"sub", target.client.id},
        {"token_use", "access"},
        {"scope", scope},
        {"auth_time", now},
        {"iss", issuer(ctx, target.pool)},
        {"exp", now + life},
        {"iat", now},
        {"version", 2},
        {"jti", ctx.ids.uuid()},
        {"client_id", target.client.id},
    };
    customize_tokens(
        ctx, target.pool, {"ClientCredentials", nullptr, target.client.id, nullptr}, access, nullptr
    );
    return {
        {"access_token", ctx.tokens.add(keys->access, auth::java_hash_order(std::move(access)))},
        {"token_type", "Bearer"},
        {"expires_in", life},
    };
}

json refresh_tokens(
    request_context& ctx,
    client_and_pool const& target,
    std::string const& refresh_token,
    std::optional<std::string> const& device_key,
    std::optional<std::string> const& secret_hash_or_secret,
    bool secret_is_hash
)
{
    auto const [session, u] = find_refresh_session(ctx, target, refresh_token);
    if (!target.client.secret.empty())
    {
        auto const& client = target.client;
        if (!secret_hash_or_secret)
        {
            throw errors::not_authorized(
                "Client " + client.id + " is configured with secret but " +
                (secret_is_hash ? "SECRET_HASH" : "ClientSecret") + " was not received"
            );
        }
        // A refresh's hash may be computed over the username or the sub; both name the user.
        auto const& given = *secret_hash_or_secret;
        bool const ok =
            secret_is_hash
                ? auth::constant_time_equal(
                      given, secret_hash(client.secret, u.username, client.id)
                  ) ||
                      auth::constant_time_equal(given, secret_hash(client.secret, u.sub, client.id))
                : auth::constant_time_equal(given, client.secret);
        if (!ok)
        {
            throw errors::not_authorized("Unable to verify secret hash for client " + client.id);
        }
    }
    check_refresh(ctx, session, u, device_key);
    auto result = result_of(mint(ctx, target, u, session, "RefreshTokens"));
    auto const rotation = target.client.settings.value("RefreshTokenRotation", json::object());
    if (rotation.value("Feature", "DISABLED") == "ENABLED")
    {
        auto const next = make_refresh_token(ctx.ids);
        ctx.store.set_session_refresh(session.origin_jti, token_hash(next));
        result["RefreshToken"] = next;
    }
    return result;
}

device_configuration device_settings(storage::user_pool const& pool)
{
    auto const config = pool.settings->find("DeviceConfiguration");
    if (config == pool.settings->end() || !config->is_object())
    {
        return {};
    }
    return {
        true,
        config->value("ChallengeRequiredOnNewDevice", false),
        config->value("DeviceOnlyRememberedOnUserPrompt", false),
    };
}

device_binding bind_device(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user const& u,
    std::optional<std::string> const& presented
)
{
    if (!device_settings(pool).tracked)
    {
        // Without device tracking, devices play no part in a sign-in.
        return {};
    }
    if (presented)
    {
        auto d = ctx.store.find_device(u.id, *presented);
        if (!d)
        {
            throw errors::device_not_found();
        }
        d->last_authenticated = ctx.now_ms;
        d->last_modified = ctx.now_ms;
        d->last_ip = ctx.source_ip;
        ctx.store.update_device(*d);
        return {d->key, std::nullopt};
    }
    storage::device d;
    d.key = make_device_key(ctx, pool);
    d.user_id = u.id;
    d.group_key = make_device_group_key(ctx.ids);
    d.remembered = false;
    d.confirmed = false;
    d.last_ip = ctx.source_ip;
    d.created = ctx.now_ms;
    d.last_modified = ctx.now_ms;
    d.last_authenticated = ctx.now_ms;
    d.seq = ctx.store.insert_device(d);
    return {d.key, d};
}

void add_new_device(json& result, device_binding const& binding)
{
    if (binding.new_device)
    {
        result["NewDeviceMetadata"] = {
            {"DeviceKey", binding.new_device->key},
            {"DeviceGroupKey", binding.new_device->group_key},
        };
    }
}

token_owner verify_access_token(request_context& ctx, std::string const& access_token)
{
    auto const token = auth::decode_jwt(access_token);
    if (!token)
    {
        throw invalid_access_token();
    }
    // Claims are read only when they have the type Cognito writes; anything else is no claim.
    auto const text = [](json const& object, char const* name) -> std::string
    {
        auto const it = object.find(name);
        return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
    };
    auto const& claims = token->payload;
    auto const iss = text(claims, "iss");
    if (text(claims, "token_use") != "access" || iss.empty())
    {
        throw invalid_access_token();
    }
    auto pool = ctx.store.find_user_pool(iss.substr(iss.rfind('/') + 1));
    // A pool without keys has signed nothing.
    auto const keys = pool ? ctx.keys.find(ctx.store, pool->seq) : nullptr;
    if (!keys || text(token->header, "kid") != keys->access.kid() ||
        text(token->header, "alg") != "RS256" ||
        !keys->access.verify(token->signing_input, token->signature))
    {
        throw invalid_access_token();
    }
    auto const number = [&](char const* name) -> std::int64_t
    {
        auto const it = claims.find(name);
        return it != claims.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
    };
    if (number("exp") <= ctx.now_ms / 1000)
    {
        throw errors::not_authorized("Access Token has expired");
    }
    auto const session = ctx.store.find_auth_session(text(claims, "origin_jti"));
    if (!session)
    {
        // Sessions go with their user: a validly signed token whose user is gone names a user
        // that does not exist.
        if (!ctx.store.find_user_by_sub(pool->seq, text(claims, "sub")))
        {
            throw errors::user_not_found();
        }
        throw invalid_access_token();
    }
    auto u = ctx.store.find_user_by_id(session->user_id);
    if (!u)
    {
        throw errors::user_not_found();
    }
    if (session->revoked || !u->enabled || number("iat") <= u->revoked_before)
    {
        throw revoked_access_token();
    }
    return {
        std::move(*pool),
        std::move(*u),
        *session,
        text(claims, "client_id"),
        text(claims, "device_key"),
        text(claims, "scope")};
}

token_owner authenticate(request_context& ctx, std::string const& access_token)
{
    auto owner = verify_access_token(ctx, access_token);
    if (!grants(owner.scope, admin_scope))
    {
        throw errors::not_authorized("Access Token does not have required scopes");
    }
    // A token outlives a change of state: the model lists these two refusals for every operation
    // an access token authorizes.
    if (owner.user.status == "RESET_REQUIRED")
    {
        throw errors::password_reset_required();
    }
    if (owner.user.status == "UNCONFIRMED")
    {
        throw errors::user_not_confirmed();
    }
    return owner;
}

bool prevents_existence_errors(storage::app_client const& client)
{
    return client.settings.value("PreventUserExistenceErrors", "LEGACY") == "ENABLED";
}

std::optional<std::string> parameter(json const& map, std::string_view name)
{
    auto const it = map.find(name);
    if (it == map.end() || !it->is_string())
    {
        return std::nullopt;
    }
    return it->get<std::string>();
}

} // namespace cognitod
