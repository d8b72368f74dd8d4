// SRP sign-in as Cognito runs it: USER_SRP_AUTH → PASSWORD_VERIFIER, then for a remembered
// device DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER, each proof checked against the verifier the
// server holds (the user's from their password, the device's from ConfirmDevice).
#include "server/auth/encoding.hpp"
#include "server/auth/srp.hpp"
#include "server/operations/common.hpp"
#include "server/operations/sign_in/flow.hpp"

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

// Checks PASSWORD_CLAIM_SIGNATURE against the exchange kept with the challenge and the verifier v.
void check_claim(
    sign_in_state const& state,
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
    if (!state.srp || block != state.srp->secret_block || !block_bytes)
    {
        throw incorrect_password();
    }
    auto const& ex = *state.srp;
    auto const key = auth::srp::session_key(ex.A, ex.B, ex.b, v);
    if (!key)
    {
        throw incorrect_password();
    }
    auto const expected =
        auth::srp::claim_signature(*key, pool_name, user_id, *block_bytes, timestamp);
    if (!auth::constant_time_equal(expected, signature))
    {
        throw incorrect_password();
    }
}

// A new exchange of the client's A against verifier v.
srp_exchange begin(request_context& ctx, std::string const& A, std::string_view v)
{
    auto server = auth::srp::start_exchange(v, ctx.ids.bytes(32));
    auto block = auth::base64_encode(ctx.ids.bytes(128));
    return {A, std::move(server.b), std::move(server.B), std::move(block)};
}

} // namespace

proof start_user_srp(request_context& ctx, client_and_pool const& target, json const& params)
{
    auto const username = require_parameter(params, "USERNAME");
    auto a_pub = decode_public(require_parameter(params, "SRP_A"));
    check_secret_hash(target.client, username, parameter(params, "SECRET_HASH"));
    auto u = find_user(ctx, target.pool, username);
    if (!u)
    {
        if (prevents_existence_errors(target.client))
        {
            proof p{proof::step::user_srp_started, simulated_user(ctx, target.pool, username), {}};
            p.srp_a = std::move(a_pub);
            return p;
        }
        throw errors::user_not_found();
    }
    begin_authentication(ctx, target, *u);
    check_may_try_password(*u);
    proof p{proof::step::user_srp_started, std::move(*u), {}};
    p.state.device_key = parameter(params, "DEVICE_KEY");
    p.srp_a = std::move(a_pub);
    return p;
}

json password_verifier_challenge(
    request_context& ctx, client_and_pool const& target, proof const& p
)
{
    auto const& u = p.user;
    sign_in_state state;
    state.device_key = p.state.device_key;
    state.custom = p.state.custom;
    state.srp = begin(ctx, p.srp_a, u.password_verifier);
    if (u.id == 0)
    {
        // A user who does not exist (simulated_user): the block says so to this server alone,
        // and the answer fails as a wrong password would.
        state.srp->secret_block = simulated_secret_block(ctx);
    }
    else
    {
        // The exchange's SECRET_BLOCK names the challenge: PASSWORD_VERIFIER has no Session.
        open_challenge(ctx, target, u, "PASSWORD_VERIFIER", state.srp->secret_block, state);
    }
    return {
        {"ChallengeName", "PASSWORD_VERIFIER"},
        {"ChallengeParameters",
         {{"SALT", auth::hex_encode(u.password_salt)},
          {"SECRET_BLOCK", state.srp->secret_block},
          {"SRP_B", auth::hex_encode(state.srp->B)},
          {"USERNAME", u.username},
          {"USER_ID_FOR_SRP", u.username}}},
    };
}

proof answer_password_verifier(
    request_context& /*ctx*/, client_and_pool const& target, open_round& r, json const& responses
)
{
    check_claim(
        r.state,
        r.user.password_verifier,
        auth::srp::pool_name(target.pool.id),
        r.user.username,
        responses
    );
    sign_in_state state;
    state.device_key = parameter(responses, "DEVICE_KEY");
    if (!state.device_key)
    {
        state.device_key = r.state.device_key;
    }
    state.custom = std::move(r.state.custom);
    return {proof::step::password, std::move(r.user), std::move(state)};
}

json device_srp_challenge(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    storage::device const& d
)
{
    sign_in_state state;
    state.device_key = d.key;
    return send_challenge(ctx, target, u, "DEVICE_SRP_AUTH", state, json::object());
}

proof answer_device_srp_auth(
    request_context& ctx, client_and_pool const& /*target*/, open_round& r, json const& responses
)
{
    auto const key = require_parameter(responses, "DEVICE_KEY");
    auto a_pub = decode_public(require_parameter(responses, "SRP_A"));
    auto d = ctx.store.find_device(r.user.id, key);
    if (!d || d->verifier.empty() || key != r.state.device_key.value_or(""))
    {
        throw errors::device_not_found();
    }
    proof p{proof::step::device_srp_started, std::move(r.user), {}};
    p.state.device_key = key;
    p.srp_a = std::move(a_pub);
    p.device = std::move(d);
    return p;
}

json device_password_verifier_challenge(
    request_context& ctx, client_and_pool const& target, proof const& p
)
{
    auto const& d = *p.device;
    sign_in_state state;
    state.device_key = d.key;
    state.srp = begin(ctx, p.srp_a, d.verifier);
    auto const& ex = *state.srp;
    return send_challenge(
        ctx,
        target,
        p.user,
        "DEVICE_PASSWORD_VERIFIER",
        state,
        {{"DEVICE_KEY", d.key},
         {"SALT", auth::hex_encode(d.salt)},
         {"SECRET_BLOCK", ex.secret_block},
         {"SRP_B", auth::hex_encode(ex.B)},
         {"USERNAME", p.user.username}}
    );
}

proof answer_device_password_verifier(
    request_context& ctx, client_and_pool const& /*target*/, open_round& r, json const& responses
)
{
    auto const key = require_parameter(responses, "DEVICE_KEY");
    auto const d = ctx.store.find_device(r.user.id, key);
    if (!d || key != r.state.device_key.value_or(""))
    {
        throw errors::device_not_found();
    }
    // The device signs with its group key and key where a user signs with pool name and user id.
    check_claim(r.state, d->verifier, d->group_key, d->key, responses);
    proof p{proof::step::device, std::move(r.user), {}};
    p.state.device_key = d->key;
    return p;
}

} // namespace cognitod
