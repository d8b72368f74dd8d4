// CUSTOM_AUTH: the pool's DefineAuthChallenge decides each round from the rounds so far,
// CreateAuthChallenge makes each CUSTOM_CHALLENGE, VerifyAuthChallengeResponse judges its answer.
// A start with CHALLENGE_NAME SRP_A proves the password first, through PASSWORD_VERIFIER.
#include "server/auth/encoding.hpp"
#include "server/operations/common.hpp"
#include "server/operations/sign_in/flow.hpp"
#include "server/operations/triggers/triggers.hpp"

namespace cognitod
{

namespace
{

json round_of(std::string const& name, bool result)
{
    return {{"challengeName", name}, {"challengeResult", result}};
}

bool is_true(json const& response, char const* name)
{
    auto const it = response.find(name);
    return it != response.end() && it->is_boolean() && it->get<bool>();
}

// ChallengeParameters are strings: what the function gave as another type, as JSON text.
json string_map(json const& given)
{
    json out = json::object();
    if (!given.is_object())
    {
        return out;
    }
    for (auto const& [name, value] : given.items())
    {
        out[name] = value.is_string() ? value.get<std::string>() : value.dump();
    }
    return out;
}

} // namespace

json start_custom_auth(request_context& ctx, client_and_pool const& target, json const& params)
{
    auto u = user_signing_in(ctx, target, params);
    proof p{proof::step::custom_started, std::move(u), {}};
    p.state.device_key = parameter(params, "DEVICE_KEY");
    p.state.custom = custom_rounds{};
    if (parameter(params, "CHALLENGE_NAME").value_or("") == "SRP_A")
    {
        auto a_pub = auth::hex_decode(require_parameter(params, "SRP_A"));
        if (!a_pub)
        {
            throw errors::invalid_parameter("SRP_A is not a valid hexadecimal number.");
        }
        p.srp_a = std::move(*a_pub);
        p.state.custom->session.push_back(round_of("SRP_A", true));
    }
    return advance(ctx, target, p);
}

json define_next_round(request_context& ctx, client_and_pool const& target, proof const& p)
{
    auto state = p.state;
    auto& rounds = *state.custom;
    if (p.proved == proof::step::password)
    {
        rounds.session.push_back(round_of("PASSWORD_VERIFIER", true));
    }
    auto const& u = p.user;
    auto const decision =
        define_auth_challenge(ctx, target.pool, u, target.client.id, rounds.session);
    if (is_true(decision, "failAuthentication"))
    {
        throw errors::not_authorized("Incorrect username or password.");
    }
    if (is_true(decision, "issueTokens"))
    {
        proof done{proof::step::custom_answered, u, state};
        return device_proof_or_tokens(ctx, target, done);
    }
    auto const name = parameter(decision, "challengeName").value_or("");
    if (name == "PASSWORD_VERIFIER" && p.proved == proof::step::custom_started && !p.srp_a.empty())
    {
        proof started{proof::step::user_srp_started, u, state};
        started.srp_a = p.srp_a;
        return advance(ctx, target, started);
    }
    if (name != "CUSTOM_CHALLENGE")
    {
        throw errors::invalid_lambda_response("Unrecognizable lambda output");
    }
    auto const created = create_auth_challenge(
        ctx, target.pool, u, target.client.id, "CUSTOM_CHALLENGE", rounds.session
    );
    rounds.private_parameters = string_map(created.value("privateChallengeParameters", json()));
    rounds.metadata = parameter(created, "challengeMetadata").value_or("");
    auto parameters = string_map(created.value("publicChallengeParameters", json()));
    parameters["USERNAME"] = u.username;
    return send_challenge(ctx, target, u, "CUSTOM_CHALLENGE", state, std::move(parameters));
}

proof answer_custom_challenge(
    request_context& ctx, client_and_pool const& target, open_round& r, json const& responses
)
{
    auto const answer = require_parameter(responses, "ANSWER");
    if (!r.state.custom)
    {
        throw errors::not_authorized("Invalid session for the user.");
    }
    auto state = r.state;
    auto& rounds = *state.custom;
    bool const correct = verify_auth_challenge(
        ctx, target.pool, r.user, target.client.id, rounds.private_parameters, answer
    );
    auto round = round_of("CUSTOM_CHALLENGE", correct);
    round["challengeMetadata"] = rounds.metadata;
    rounds.session.push_back(std::move(round));
    rounds.private_parameters = json::object();
    rounds.metadata.clear();
    if (auto device = parameter(responses, "DEVICE_KEY"))
    {
        state.device_key = std::move(device);
    }
    return {proof::step::custom_answered, std::move(r.user), std::move(state)};
}

} // namespace cognitod
