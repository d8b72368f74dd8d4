// The sign-in state machine: the challenge table, the Session's typed state, and advance(), the
// one place that decides what follows each proof.
#include "server/operations/sign_in/flow.hpp"

#include "server/auth/encoding.hpp"
#include "server/operations/common.hpp"
#include "server/operations/triggers/triggers.hpp"

#include <algorithm>
#include <array>

namespace cognitod
{

namespace
{

// How an answer names its open challenge.
enum class found_by
{
    // The Session member. The USERNAME answered must be the challenge's user, or the session is
    // not theirs ("Invalid session for the user."), and a disabled user answers nothing.
    session,
    // The SRP exchange's own SECRET_BLOCK (PASSWORD_VERIFIER comes without a Session). A USERNAME
    // that is not the challenge's user is a wrong password, and the user's status is checked
    // with the password, once it is proven.
    secret_block,
};

using answer_fn =
    proof (*)(request_context&, client_and_pool const&, open_round&, json const& responses);

struct challenge_entry
{
    std::string_view name;
    found_by key = found_by::session;
    answer_fn answer = nullptr;
};

// ChallengeName → its answer. A name not here was never sent, so no Session of it is open.
constexpr std::array challenges{
    challenge_entry{"PASSWORD_VERIFIER", found_by::secret_block, &answer_password_verifier},
    challenge_entry{"NEW_PASSWORD_REQUIRED", found_by::session, &answer_new_password},
    challenge_entry{"SELECT_MFA_TYPE", found_by::session, &answer_select_mfa_type},
    challenge_entry{"SMS_MFA", found_by::session, &answer_mfa_code},
    challenge_entry{"SOFTWARE_TOKEN_MFA", found_by::session, &answer_mfa_code},
    challenge_entry{"DEVICE_SRP_AUTH", found_by::session, &answer_device_srp_auth},
    challenge_entry{
        "DEVICE_PASSWORD_VERIFIER", found_by::session, &answer_device_password_verifier},
    challenge_entry{"CUSTOM_CHALLENGE", found_by::session, &answer_custom_challenge},
    challenge_entry{"SELECT_CHALLENGE", found_by::session, &answer_select_challenge},
    challenge_entry{"EMAIL_OTP", found_by::session, &answer_one_time_code},
    challenge_entry{"SMS_OTP", found_by::session, &answer_one_time_code},
};

challenge_entry const* find_entry(std::string_view name)
{
    auto const it = std::find_if(
        challenges.begin(), challenges.end(), [&](auto const& e) { return e.name == name; }
    );
    return it == challenges.end() ? nullptr : &*it;
}

aws_error invalid_session()
{
    return errors::not_authorized("Invalid session for the user.");
}

std::string key_hash(std::string_view key)
{
    return auth::hex_encode(auth::sha256(key));
}

// The open challenge kept under key for this client and name. NotAuthorizedException
// "Invalid session for the user." (or "..., session is expired.", "... can only be used once.")
storage::challenge find_open_challenge(
    request_context& ctx,
    client_and_pool const& target,
    std::string const& key,
    std::string_view name
)
{
    auto const c = key.empty() ? std::nullopt : ctx.store.find_challenge(key_hash(key));
    if (!c || c->client_seq != target.client.seq)
    {
        throw invalid_session();
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
        throw invalid_session();
    }
    return *c;
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
    if (!presented_device || !device_settings(pool).tracked)
    {
        return std::nullopt;
    }
    auto d = ctx.store.find_device(u.id, *presented_device);
    if (!d)
    {
        throw errors::device_not_found();
    }
    if (d->remembered && d->confirmed && !d->verifier.empty())
    {
        return d;
    }
    return std::nullopt;
}

// The statuses that refuse a sign-in once the password is proven.
void check_may_sign_in(storage::user const& u)
{
    if (!u.enabled)
    {
        throw errors::not_authorized("User is disabled.");
    }
    check_may_try_password(u);
}

// A temporary password lasts the pool's TemporaryPasswordValidityDays (AdminCreateUser keeps
// its end); once past it, only an administrator can let the user in.
void check_temporary_password(request_context& ctx, storage::user const& u)
{
    auto const expiry = ctx.store.find_code(u.id, "TEMPORARY_PASSWORD");
    if (expiry && expiry->expires < ctx.now_ms)
    {
        throw errors::not_authorized(
            "Temporary password has expired and must be reset by an administrator."
        );
    }
}

// The key simulated SECRET_BLOCKs and salts are made with: random, once per process.
std::string const& simulation_key(request_context& ctx)
{
    static std::string const key = ctx.ids.bytes(32);
    return key;
}

// What PreTokenGeneration hears a sign-in's tokens are for: TokenGeneration_<source>.
std::string_view token_source(proof::step last)
{
    switch (last)
    {
    case proof::step::new_password:
        return "NewPasswordChallenge";
    case proof::step::device:
        return "AuthenticateDevice";
    default:
        return "Authentication";
    }
}

// Tokens for a user who has proven who they are, bound to the presented or a new device:
// {"ChallengeParameters": {}, "AuthenticationResult": ...}, once PostAuthentication lets them
// in. On the hosted login, the user alone: {"SignedInUser": id}; the authorization it completes
// decides what to issue.
json tokens(
    request_context& ctx,
    client_and_pool const& target,
    proof const& p,
    std::optional<std::string> const& presented_device
)
{
    auto const& u = p.user;
    if (target.hosted)
    {
        post_authentication(ctx, target.pool, u, target.client.id, false);
        return {{"SignedInUser", u.id}};
    }
    auto const binding = bind_device(ctx, target.pool, u, presented_device);
    post_authentication(ctx, target.pool, u, target.client.id, binding.new_device.has_value());
    auto result = issue_tokens(ctx, target, u, binding.device_key, token_source(p.proved));
    add_new_device(result, binding);
    return {{"ChallengeParameters", json::object()}, {"AuthenticationResult", std::move(result)}};
}

// After the password and any MFA: the remembered device's own proof, else tokens.
json device_proof_or_tokens(
    request_context& ctx,
    client_and_pool const& target,
    proof const& p,
    std::optional<storage::device> const& remembered
)
{
    if (remembered)
    {
        return device_srp_challenge(ctx, target, p.user, *remembered);
    }
    return tokens(ctx, target, p, p.state.device_key);
}

std::optional<std::string> hex_member(json const& stored, char const* name)
{
    auto const it = stored.find(name);
    return it != stored.end() && it->is_string() ? auth::hex_decode(it->get<std::string>())
                                                 : std::nullopt;
}

} // namespace

json sign_in_state::to_json() const
{
    json out{{"device_key", device_key ? json(*device_key) : json()}};
    if (srp)
    {
        out["A"] = auth::hex_encode(srp->A);
        out["b"] = auth::hex_encode(srp->b);
        out["B"] = auth::hex_encode(srp->B);
        out["secret_block"] = srp->secret_block;
    }
    if (!sms_code.empty())
    {
        out["code"] = sms_code;
    }
    if (custom)
    {
        out["custom"] = {
            {"session", custom->session},
            {"private", custom->private_parameters},
            {"metadata", custom->metadata},
        };
    }
    return out;
}

sign_in_state sign_in_state::from_json(json const& stored)
{
    sign_in_state state;
    if (!stored.is_object())
    {
        return state;
    }
    state.device_key = parameter(stored, "device_key");
    auto client_public = hex_member(stored, "A");
    auto server_secret = hex_member(stored, "b");
    auto server_public = hex_member(stored, "B");
    auto block = parameter(stored, "secret_block");
    if (client_public && server_secret && server_public && block)
    {
        state.srp = srp_exchange{
            std::move(*client_public),
            std::move(*server_secret),
            std::move(*server_public),
            std::move(*block),
        };
    }
    state.sms_code = parameter(stored, "code").value_or("");
    if (auto it = stored.find("custom"); it != stored.end() && it->is_object())
    {
        custom_rounds rounds;
        rounds.session = it->value("session", json::array());
        rounds.private_parameters = it->value("private", json::object());
        rounds.metadata = it->value("metadata", std::string{});
        state.custom = std::move(rounds);
    }
    return state;
}

json device_proof_or_tokens(request_context& ctx, client_and_pool const& target, proof const& p)
{
    return device_proof_or_tokens(
        ctx, target, p, remembered_device(ctx, target.pool, p.user, p.state.device_key)
    );
}

void begin_authentication(
    request_context& ctx, client_and_pool const& target, storage::user const& u
)
{
    pre_authentication(ctx, target.pool, u, target.client.id);
}

storage::user
user_signing_in(request_context& ctx, client_and_pool const& target, json const& params)
{
    auto const username = require_parameter(params, "USERNAME");
    check_secret_hash(target.client, username, parameter(params, "SECRET_HASH"));
    auto u = find_user(ctx, target.pool, username);
    if (!u)
    {
        if (prevents_existence_errors(target.client))
        {
            throw errors::not_authorized("Incorrect username or password.");
        }
        throw errors::user_not_found();
    }
    if (!u->enabled)
    {
        throw errors::not_authorized("User is disabled.");
    }
    begin_authentication(ctx, target, *u);
    check_may_try_password(*u);
    return std::move(*u);
}

json advance(request_context& ctx, client_and_pool const& target, proof const& p)
{
    switch (p.proved)
    {
    case proof::step::user_srp_started:
        return password_verifier_challenge(ctx, target, p);
    case proof::step::password:
    {
        check_may_sign_in(p.user);
        if (p.state.custom)
        {
            // CUSTOM_AUTH that began with SRP: the password is a round DefineAuthChallenge sees.
            return define_next_round(ctx, target, p);
        }
        if (p.user.status == "FORCE_CHANGE_PASSWORD")
        {
            check_temporary_password(ctx, p.user);
            return new_password_challenge(ctx, target, p.user, p.state);
        }
        // A remembered device skips MFA where the pool's ChallengeRequiredOnNewDevice allows.
        // Looked up once: the device's proof below needs the same row.
        auto const remembered = remembered_device(ctx, target.pool, p.user, p.state.device_key);
        bool const device_skips_mfa =
            remembered && device_settings(target.pool).challenge_required_on_new_device;
        if (!device_skips_mfa)
        {
            if (auto challenge = mfa_challenge(ctx, target, p.user, p.state))
            {
                return std::move(*challenge);
            }
        }
        return device_proof_or_tokens(ctx, target, p, remembered);
    }
    case proof::step::mfa_factor_chosen:
        return chosen_mfa_challenge(ctx, target, p);
    case proof::step::mfa:
        return device_proof_or_tokens(ctx, target, p);
    case proof::step::device_srp_started:
        return device_password_verifier_challenge(ctx, target, p);
    case proof::step::new_password:
    case proof::step::device:
        return tokens(ctx, target, p, p.state.device_key);
    case proof::step::custom_started:
    case proof::step::custom_answered:
        return define_next_round(ctx, target, p);
    case proof::step::factor_chosen:
        return one_time_code_challenge(ctx, target, p);
    case proof::step::one_time_code:
        // A code sent to the user's own email or phone is the sign-in's proof: no MFA follows.
        check_may_sign_in(p.user);
        return device_proof_or_tokens(ctx, target, p);
    }
    throw errors::internal_error();
}

json respond(request_context& ctx, client_and_pool const& target, json const& input)
{
    auto const name = input.at("ChallengeName").get<std::string>();
    auto const& responses =
        input.contains("ChallengeResponses") ? input.at("ChallengeResponses") : json::object();
    auto const* entry = find_entry(name);
    bool const by_block = entry != nullptr && entry->key == found_by::secret_block;
    auto const key = by_block ? require_parameter(responses, "PASSWORD_CLAIM_SECRET_BLOCK")
                              : input.value("Session", std::string{});
    if (by_block && is_simulated_secret_block(ctx, key))
    {
        throw errors::not_authorized("Incorrect username or password.");
    }
    auto record = find_open_challenge(ctx, target, key, name);
    if (entry == nullptr)
    {
        throw invalid_session();
    }
    auto const username = require_parameter(responses, "USERNAME");
    auto u = ctx.store.find_user_by_id(record.user_id);
    auto const named = find_user(ctx, target.pool, username);
    if (!u || !named || named->id != u->id)
    {
        throw by_block ? errors::not_authorized("Incorrect username or password.")
                       : invalid_session();
    }
    check_secret_hash(target.client, username, parameter(responses, "SECRET_HASH"));
    if (!by_block && !u->enabled)
    {
        throw errors::not_authorized("User is disabled.");
    }
    open_round round{record, sign_in_state::from_json(record.state), std::move(*u)};
    auto const p = entry->answer(ctx, target, round, responses);
    // A Session serves once; a throw above rolls this back with the rest of the call.
    ctx.store.mark_challenge_used(record.session_hash);
    return advance(ctx, target, p);
}

void check_may_try_password(storage::user const& u)
{
    if (u.status == "UNCONFIRMED")
    {
        throw errors::user_not_confirmed();
    }
    if (u.status == "RESET_REQUIRED")
    {
        throw errors::password_reset_required();
    }
}

storage::user
simulated_user(request_context& ctx, storage::user_pool const& pool, std::string const& username)
{
    auto const& key = simulation_key(ctx);
    storage::user u;
    u.pool_seq = pool.seq;
    u.username = username;
    u.password_salt = auth::hmac_sha256(key, "salt:" + pool.id + ":" + username).substr(0, 16);
    u.password_verifier = auth::hmac_sha256(key, "verifier:" + pool.id + ":" + username);
    return u;
}

// 96 random bytes and the first 32 of their HMAC: as long as a real block (128 bytes).
std::string simulated_secret_block(request_context& ctx)
{
    auto const nonce = ctx.ids.bytes(96);
    return auth::base64_encode(nonce + auth::hmac_sha256(simulation_key(ctx), nonce));
}

bool is_simulated_secret_block(request_context& ctx, std::string const& block)
{
    auto const bytes = auth::base64_decode(block);
    return bytes && bytes->size() == 128 &&
           bytes->substr(96) == auth::hmac_sha256(simulation_key(ctx), bytes->substr(0, 96));
}

std::string require_parameter(json const& map, std::string_view name)
{
    auto value = parameter(map, name);
    if (!value)
    {
        throw errors::invalid_parameter("Missing required parameter " + std::string{name});
    }
    return std::move(*value);
}

void open_challenge(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    std::string const& name,
    std::string const& key,
    sign_in_state const& state
)
{
    auto const minutes = target.client.settings.value("AuthSessionValidity", 3);
    storage::challenge c;
    c.session_hash = key_hash(key);
    c.user_id = u.id;
    c.client_seq = target.client.seq;
    c.name = name;
    c.expires = ctx.now_ms + std::int64_t{minutes} * 60000;
    c.state = state.to_json();
    ctx.store.delete_expired_challenges(ctx.now_ms);
    ctx.store.insert_challenge(c);
}

json send_challenge(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    std::string const& name,
    sign_in_state const& state,
    json parameters
)
{
    auto const session = auth::base64_encode(ctx.ids.bytes(192));
    open_challenge(ctx, target, u, name, session, state);
    return {
        {"ChallengeName", name},
        {"Session", session},
        {"ChallengeParameters", std::move(parameters)},
    };
}

} // namespace cognitod
