// What the sign-in operations share: app clients, signing keys, token issue and checks, and the
// devices a sign-in creates or presents.
#pragma once

#include "server/auth/jwt.hpp"
#include "server/operations/operations.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cognitod
{

inline constexpr std::string_view admin_scope = "aws.cognito.signin.user.admin";

// ResourceNotFoundException "User pool client <id> does not exist." when the client is unknown
// (or, with pool_id given, belongs to another pool).
// hosted: the sign-in runs on the hosted login page, where it ends in a signed-in user rather than
// tokens, and devices are not tracked (as on AWS's OAuth 2.0 path).
struct client_and_pool
{
    storage::app_client client;
    storage::user_pool pool;
    bool hosted = false;
};
client_and_pool require_client(
    request_context& ctx,
    std::string const& client_id,
    std::optional<std::string> const& pool_id = std::nullopt
);

// SECRET_HASH = base64(HMAC-SHA256(client secret, username + client id)). Throws
// NotAuthorizedException when the client has a secret and the hash is missing or wrong.
void check_secret_hash(
    storage::app_client const& client,
    std::string_view username,
    std::optional<std::string> const& secret_hash
);
std::string
secret_hash(std::string_view secret, std::string_view username, std::string_view client_id);

// The issuer of the pool's tokens: <issuer_base>/<pool id>.
std::string issuer(request_context const& ctx, storage::user_pool const& pool);

// A fresh sign-in: a new auth session, its refresh token, and access and ID tokens bound to
// device_key (empty: none). source: what PreTokenGeneration hears the tokens are for
// ("Authentication", "NewPasswordChallenge", "AuthenticateDevice"). Returns
// AuthenticationResult.
json issue_tokens(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    std::string const& device_key,
    std::string_view source
);

// Whether a space-separated scope lists name.
bool grants(std::string_view scope, std::string_view name);
// A space-separated scope as its names, each once, in order; and back.
std::vector<std::string> split_scope(std::string_view text);
std::string join_scope(std::vector<std::string> const& scopes);

// The OAuth 2.0 path (server/operations/oauth/endpoints.cpp). Its tokens carry the granted scope
// and `version`; its ID token (only with openid) at_hash and the authorization request's nonce.
// Answers are the token endpoint's: access_token, id_token, refresh_token, token_type, expires_in.
struct oauth_grant
{
    std::string scope; // granted, space-separated
    std::optional<std::string> nonce;
    std::int64_t auth_time = 0;     // epoch seconds: when the user signed in
    bool with_refresh_token = true; // false for the implicit grant
};
json issue_oauth_tokens(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    oauth_grant const& grant
);
// grant_type=refresh_token: the refresh token's scope again, no new refresh token. Throws
// NotAuthorizedException as REFRESH_TOKEN_AUTH does.
json refresh_oauth_tokens(
    request_context& ctx, client_and_pool const& target, std::string const& refresh_token
);
// grant_type=client_credentials: an access token for the client itself (sub is its id).
json client_credentials_token(
    request_context& ctx, client_and_pool const& target, std::string const& scope
);

// The hosted login page's steps (sign_in/hosted.cpp), for a target with hosted set. Each answers
// the next challenge ({"ChallengeName", "Session", "ChallengeParameters"}) or, once the user has
// proven all the pool asks, {"SignedInUser": id}. Refusals throw the API's errors, with its
// messages.
json hosted_password(
    request_context& ctx,
    client_and_pool const& target,
    std::string const& username,
    std::string const& password
);
// Answers NEW_PASSWORD_REQUIRED, SELECT_MFA_TYPE, SMS_MFA or SOFTWARE_TOKEN_MFA.
json hosted_answer(
    request_context& ctx,
    client_and_pool const& target,
    std::string const& challenge,
    std::string const& session,
    std::string const& username,
    std::string const& answer
);

// REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken: checks the refresh token (and the device it
// is bound to) and mints new access and ID tokens. With rotation on, a new refresh token too.
json refresh_tokens(
    request_context& ctx,
    client_and_pool const& target,
    std::string const& refresh_token,
    std::optional<std::string> const& device_key,
    std::optional<std::string> const& secret_hash_or_secret,
    bool secret_is_hash
);

// The pool's DeviceConfiguration, read in one place: whether the pool tracks devices at all
// (the member is present), and its two switches (false when absent).
struct device_configuration
{
    bool tracked = false;
    bool challenge_required_on_new_device = false;
    bool device_only_remembered_on_user_prompt = false;
};
device_configuration device_settings(storage::user_pool const& pool);

// The device a successful sign-in is bound to. presented: the DEVICE_KEY the client sent.
// - a known device of the user: refreshed (last sign-in, last IP) and returned;
// - an unknown one: ResourceNotFoundException "Device does not exist.";
// - none, with device tracking on: a new unconfirmed device, reported in new_device.
struct device_binding
{
    std::string device_key;
    std::optional<storage::device> new_device;
};
device_binding bind_device(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user const& u,
    std::optional<std::string> const& presented
);

// Adds NewDeviceMetadata to an AuthenticationResult when the sign-in created a device.
void add_new_device(json& result, device_binding const& binding);

// Whose access token this is. Throws NotAuthorizedException with Cognito's messages for a token
// that is missing (some operations' models leave AccessToken optional), malformed, forged,
// expired or revoked.
struct token_owner
{
    storage::user_pool pool;
    storage::user user;
    storage::auth_session session;
    std::string client_id;
    std::string device_key;
    std::string scope;
};
token_owner authenticate(request_context& ctx, std::string const& access_token);
// authenticate()'s checks of the token itself (signature, expiry, revocation, the user's
// existence and enabled state), whatever its scope and the user's status: for /oauth2/userInfo.
token_owner verify_access_token(request_context& ctx, std::string const& access_token);

// UserMigration (users/migration.cpp): the user the pool's function brings in from a legacy store
// when username names none, created with what it answers: its attributes, and the password the
// user signed in with (source "_Authentication"), or for "_ForgotPassword" none yet (the user is
// RESET_REQUIRED). nullopt when the pool has no such trigger. UserNotFoundException "Exception
// migrating user in app client <id>" when the function refuses or answers no attributes.
std::optional<storage::user> migrate_user(
    request_context& ctx,
    client_and_pool const& target,
    std::string const& username,
    std::string const& source,
    std::optional<std::string> const& password
);

// GetUserAuthFactors' answer for the user (sign_in/user_auth.cpp): Username, the MFA settings, and
// ConfiguredUserAuthFactors, the first factors the pool allows that the user can use.
json user_auth_factors(storage::user_pool const& pool, storage::user const& u);

// The client's PreventUserExistenceErrors is ENABLED: unknown users are not told apart.
bool prevents_existence_errors(storage::app_client const& client);

// A string member (an AuthParameters / ChallengeResponses value, SecretHash...); SDKs send null
// for "absent".
std::optional<std::string> parameter(json const& map, std::string_view name);

} // namespace cognitod

namespace cognitod
{

// GET /<poolId>/.well-known/jwks.json and /openid-configuration; 404 for an unknown pool.
json jwks_document(request_context& ctx, std::string const& pool_id);
json openid_configuration(request_context& ctx, std::string const& pool_id);

} // namespace cognitod
