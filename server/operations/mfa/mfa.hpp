// Multi-factor authentication: the pool's and the user's settings.
#pragma once

#include "server/operations/operations.hpp"

#include <string>

namespace cognitod
{

// UserMFASettingList and PreferredMfaSetting, added to AdminGetUser / GetUser output when set.
void add_mfa_settings(json& out, storage::user const& u);

// The factors a user has set up: SMS (enabled, with a phone number) and TOTP (enabled, with a
// verified secret); and the preferred one, "SMS_MFA", "SOFTWARE_TOKEN_MFA" or "".
bool sms_mfa_enabled(storage::user const& u);
bool totp_mfa_enabled(storage::user const& u);
std::string preferred_mfa(storage::user const& u);

} // namespace cognitod
