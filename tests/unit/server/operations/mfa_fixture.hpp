// What the MFA tests share: a pool and client, alice (with a phone number) signed in, bob
// (without one), and the software token steps a user takes. Not thread-safe: one per test.
#pragma once

#include "server/auth/totp.hpp"
#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace cognitod::testing
{

constexpr char const* mfa_password = "Passw0rd!";
constexpr char const* alices_phone = "+15555550100";
// The fixed clock's second: the TOTP step the tests' codes are computed for.
constexpr std::int64_t t0_seconds = t0 / 1000;

// The code an authenticator app shows for SecretCode at unix_seconds; empty (and a test
// failure) when SecretCode is not base32.
inline std::string totp_code(std::string const& secret_code, std::int64_t unix_seconds)
{
    auto const secret = auth::totp::base32_decode(secret_code);
    if (!secret)
    {
        ADD_FAILURE() << "SecretCode is not base32: " << secret_code;
        return {};
    }
    return auth::totp::code_at(*secret, unix_seconds);
}

// A six-digit code that is none of the codes accepted around unix_seconds.
inline std::string wrong_code(std::string const& secret_code, std::int64_t unix_seconds)
{
    auto code = std::stoi(totp_code(secret_code, unix_seconds));
    for (;;)
    {
        code = (code + 1) % 1'000'000;
        auto text = std::to_string(code);
        text.insert(0, 6 - text.size(), '0');
        if (!auth::totp::verify(*auth::totp::base32_decode(secret_code), text, unix_seconds))
        {
            return text;
        }
    }
}

// The user's row as the store keeps it, and its attributes replaced.
inline storage::user stored_user(storage::store& store, std::int64_t id)
{
    return store.read()->find_user_by_id(id).value();
}

inline void replace_stored_attributes(
    storage::store& store, std::int64_t id, std::vector<storage::attribute> const& attributes
)
{
    store.write()->replace_attributes(id, attributes);
}

class mfa_users : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().insert(f_);
    created_client client_ = make_client().insert(f_, pool_);
    created_user alice_ = make_user("alice")
                              .with("phone_number", alices_phone)
                              .with_password(mfa_password)
                              .insert(f_, pool_);
    created_user bob_ = make_user("bob").with_password(mfa_password).insert(f_, pool_);
    std::string access_ = access_token_of("alice");

    std::string access_token_of(std::string const& username) const
    {
        return sign_in(f_, client_, username, mfa_password).at("AccessToken").get<std::string>();
    }

    // UserMFASettingList and PreferredMfaSetting as AdminGetUser answers them; {} when absent.
    json mfa_of(std::string const& username) const
    {
        auto const user = f_.call("AdminGetUser", {{"UserPoolId", pool_}, {"Username", username}});
        json out = json::object();
        for (char const* member : {"UserMFASettingList", "PreferredMfaSetting"})
        {
            if (user.contains(member))
            {
                out[member] = user.at(member);
            }
        }
        return out;
    }

    // The MFA settings the store keeps for the user (what no operation answers).
    json stored_mfa(created_user const& u) { return stored_user(f_.store, u.id).mfa; }

    json admin_prefer(std::string const& username, json input) const
    {
        input["UserPoolId"] = pool_;
        input["Username"] = username;
        return f_.call("AdminSetUserMFAPreference", input);
    }

    json prefer(std::string const& token, json input) const
    {
        input["AccessToken"] = token;
        return f_.call("SetUserMFAPreference", input);
    }

    std::string associate(std::string const& token) const
    {
        return f_.call("AssociateSoftwareToken", {{"AccessToken", token}})
            .at("SecretCode")
            .get<std::string>();
    }

    json
    verify(std::string const& token, std::string const& code, json input = json::object()) const
    {
        input["AccessToken"] = token;
        input["UserCode"] = code;
        return f_.call("VerifySoftwareToken", input);
    }

    // Associates and verifies a software token for the token's user; returns its SecretCode.
    std::string verified_token(std::string const& token) const
    {
        auto const secret = associate(token);
        verify(token, totp_code(secret, t0_seconds));
        return secret;
    }
};

} // namespace cognitod::testing
