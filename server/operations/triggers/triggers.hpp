// The pools' Lambda triggers (LambdaConfig), as an operation calls them: it builds the event, and
// gets the function's answer or the error Cognito gives for it.
//
// A function is never called inside a transaction (a call may take seconds, and a write would hold
// every other write off that long). The first run of an operation that needs a trigger throws
// lambda_needed; the dispatcher rolls the run back, calls the function with no lease held, keeps
// the answer in the call's trigger_answers, and runs the operation again, which then finds it.
// The events of a run are the same in every run (the state they are built from was rolled back),
// so an answer is found by its function and event text.
#pragma once

#include "server/lambda.hpp"
#include "server/operations/operations.hpp"

#include <exception>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace cognitod
{

struct lambda_needed : std::exception
{
    std::string function; // the ARN LambdaConfig holds
    std::string event;    // JSON text
    std::string trigger;  // "PreSignUp", for messages
    char const* what() const noexcept override { return "a Lambda trigger must be called"; }
};

// The answers a call's earlier runs received. One per call; only the dispatcher writes it, between
// runs.
class trigger_answers
{
    std::map<std::pair<std::string, std::string>, lambda_result, std::less<>> answers_;

public:
    lambda_result const* find(std::string const& function, std::string const& event) const;
    void put(std::string const& function, std::string const& event, lambda_result answer);
};

// One trigger call: what the event holds beside the pool's own fields.
struct trigger_event
{
    std::string_view trigger;   // the LambdaConfig member: "PreSignUp"
    std::string trigger_source; // "PreSignUp_SignUp"
    std::string username;
    std::string client_id; // callerContext.clientId; "CLIENT_ID_NOT_APPLICABLE" for admin calls
    json request = json::object();
    json response = json::object(); // the defaults the function may change
};

// The function's `response`, or nullopt when the pool has no such trigger (or the call runs where
// triggers are not called: a seed). Throws lambda_needed on a first run, and on the answer:
// UserLambdaValidationException "<trigger> failed with error <message>." when the function threw,
// UnexpectedLambdaException when it could not be called, InvalidLambdaResponseException when its
// answer is not an event with a response object.
std::optional<json>
call_trigger(request_context& ctx, storage::user_pool const& pool, trigger_event const& event);

// The user's attributes as a trigger's request.userAttributes: {name: value}.
json user_attributes_of(storage::user const& u);

// A call's ClientMetadata, as the triggers' request.clientMetadata (absent: none).
json client_metadata_of(json const& input);

// PreSignUp's event for SignUp (source PreSignUp_SignUp) or AdminCreateUser (_AdminCreateUser):
// the UserAttributes, ValidationData and ClientMetadata the call gave, and the response's three
// switches off.
trigger_event pre_sign_up_event(
    std::string source, std::string username, std::string client_id, json const& input
);

// PostConfirmation (source PostConfirmation_ConfirmSignUp or _ConfirmForgotPassword), once the
// user with this id is confirmed. Its refusal is the call's answer, but the confirmation stands
// (committed_error).
void post_confirmation(
    request_context& ctx,
    storage::user_pool const& pool,
    std::int64_t user_id,
    std::string source,
    std::string client_id,
    json const& input
);

// callerContext.clientId of an administrator's call, which names no client.
inline constexpr std::string_view no_client = "CLIENT_ID_NOT_APPLICABLE";

} // namespace cognitod
