// Multi-factor authentication: the pool's and the user's settings, and the MFA step of a sign-in.
#pragma once

#include "server/operations/sign_in/sign_in.hpp"

#include <optional>

namespace cognitod
{

// UserMFASettingList and PreferredMfaSetting, added to AdminGetUser / GetUser output when set.
void add_mfa_settings(json& out, storage::user const& u);

// The MFA challenge this sign-in must pass (SMS_MFA, SOFTWARE_TOKEN_MFA or SELECT_MFA_TYPE), or
// nullopt when the pool and the user ask for none. An SMS code goes to the outbox.
std::optional<json> mfa_challenge(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    std::optional<std::string> const& presented_device
);

// The answer to SMS_MFA, SOFTWARE_TOKEN_MFA or SELECT_MFA_TYPE.
json answer_mfa(
    request_context& ctx,
    client_and_pool const& target,
    storage::challenge const& c,
    storage::user const& u,
    json const& responses
);

} // namespace cognitod
