// Sign-in as one state machine. Private to server/operations/sign_in/.
//
// A flow starts in InitiateAuth or AdminInitiateAuth (the flow table in auth.cpp) and goes on in
// RespondToAuthChallenge (the challenge table in flow.cpp, ChallengeName → answer). Every start
// and every answer returns what it proved, a `proof`, and advance() alone decides what follows: a
// challenge to send back with a Session, or tokens. docs/architecture.md draws the states.
//
// Adding a step (a custom challenge, a trigger call) means a `proof::step`, its case in
// advance(), and for a challenge an entry in the challenge table with its answer function.
#pragma once

#include "server/operations/sign_in/sign_in.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace cognitod
{

// The state kept with an open challenge, in its `challenges` row and never sent to the client, who
// holds only the Session (or SECRET_BLOCK) that names it: the row is keyed by the key's SHA-256.
// Stored as JSON by to_json/from_json, under the names earlier releases wrote.
struct srp_exchange
{
    std::string A;            // the client's public value, bytes
    std::string b;            // the server's secret, bytes
    std::string B;            // the server's public value, bytes
    std::string secret_block; // base64, the SECRET_BLOCK sent with the challenge
};

// CUSTOM_AUTH's rounds, as its triggers see them, and what the open CUSTOM_CHALLENGE keeps.
struct custom_rounds
{
    json session = json::array(); // [{challengeName, challengeResult, challengeMetadata}]
    json private_parameters = json::object(); // CreateAuthChallenge's, for the answer's check
    std::string metadata;                     // CreateAuthChallenge's challengeMetadata
};

struct sign_in_state
{
    std::optional<std::string> device_key; // presented by the client, or the device proving itself
    std::optional<srp_exchange> srp;       // PASSWORD_VERIFIER, DEVICE_PASSWORD_VERIFIER
    std::string sms_code;                  // SMS_MFA, EMAIL_OTP, SMS_OTP: the code sent
    std::optional<custom_rounds> custom;   // a CUSTOM_AUTH sign-in

    json to_json() const;
    // What is missing, or of another type, is absent.
    static sign_in_state from_json(json const& stored);
};

// A challenge found open for the answer being given: the stored row, its typed state, its user.
struct open_round
{
    storage::challenge record;
    sign_in_state state;
    storage::user user;
};

// What a start or an answer established. advance() decides what follows from it.
struct proof
{
    enum class step
    {
        user_srp_started,   // USER_SRP_AUTH: the user exists and sent SRP_A
        password,           // the user's password (USER_PASSWORD_AUTH, PASSWORD_VERIFIER)
        new_password,       // NEW_PASSWORD_REQUIRED answered: the user chose a password
        mfa_factor_chosen,  // SELECT_MFA_TYPE answered with a factor the user has
        mfa,                // SMS_MFA or SOFTWARE_TOKEN_MFA answered with the right code
        device_srp_started, // DEVICE_SRP_AUTH answered with the device's SRP_A
        device,             // DEVICE_PASSWORD_VERIFIER: the remembered device's own secret
        custom_started,     // CUSTOM_AUTH: the user exists; DefineAuthChallenge decides
        custom_answered,    // CUSTOM_CHALLENGE answered, right or wrong (state.custom says)
        factor_chosen,      // USER_AUTH: EMAIL_OTP or SMS_OTP chosen as the first factor
        one_time_code,      // EMAIL_OTP or SMS_OTP answered with the code sent
    };

    proof(step what, storage::user who, sign_in_state carried = {})
        : proved(what), user(std::move(who)), state(std::move(carried))
    {
    }

    step proved;
    storage::user user;
    sign_in_state state;    // carried on: the device key, and the SRP values of a started exchange
    std::string srp_a;      // *_srp_started: the client's SRP_A, bytes
    std::string mfa_factor; // mfa_factor_chosen: SMS_MFA or SOFTWARE_TOKEN_MFA; factor_chosen:
                            // EMAIL_OTP or SMS_OTP
    std::optional<storage::device> device; // device_srp_started: the device proving itself
};

// A user whose state refuses any sign-in, whatever the password: UserNotConfirmedException for
// UNCONFIRMED, PasswordResetRequiredException for RESET_REQUIRED.
void check_may_try_password(storage::user const& u);

// PreventUserExistenceErrors: a stand-in (id 0) for a user who does not exist, so that
// USER_SRP_AUTH answers PASSWORD_VERIFIER as for a real one. Its SALT stays the same for the
// same name, as a real user's does.
storage::user
simulated_user(request_context& ctx, storage::user_pool const& pool, std::string const& username);
// A SECRET_BLOCK that names no challenge and that this process alone can tell from a real one.
std::string simulated_secret_block(request_context& ctx);
bool is_simulated_secret_block(request_context& ctx, std::string const& block);

// The one place that decides a sign-in's next step.
json advance(request_context& ctx, client_and_pool const& target, proof const& p);

// Once the user has proven all a sign-in asks: the remembered device's own proof, else tokens.
json device_proof_or_tokens(request_context& ctx, client_and_pool const& target, proof const& p);

// RespondToAuthChallenge and AdminRespondToAuthChallenge once the client is known: finds the open
// challenge, checks who answers, runs the challenge table's answer, then advance().
json respond(request_context& ctx, client_and_pool const& target, json const& input);

// An AuthParameters / ChallengeResponses value, or InvalidParameterException
// "Missing required parameter NAME".
std::string require_parameter(json const& map, std::string_view name);

// {"ChallengeName": name, "Session": session, "ChallengeParameters": parameters}, after keeping
// state under a fresh Session for the client's AuthSessionValidity minutes.
json send_challenge(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    std::string const& name,
    sign_in_state const& state,
    json parameters
);

// Keeps a challenge's state under key (a Session or a SECRET_BLOCK).
void open_challenge(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    std::string const& name,
    std::string const& key,
    sign_in_state const& state
);

// The answers, one per challenge (the table in flow.cpp names them), and the starts.
// password.cpp
proof prove_password(request_context& ctx, client_and_pool const& target, json const& params);
// NotAuthorizedException "Incorrect username or password." unless password is the user's.
void check_password(
    storage::user_pool const& pool, storage::user const& u, std::string const& password
);
json new_password_challenge(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    sign_in_state const& state
);
proof answer_new_password(
    request_context& ctx, client_and_pool const& target, open_round& r, json const& responses
);
// srp_auth.cpp
proof start_user_srp(request_context& ctx, client_and_pool const& target, json const& params);
json password_verifier_challenge(
    request_context& ctx, client_and_pool const& target, proof const& p
);
proof answer_password_verifier(
    request_context& ctx, client_and_pool const& target, open_round& r, json const& responses
);
json device_srp_challenge(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    storage::device const& d
);
proof answer_device_srp_auth(
    request_context& ctx, client_and_pool const& target, open_round& r, json const& responses
);
json device_password_verifier_challenge(
    request_context& ctx, client_and_pool const& target, proof const& p
);
proof answer_device_password_verifier(
    request_context& ctx, client_and_pool const& target, open_round& r, json const& responses
);
// mfa_step.cpp: the MFA challenge this sign-in must pass (SMS_MFA, SOFTWARE_TOKEN_MFA or
// SELECT_MFA_TYPE), or nullopt when the pool and the user ask for none.
std::optional<json> mfa_challenge(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    sign_in_state const& state
);
json chosen_mfa_challenge(request_context& ctx, client_and_pool const& target, proof const& p);
proof answer_select_mfa_type(
    request_context& ctx, client_and_pool const& target, open_round& r, json const& responses
);
proof answer_mfa_code(
    request_context& ctx, client_and_pool const& target, open_round& r, json const& responses
);

// custom_auth.cpp: CUSTOM_AUTH, driven by the pool's DefineAuthChallenge, CreateAuthChallenge and
// VerifyAuthChallengeResponse.
json start_custom_auth(request_context& ctx, client_and_pool const& target, json const& params);
// After each round (the SRP_A and PASSWORD_VERIFIER of an SRP start, each CUSTOM_CHALLENGE
// answer): DefineAuthChallenge's decision: the next challenge, tokens, or the sign-in refused.
json define_next_round(request_context& ctx, client_and_pool const& target, proof const& p);
proof answer_custom_challenge(
    request_context& ctx, client_and_pool const& target, open_round& r, json const& responses
);

// user_auth.cpp: USER_AUTH, the choice of a first factor among those the pool allows
// (Policies.SignInPolicy.AllowedFirstAuthFactors) and the user can use.
json start_user_auth(request_context& ctx, client_and_pool const& target, json const& params);
proof answer_select_challenge(
    request_context& ctx, client_and_pool const& target, open_round& r, json const& responses
);
// The EMAIL_OTP or SMS_OTP challenge for p.mfa_factor, its code sent.
json one_time_code_challenge(request_context& ctx, client_and_pool const& target, proof const& p);
proof answer_one_time_code(
    request_context& ctx, client_and_pool const& target, open_round& r, json const& responses
);

// The user a sign-in names, once found: PreAuthentication is called for them.
void begin_authentication(
    request_context& ctx, client_and_pool const& target, storage::user const& u
);

// The user the USERNAME of a start without a password names (CUSTOM_AUTH, USER_AUTH), once the
// SECRET_HASH is checked, PreAuthentication has let them in and their state allows a sign-in.
// Refused as a password sign-in would be: unknown, disabled, unconfirmed, reset required.
storage::user
user_signing_in(request_context& ctx, client_and_pool const& target, json const& params);

} // namespace cognitod
