// The steps of a sign-in that the password, SRP and challenge operations share. Private to
// server/operations/auth*.cpp.
#pragma once

#include "server/operations/sign_in/sign_in.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace cognitod
{

// An AuthParameters / ChallengeResponses value, or InvalidParameterException
// "Missing required parameter NAME".
std::string require_parameter(json const& map, std::string_view name);

// {"ChallengeParameters": {}, "AuthenticationResult": result}
json signed_in(json authentication_result);

// Tokens for a user who has proven who they are, bound to the presented or a new device.
json complete_sign_in(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    std::optional<std::string> const& presented_device
);

// What follows a proven password: the user's status, then MFA (which a remembered device skips
// where the pool's ChallengeRequiredOnNewDevice allows), then finish_sign_in.
json after_password(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    std::optional<std::string> const& presented_device
);

// After the password and any MFA: a remembered device's own proof (DEVICE_SRP_AUTH), else tokens.
json finish_sign_in(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    std::optional<std::string> const& presented_device
);

// A fresh, random Session string.
std::string new_session(request_context& ctx);

// Keeps a challenge's state under key (a Session or a SECRET_BLOCK) for the client's
// AuthSessionValidity minutes.
void open_challenge(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    std::string const& name,
    std::string const& key,
    json state
);

// The open challenge kept under key for this client and name. NotAuthorizedException
// "Invalid session for the user." (or "..., session is expired.") otherwise.
storage::challenge find_open_challenge(
    request_context& ctx,
    client_and_pool const& target,
    std::string const& key,
    std::string_view name
);

// USER_SRP_AUTH: the PASSWORD_VERIFIER challenge.
json start_user_srp(request_context& ctx, client_and_pool const& target, json const& params);
// The answers to PASSWORD_VERIFIER, DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER.
json answer_password_verifier(
    request_context& ctx, client_and_pool const& target, json const& responses
);
json answer_device_srp_auth(
    request_context& ctx,
    client_and_pool const& target,
    storage::challenge const& c,
    storage::user const& u,
    json const& responses
);
json answer_device_password_verifier(
    request_context& ctx,
    client_and_pool const& target,
    storage::challenge const& c,
    storage::user const& u,
    json const& responses
);

} // namespace cognitod
