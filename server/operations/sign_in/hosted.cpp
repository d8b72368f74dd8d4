// The hosted login page's steps, through the same state machine as InitiateAuth and
// RespondToAuthChallenge: the page asks for what advance() decides.
#include "server/operations/sign_in/flow.hpp"

#include <array>
#include <utility>

namespace cognitod
{

namespace
{

// The challenges the page can answer, and the ChallengeResponses member each answer goes in.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> answer_members{{
    {"NEW_PASSWORD_REQUIRED", "NEW_PASSWORD"},
    {"SELECT_MFA_TYPE", "ANSWER"},
    {"SMS_MFA", "SMS_MFA_CODE"},
    {"SOFTWARE_TOKEN_MFA", "SOFTWARE_TOKEN_MFA_CODE"},
}};

// The page knows the client's secret, so it proves it as an SDK would.
json with_secret_hash(client_and_pool const& target, std::string const& username, json params)
{
    if (!target.client.secret.empty())
    {
        params["SECRET_HASH"] = secret_hash(target.client.secret, username, target.client.id);
    }
    return params;
}

} // namespace

json hosted_password(
    request_context& ctx,
    client_and_pool const& target,
    std::string const& username,
    std::string const& password
)
{
    auto const p = prove_password(
        ctx,
        target,
        with_secret_hash(target, username, {{"USERNAME", username}, {"PASSWORD", password}})
    );
    return advance(ctx, target, p);
}

json hosted_answer(
    request_context& ctx,
    client_and_pool const& target,
    std::string const& challenge,
    std::string const& session,
    std::string const& username,
    std::string const& answer
)
{
    auto const* entry = std::find_if(
        answer_members.begin(),
        answer_members.end(),
        [&](auto const& e) { return e.first == challenge; }
    );
    if (entry == answer_members.end())
    {
        throw errors::not_authorized("Invalid session for the user.");
    }
    json responses{{"USERNAME", username}, {std::string{entry->second}, answer}};
    return respond(
        ctx,
        target,
        {
            {"ChallengeName", challenge},
            {"Session", session},
            {"ChallengeResponses", with_secret_hash(target, username, std::move(responses))},
        }
    );
}

} // namespace cognitod
