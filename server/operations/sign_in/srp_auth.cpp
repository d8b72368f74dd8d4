// SRP sign-in as Cognito runs it: USER_SRP_AUTH → PASSWORD_VERIFIER, then for a remembered
// device DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER, each proof checked against the verifier the
// server holds (the user's from their password, the device's from ConfirmDevice).
#include "server/auth/encoding.hpp"
#include "server/auth/srp.hpp"
#include "server/operations/sign_in/auth_flows.hpp"
#include "server/operations/common.hpp"

#include <openssl/crypto.h>

namespace cognitod
{

namespace
{

aws_error incorrect_password()
{
    return errors::not_authorized("Incorrect username or password.");
}

std::string decode_public(std::string const& hex_value)
{
    auto bytes = auth::hex_decode(hex_value);
    if (!bytes)
    {
        throw errors::invalid_parameter("SRP_A is not a valid hexadecimal number.");
    }
    return std::move(*bytes);
}

std::string hex_of(json const& state, char const* name)
{
    return *auth::hex_decode(state.at(name).get<std::string>());
}

// Checks PASSWORD_CLAIM_SIGNATURE against the exchange kept in state and the verifier v.
void check_claim(
    json const& state,
    std::string_view v,
    std::string_view pool_name,
    std::string_view user_id,
    json const& responses
)
{
    auto const block = require_parameter(responses, "PASSWORD_CLAIM_SECRET_BLOCK");
    auto const signature = require_parameter(responses, "PASSWORD_CLAIM_SIGNATURE");
    auto const timestamp = require_parameter(responses, "TIMESTAMP");
    auto const block_bytes = auth::base64_decode(block);
    if (block != state.at("secret_block").get<std::string>() || !block_bytes)
    {
        throw incorrect_password();
    }
    auto const key =
        auth::srp::session_key(hex_of(state, "A"), hex_of(state, "B"), hex_of(state, "b"), v);
    if (!key)
    {
        throw incorrect_password();
    }
    auto const expected =
        auth::srp::claim_signature(*key, pool_name, user_id, *block_bytes, timestamp);
    if (expected.size() != signature.size() ||
        CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) != 0)
    {
        throw incorrect_password();
    }
}

// A new exchange against verifier v: the state to keep and the challenge parameters to send.
struct exchange
{
    json state;
    std::string b_hex;
    std::string secret_block;
};

exchange begin(request_context& ctx, std::string const& A, std::string_view v)
{
    auto const server = auth::srp::start_exchange(v, ctx.ids.bytes(32));
    auto const block = auth::base64_encode(ctx.ids.bytes(128));
    auto const b_hex = auth::hex_encode(server.B);
    return {
        {{"A", auth::hex_encode(A)},
         {"b", auth::hex_encode(server.b)},
         {"B", b_hex},
         {"secret_block", block}},
        b_hex,
        block,
    };
}

} // namespace

json start_user_srp(request_context& ctx, client_and_pool const& target, json const& params)
{
    auto const username = require_parameter(params, "USERNAME");
    auto const a_pub = decode_public(require_parameter(params, "SRP_A"));
    check_secret_hash(target.client, username, parameter(params, "SECRET_HASH"));
    auto const u = find_user(ctx, target.pool, username);
    if (!u)
    {
        if (target.client.settings.value("PreventUserExistenceErrors", "LEGACY") == "ENABLED")
        {
            throw incorrect_password();
        }
        throw errors::user_not_found();
    }
    auto ex = begin(ctx, a_pub, u->password_verifier);
    auto const device = parameter(params, "DEVICE_KEY");
    ex.state["device_key"] = device ? json(*device) : json();
    open_challenge(ctx, target, *u, "PASSWORD_VERIFIER", ex.secret_block, ex.state);
    return {
        {"ChallengeName", "PASSWORD_VERIFIER"},
        {"ChallengeParameters",
         {{"SALT", auth::hex_encode(u->password_salt)},
          {"SECRET_BLOCK", ex.secret_block},
          {"SRP_B", ex.b_hex},
          {"USERNAME", u->username},
          {"USER_ID_FOR_SRP", u->username}}},
    };
}

json answer_password_verifier(
    request_context& ctx, client_and_pool const& target, json const& responses
)
{
    auto const block = require_parameter(responses, "PASSWORD_CLAIM_SECRET_BLOCK");
    auto const c = find_open_challenge(ctx, target, block, "PASSWORD_VERIFIER");
    auto const username = require_parameter(responses, "USERNAME");
    auto const u = ctx.store.find_user_by_id(c.user_id);
    auto const named = find_user(ctx, target.pool, username);
    if (!u || !named || named->id != u->id)
    {
        throw incorrect_password();
    }
    check_secret_hash(target.client, username, parameter(responses, "SECRET_HASH"));
    check_claim(
        c.state, u->password_verifier, auth::srp::pool_name(target.pool.id), u->username, responses
    );
    ctx.store.mark_challenge_used(c.session_hash);
    std::optional<std::string> device = parameter(responses, "DEVICE_KEY");
    if (!device && c.state["device_key"].is_string())
    {
        device = c.state["device_key"].get<std::string>();
    }
    return after_password(ctx, target, *u, device);
}

json answer_device_srp_auth(
    request_context& ctx,
    client_and_pool const& target,
    storage::challenge const& c,
    storage::user const& u,
    json const& responses
)
{
    auto const key = require_parameter(responses, "DEVICE_KEY");
    auto const a_pub = decode_public(require_parameter(responses, "SRP_A"));
    auto const d = ctx.store.find_device(u.id, key);
    if (!d || d->verifier.empty() || key != c.state.value("device_key", std::string{}))
    {
        throw errors::resource_not_found("Device does not exist.");
    }
    auto ex = begin(ctx, a_pub, d->verifier);
    ex.state["device_key"] = key;
    ctx.store.mark_challenge_used(c.session_hash);
    auto const session = new_session(ctx);
    open_challenge(ctx, target, u, "DEVICE_PASSWORD_VERIFIER", session, ex.state);
    return {
        {"ChallengeName", "DEVICE_PASSWORD_VERIFIER"},
        {"Session", session},
        {"ChallengeParameters",
         {{"DEVICE_KEY", key},
          {"SALT", auth::hex_encode(d->salt)},
          {"SECRET_BLOCK", ex.secret_block},
          {"SRP_B", ex.b_hex},
          {"USERNAME", u.username}}},
    };
}

json answer_device_password_verifier(
    request_context& ctx,
    client_and_pool const& target,
    storage::challenge const& c,
    storage::user const& u,
    json const& responses
)
{
    auto const key = require_parameter(responses, "DEVICE_KEY");
    auto const d = ctx.store.find_device(u.id, key);
    if (!d || key != c.state.value("device_key", std::string{}))
    {
        throw errors::resource_not_found("Device does not exist.");
    }
    // The device signs with its group key and key where a user signs with pool name and user id.
    check_claim(c.state, d->verifier, d->group_key, d->key, responses);
    ctx.store.mark_challenge_used(c.session_hash);
    return complete_sign_in(ctx, target, u, d->key);
}

} // namespace cognitod
