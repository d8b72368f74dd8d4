// The sign-in triggers: PreAuthentication, PostAuthentication, the custom challenge's three, and
// UserMigration. Each builds the developer guide's event and reads the function's response.
#include "server/operations/common.hpp"
#include "server/operations/triggers/triggers.hpp"

namespace cognitod
{

namespace
{

trigger_event
sign_in_event(std::string_view trigger, storage::user const& u, std::string const& client_id)
{
    return {trigger, std::string{trigger} + "_Authentication", u.username, client_id};
}

} // namespace

void pre_authentication(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user const& u,
    std::string const& client_id
)
{
    auto event = sign_in_event("PreAuthentication", u, client_id);
    event.request = {
        {"userAttributes", user_attributes_with_status(u)},
        {"userNotFound", false},
        {"validationData", call_client_metadata(ctx)},
    };
    call_trigger(ctx, pool, event);
}

void post_authentication(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user const& u,
    std::string const& client_id,
    bool new_device_used
)
{
    auto event = sign_in_event("PostAuthentication", u, client_id);
    event.request = {
        {"userAttributes", user_attributes_with_status(u)},
        {"newDeviceUsed", new_device_used},
        {"clientMetadata", answer_client_metadata(ctx)},
    };
    call_trigger(ctx, pool, event);
}

json define_auth_challenge(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user const& u,
    std::string const& client_id,
    json const& session
)
{
    auto event = sign_in_event("DefineAuthChallenge", u, client_id);
    event.request = {
        {"userAttributes", user_attributes_with_status(u)},
        {"session", session},
        {"clientMetadata", answer_client_metadata(ctx)},
        {"userNotFound", false},
    };
    event.response = {
        {"challengeName", nullptr}, {"issueTokens", nullptr}, {"failAuthentication", nullptr}};
    auto const response = call_trigger(ctx, pool, event);
    if (!response)
    {
        // CUSTOM_AUTH without the trigger: AWS answers so, with no challenge to send.
        throw errors::invalid_lambda_response("DefineAuthChallenge trigger is not configured.");
    }
    return *response;
}

json create_auth_challenge(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user const& u,
    std::string const& client_id,
    std::string const& challenge_name,
    json const& session
)
{
    auto event = sign_in_event("CreateAuthChallenge", u, client_id);
    event.request = {
        {"userAttributes", user_attributes_with_status(u)},
        {"challengeName", challenge_name},
        {"session", session},
        {"clientMetadata", answer_client_metadata(ctx)},
        {"userNotFound", false},
    };
    event.response = {
        {"publicChallengeParameters", nullptr},
        {"privateChallengeParameters", nullptr},
        {"challengeMetadata", nullptr},
    };
    auto const response = call_trigger(ctx, pool, event);
    if (!response)
    {
        throw errors::invalid_lambda_response("CreateAuthChallenge trigger is not configured.");
    }
    return *response;
}

bool verify_auth_challenge(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user const& u,
    std::string const& client_id,
    json const& private_parameters,
    std::string const& answer
)
{
    auto event = sign_in_event("VerifyAuthChallengeResponse", u, client_id);
    event.request = {
        {"userAttributes", user_attributes_with_status(u)},
        {"privateChallengeParameters", private_parameters},
        {"challengeAnswer", answer},
        {"clientMetadata", answer_client_metadata(ctx)},
        {"userNotFound", false},
    };
    event.response = {{"answerCorrect", nullptr}};
    auto const response = call_trigger(ctx, pool, event);
    if (!response)
    {
        throw errors::invalid_lambda_response(
            "VerifyAuthChallengeResponse trigger is not configured."
        );
    }
    auto const correct = response->find("answerCorrect");
    return correct != response->end() && correct->is_boolean() && correct->get<bool>();
}

std::optional<json> user_migration(
    request_context& ctx,
    storage::user_pool const& pool,
    std::string const& username,
    std::string const& client_id,
    std::string const& source,
    std::optional<std::string> const& password
)
{
    if (!has_trigger(pool, "UserMigration"))
    {
        return std::nullopt;
    }
    trigger_event event{"UserMigration", "UserMigration" + source, username, client_id};
    // A sign-in's ClientMetadata is its validationData; ForgotPassword's is its clientMetadata.
    bool const signing_in = ctx.triggers != nullptr && ctx.triggers->call().contains("AuthFlow");
    event.request = {
        {"validationData", signing_in ? call_client_metadata(ctx) : json::object()},
        {"clientMetadata", answer_client_metadata(ctx)},
    };
    if (password)
    {
        event.request["password"] = *password;
    }
    event.response = {
        {"userAttributes", nullptr},
        {"finalUserStatus", nullptr},
        {"messageAction", nullptr},
        {"desiredDeliveryMediums", nullptr},
        {"forceAliasCreation", nullptr},
        {"enableSMSMFA", nullptr},
    };
    try
    {
        return call_trigger(ctx, pool, event);
    }
    catch (aws_error const& e)
    {
        if (e.code() != "UserLambdaValidationException")
        {
            throw;
        }
        throw errors::user_not_found("Exception migrating user in app client " + client_id);
    }
}

} // namespace cognitod
