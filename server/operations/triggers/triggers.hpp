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
// runs. It also holds the call's input, whose ClientId and ClientMetadata the events carry.
class trigger_answers
{
    std::map<std::pair<std::string, std::string>, lambda_result, std::less<>> answers_;
    json const* call_ = nullptr;

public:
    explicit trigger_answers(json const* call = nullptr) : call_(call) {}
    // The call's input; an empty object for a call made without one (the hosted login's).
    json const& call() const;
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
    std::string version = "1";      // PreTokenGeneration's V2_0 and V3_0 send "2" and "3"
};

// The function's `response`, or nullopt when the pool has no such trigger (or the call runs where
// triggers are not called: a seed). Throws lambda_needed on a first run, and on the answer:
// UserLambdaValidationException "<trigger> failed with error <message>." when the function threw,
// UnexpectedLambdaException when it could not be called, InvalidLambdaResponseException when its
// answer is not an event with a response object.
std::optional<json>
call_trigger(request_context& ctx, storage::user_pool const& pool, trigger_event const& event);

// Whether the pool has the trigger (PreTokenGeneration: or a PreTokenGenerationConfig).
bool has_trigger(storage::user_pool const& pool, std::string_view trigger);

// The user's attributes as a trigger's request.userAttributes: {name: value}.
json user_attributes_of(storage::user const& u);
// The same with cognito:user_status, as the sign-in triggers see them.
json user_attributes_with_status(storage::user const& u);

// A call's ClientMetadata, as the triggers' request.clientMetadata (absent: none).
json client_metadata_of(json const& input);
// The ClientMetadata of the call being run, and its ClientId (no_client when it names none).
json call_client_metadata(request_context const& ctx);
std::string call_client_id(request_context const& ctx);
// The ClientMetadata of the sign-in triggers after PreAuthentication and UserMigration
// (PostAuthentication, PreTokenGeneration, the custom challenge's): a RespondToAuthChallenge's;
// InitiateAuth and AdminInitiateAuth pass theirs to those two only.
json answer_client_metadata(request_context const& ctx);

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

// The sign-in triggers (authentication.cpp). client_id: the app client signing the user in.

// PreAuthentication_Authentication, once the user signing in is found and before what they
// present is checked; its refusal refuses the sign-in. validationData is the call's ClientMetadata.
void pre_authentication(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user const& u,
    std::string const& client_id
);

// PostAuthentication_Authentication, once the user has proven all the sign-in asks and before
// tokens are issued; its refusal refuses the sign-in. new_device_used: the sign-in made a device.
void post_authentication(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user const& u,
    std::string const& client_id,
    bool new_device_used
);

// The custom challenge's three triggers. session: the rounds so far, as the events carry them
// ([{challengeName, challengeResult, challengeMetadata}]).
// DefineAuthChallenge_Authentication: its response ({challengeName, issueTokens,
// failAuthentication}).
json define_auth_challenge(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user const& u,
    std::string const& client_id,
    json const& session
);
// CreateAuthChallenge_Authentication: its response ({publicChallengeParameters,
// privateChallengeParameters, challengeMetadata}).
json create_auth_challenge(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user const& u,
    std::string const& client_id,
    std::string const& challenge_name,
    json const& session
);
// VerifyAuthChallengeResponse_Authentication: whether the answer is right.
bool verify_auth_challenge(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user const& u,
    std::string const& client_id,
    json const& private_parameters,
    std::string const& answer
);

// UserMigration (source UserMigration_Authentication, with the password the user signed in with,
// or _ForgotPassword, without): the user the pool's function found in the legacy store, as its
// response ({userAttributes, finalUserStatus, messageAction, ...}), or nullopt when the pool has
// no such trigger. The function's refusal is UserNotFoundException, as for any unknown user.
std::optional<json> user_migration(
    request_context& ctx,
    storage::user_pool const& pool,
    std::string const& username,
    std::string const& client_id,
    std::string const& source,
    std::optional<std::string> const& password
);

// callerContext.clientId of an administrator's call, which names no client.
inline constexpr std::string_view no_client = "CLIENT_ID_NOT_APPLICABLE";

} // namespace cognitod
