// AssociateSoftwareToken and VerifySoftwareToken: the pending secret, its verification with RFC
// 6238 codes on the fixed clock, and the access token checks of the MFA operations a user calls.
#include "unit/server/operations/mfa_fixture.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace
{

using namespace cognitod::testing;

class associate_software_token : public mfa_users
{
};

class verify_software_token : public mfa_users
{
protected:
    // OPTIONAL MFA with alice's verified token enabled and preferred: her sign-in asks for it.
    void enable_for_sign_in() const
    {
        f_.call("SetUserPoolMfaConfig", {{"UserPoolId", pool_}, {"MfaConfiguration", "OPTIONAL"}});
        prefer(
            access_, {{"SoftwareTokenMfaSettings", {{"Enabled", true}, {"PreferredMfa", true}}}}
        );
    }

    // Signs alice in and answers the SOFTWARE_TOKEN_MFA challenge with code.
    json sign_in_with_code(std::string const& code) const
    {
        auto const challenge = password_auth(f_, client_, "alice", mfa_password);
        EXPECT_EQ(challenge.at("ChallengeName"), "SOFTWARE_TOKEN_MFA");
        return f_.call(
            "RespondToAuthChallenge",
            {{"ClientId", client_.id},
             {"ChallengeName", "SOFTWARE_TOKEN_MFA"},
             {"Session", challenge.at("Session")},
             {"ChallengeResponses", {{"USERNAME", "alice"}, {"SOFTWARE_TOKEN_MFA_CODE", code}}}}
        );
    }
};

// SetUserMFAPreference, AssociateSoftwareToken and VerifySoftwareToken, each given a token that
// fails one of the access token checks.
class mfa_access_token : public mfa_users, public ::testing::WithParamInterface<char const*>
{
protected:
    json input(std::string const& token) const
    {
        std::string const operation = GetParam();
        json out{{"AccessToken", token}};
        if (operation == "SetUserMFAPreference")
        {
            out["SMSMfaSettings"] = {{"Enabled", true}, {"PreferredMfa", true}};
        }
        else if (operation == "VerifySoftwareToken")
        {
            out["UserCode"] = "123456";
        }
        return out;
    }

    void expect_refused(
        std::string const& token, std::string const& code, std::string const& message
    ) const
    {
        EXPECT_AWS_ERROR(f_, GetParam(), input(token), code, message);
    }
};

std::set<std::string> keys_of(json const& object)
{
    std::set<std::string> keys;
    for (auto const& [key, value] : object.items())
    {
        keys.insert(key);
    }
    return keys;
}

} // namespace

// AssociateSoftwareToken

TEST_F(associate_software_token, answers_only_a_secret_code)
{
    auto const answer = f_.call("AssociateSoftwareToken", {{"AccessToken", access_}});
    EXPECT_EQ(keys_of(answer), std::set<std::string>{"SecretCode"});
}

TEST_F(associate_software_token, the_secret_code_is_base32_of_twenty_bytes)
{
    auto const secret = associate(access_);
    EXPECT_EQ(secret.size(), 32U);
    EXPECT_EQ(secret.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), std::string::npos);
    auto const bytes = cognitod::auth::totp::base32_decode(secret);
    ASSERT_TRUE(bytes.has_value());
    EXPECT_EQ(bytes->size(), 20U);
}

TEST_F(associate_software_token, each_call_gives_a_new_secret)
{
    EXPECT_NE(associate(access_), associate(access_));
}

TEST_F(associate_software_token, keeps_the_secret_pending)
{
    auto const secret = associate(access_);
    EXPECT_EQ(stored_mfa(alice_), (json{{"totp", {{"pending_secret", secret}}}}));
}

TEST_F(associate_software_token, enables_no_factor)
{
    associate(access_);
    EXPECT_EQ(mfa_of("alice"), json::object());
}

TEST_F(associate_software_token, a_new_secret_replaces_the_pending_one)
{
    associate(access_);
    auto const second = associate(access_);
    EXPECT_EQ(stored_mfa(alice_).at("totp"), (json{{"pending_secret", second}}));
}

TEST_F(associate_software_token, after_verification_the_new_secret_waits_beside_the_verified_one)
{
    auto const verified = verified_token(access_);
    auto const pending = associate(access_);
    EXPECT_EQ(
        stored_mfa(alice_).at("totp"), (json{{"secret", verified}, {"pending_secret", pending}})
    );
}

TEST_F(associate_software_token, with_a_session_instead_of_an_access_token_is_not_implemented)
{
    auto const error = f_.error_of("AssociateSoftwareToken", {{"Session", std::string(40, 'S')}});
    EXPECT_EQ(error.code(), "NotImplementedException");
    EXPECT_EQ(
        error.message(),
        "cognitod does not implement AssociateSoftwareToken with a Session (MFA_SETUP) yet."
    );
    EXPECT_EQ(error.status(), 501U);
}

TEST_F(associate_software_token, with_neither_token_nor_session_is_not_implemented)
{
    auto const error = f_.error_of("AssociateSoftwareToken", json::object());
    EXPECT_EQ(error.code(), "NotImplementedException");
    EXPECT_EQ(error.status(), 501U);
}

TEST_F(associate_software_token, a_session_beside_an_access_token_is_ignored)
{
    auto const answer = f_.call(
        "AssociateSoftwareToken", {{"AccessToken", access_}, {"Session", std::string(40, 'S')}}
    );
    EXPECT_EQ(stored_mfa(alice_).at("totp").at("pending_secret"), answer.at("SecretCode"));
}

// VerifySoftwareToken

TEST_F(verify_software_token, the_current_code_answers_success)
{
    auto const secret = associate(access_);
    EXPECT_EQ(verify(access_, totp_code(secret, t0_seconds)), (json{{"Status", "SUCCESS"}}));
}

TEST_F(verify_software_token, success_makes_the_pending_secret_the_verified_one)
{
    auto const secret = associate(access_);
    verify(access_, totp_code(secret, t0_seconds));
    EXPECT_EQ(stored_mfa(alice_), (json{{"totp", {{"secret", secret}}}}));
}

TEST_F(verify_software_token, success_enables_no_factor_by_itself)
{
    verified_token(access_);
    EXPECT_EQ(mfa_of("alice"), json::object());
}

TEST_F(verify_software_token, the_previous_steps_code_is_accepted)
{
    auto const secret = associate(access_);
    EXPECT_EQ(verify(access_, totp_code(secret, t0_seconds - 30)).at("Status"), "SUCCESS");
}

TEST_F(verify_software_token, the_next_steps_code_is_accepted)
{
    auto const secret = associate(access_);
    EXPECT_EQ(verify(access_, totp_code(secret, t0_seconds + 30)).at("Status"), "SUCCESS");
}

TEST_F(verify_software_token, a_code_two_steps_old_is_refused)
{
    auto const secret = associate(access_);
    auto const old = totp_code(secret, t0_seconds - 60);
    ASSERT_FALSE(
        cognitod::auth::totp::verify(*cognitod::auth::totp::base32_decode(secret), old, t0_seconds)
    ); // the three accepted codes happen not to include it
    EXPECT_AWS_ERROR(
        f_,
        "VerifySoftwareToken",
        (json{{"AccessToken", access_}, {"UserCode", old}}),
        "EnableSoftwareTokenMFAException",
        "Code mismatch and fail enable Software Token MFA"
    );
}

TEST_F(verify_software_token, a_code_two_steps_ahead_is_refused)
{
    auto const secret = associate(access_);
    auto const ahead = totp_code(secret, t0_seconds + 60);
    ASSERT_FALSE(cognitod::auth::totp::verify(
        *cognitod::auth::totp::base32_decode(secret), ahead, t0_seconds
    ));
    EXPECT_AWS_ERROR(
        f_,
        "VerifySoftwareToken",
        (json{{"AccessToken", access_}, {"UserCode", ahead}}),
        "EnableSoftwareTokenMFAException",
        "Code mismatch and fail enable Software Token MFA"
    );
}

TEST_F(verify_software_token, codes_follow_the_clock)
{
    auto const secret = associate(access_);
    f_.time.now = t0 + 600'000;
    EXPECT_AWS_ERROR(
        f_,
        "VerifySoftwareToken",
        (json{{"AccessToken", access_}, {"UserCode", totp_code(secret, t0_seconds)}}),
        "EnableSoftwareTokenMFAException",
        "Code mismatch and fail enable Software Token MFA"
    );
    EXPECT_EQ(verify(access_, totp_code(secret, t0_seconds + 600)).at("Status"), "SUCCESS");
}

TEST_F(verify_software_token, a_wrong_code_is_refused)
{
    auto const secret = associate(access_);
    EXPECT_AWS_ERROR(
        f_,
        "VerifySoftwareToken",
        (json{{"AccessToken", access_}, {"UserCode", wrong_code(secret, t0_seconds)}}),
        "EnableSoftwareTokenMFAException",
        "Code mismatch and fail enable Software Token MFA"
    );
}

TEST_F(verify_software_token, a_wrong_code_leaves_the_secret_pending_for_a_right_one)
{
    auto const secret = associate(access_);
    f_.error_of(
        "VerifySoftwareToken",
        {{"AccessToken", access_},
         {"UserCode", wrong_code(secret, t0_seconds)},
         {"FriendlyDeviceName", "phone"}}
    );
    EXPECT_EQ(stored_mfa(alice_), (json{{"totp", {{"pending_secret", secret}}}}));
    EXPECT_EQ(verify(access_, totp_code(secret, t0_seconds)).at("Status"), "SUCCESS");
}

TEST_F(verify_software_token, without_an_associated_token_is_refused)
{
    EXPECT_AWS_ERROR(
        f_,
        "VerifySoftwareToken",
        (json{{"AccessToken", access_}, {"UserCode", "123456"}}),
        "InvalidParameterException",
        "User has not associated a software token."
    );
}

TEST_F(verify_software_token, a_second_verification_finds_no_pending_token)
{
    auto const secret = verified_token(access_);
    EXPECT_AWS_ERROR(
        f_,
        "VerifySoftwareToken",
        (json{{"AccessToken", access_}, {"UserCode", totp_code(secret, t0_seconds)}}),
        "InvalidParameterException",
        "User has not associated a software token."
    );
}

TEST_F(verify_software_token, checks_the_latest_associated_secret)
{
    auto const first = associate(access_);
    auto const second = associate(access_);
    auto const first_code = totp_code(first, t0_seconds);
    ASSERT_FALSE(cognitod::auth::totp::verify(
        *cognitod::auth::totp::base32_decode(second), first_code, t0_seconds
    ));
    EXPECT_AWS_ERROR(
        f_,
        "VerifySoftwareToken",
        (json{{"AccessToken", access_}, {"UserCode", first_code}}),
        "EnableSoftwareTokenMFAException",
        "Code mismatch and fail enable Software Token MFA"
    );
    EXPECT_EQ(verify(access_, totp_code(second, t0_seconds)).at("Status"), "SUCCESS");
}

TEST_F(verify_software_token, stores_the_friendly_device_name)
{
    auto const secret = associate(access_);
    verify(access_, totp_code(secret, t0_seconds), {{"FriendlyDeviceName", "Alice's phone"}});
    EXPECT_EQ(
        stored_mfa(alice_).at("totp"), (json{{"secret", secret}, {"device_name", "Alice's phone"}})
    );
}

TEST_F(verify_software_token, stores_an_empty_friendly_device_name)
{
    auto const secret = associate(access_);
    verify(access_, totp_code(secret, t0_seconds), {{"FriendlyDeviceName", ""}});
    EXPECT_EQ(stored_mfa(alice_).at("totp").at("device_name"), "");
}

TEST_F(verify_software_token, without_a_friendly_device_name_stores_none)
{
    auto const secret = associate(access_);
    verify(access_, totp_code(secret, t0_seconds));
    EXPECT_FALSE(stored_mfa(alice_).at("totp").contains("device_name"));
}

TEST_F(verify_software_token, with_a_session_instead_of_an_access_token_is_an_invalid_token)
{
    associate(access_);
    EXPECT_AWS_ERROR(
        f_,
        "VerifySoftwareToken",
        (json{{"Session", std::string(40, 'S')}, {"UserCode", "123456"}}),
        "NotAuthorizedException",
        "Invalid Access Token"
    );
}

TEST_F(verify_software_token, a_user_code_that_is_not_digits_is_refused_by_the_model)
{
    EXPECT_AWS_ERROR(
        f_,
        "VerifySoftwareToken",
        (json{{"AccessToken", access_}, {"UserCode", "12345a"}}),
        "InvalidParameterException",
        "1 validation error detected: Value at 'userCode' failed to satisfy constraint: Member "
        "must satisfy regular expression pattern: [0-9]+"
    );
}

TEST_F(verify_software_token, a_user_code_of_five_digits_is_refused_by_the_model)
{
    EXPECT_AWS_ERROR(
        f_,
        "VerifySoftwareToken",
        (json{{"AccessToken", access_}, {"UserCode", "12345"}}),
        "InvalidParameterException",
        "1 validation error detected: Value at 'userCode' failed to satisfy constraint: Member "
        "must have length greater than or equal to 6"
    );
}

TEST_F(verify_software_token, a_new_association_leaves_the_verified_secret_in_force)
{
    auto const verified = verified_token(access_);
    enable_for_sign_in();
    associate(access_);
    EXPECT_EQ(mfa_of("alice").at("UserMFASettingList"), (json{"SOFTWARE_TOKEN_MFA"}));
    auto const result = sign_in_with_code(totp_code(verified, t0_seconds));
    EXPECT_TRUE(result.at("AuthenticationResult").contains("AccessToken"));
}

TEST_F(verify_software_token, verifying_a_new_association_replaces_the_secret_sign_in_checks)
{
    auto const old = verified_token(access_);
    enable_for_sign_in();
    auto const replacement = associate(access_);
    verify(access_, totp_code(replacement, t0_seconds));
    auto const old_code = totp_code(old, t0_seconds);
    ASSERT_FALSE(cognitod::auth::totp::verify(
        *cognitod::auth::totp::base32_decode(replacement), old_code, t0_seconds
    ));
    auto const challenge = password_auth(f_, client_, "alice", mfa_password);
    EXPECT_AWS_ERROR(
        f_,
        "RespondToAuthChallenge",
        (json{
            {"ClientId", client_.id},
            {"ChallengeName", "SOFTWARE_TOKEN_MFA"},
            {"Session", challenge.at("Session")},
            {"ChallengeResponses", {{"USERNAME", "alice"}, {"SOFTWARE_TOKEN_MFA_CODE", old_code}}}}
        ),
        "CodeMismatchException",
        "Invalid code received for user"
    );
    auto const result = sign_in_with_code(totp_code(replacement, t0_seconds));
    EXPECT_TRUE(result.at("AuthenticationResult").contains("AccessToken"));
}

// Access tokens

TEST_P(mfa_access_token, a_valid_token_is_accepted)
{
    if (std::string{GetParam()} == "VerifySoftwareToken")
    {
        associate(access_);
        EXPECT_EQ(
            f_.error_of(GetParam(), input(access_)).code(), "EnableSoftwareTokenMFAException"
        );
        return;
    }
    EXPECT_NO_THROW(f_.call(GetParam(), input(access_)));
}

TEST_P(mfa_access_token, a_token_that_is_not_a_jwt_is_invalid)
{
    expect_refused("not-a-jwt", "NotAuthorizedException", "Invalid Access Token");
}

TEST_P(mfa_access_token, a_token_with_a_changed_payload_is_invalid)
{
    auto claims = claims_of(access_);
    claims["sub"] = bob_.sub;
    claims["username"] = "bob";
    expect_refused(with_payload(access_, claims), "NotAuthorizedException", "Invalid Access Token");
    EXPECT_EQ(stored_mfa(bob_), json::object());
}

TEST_P(mfa_access_token, an_id_token_is_invalid)
{
    auto const id_token = sign_in(f_, client_, "alice", mfa_password).at("IdToken");
    expect_refused(id_token, "NotAuthorizedException", "Invalid Access Token");
}

TEST_P(mfa_access_token, an_expired_token_is_refused)
{
    f_.time.now = t0 + 3601 * 1000;
    expect_refused(access_, "NotAuthorizedException", "Access Token has expired");
    EXPECT_EQ(stored_mfa(alice_), json::object());
}

TEST_P(mfa_access_token, a_token_signed_out_globally_is_revoked)
{
    f_.call("GlobalSignOut", {{"AccessToken", access_}});
    expect_refused(access_, "NotAuthorizedException", "Access Token has been revoked");
    EXPECT_EQ(stored_mfa(alice_), json::object());
}

TEST_P(mfa_access_token, a_disabled_users_token_is_revoked)
{
    f_.call("AdminDisableUser", {{"UserPoolId", pool_}, {"Username", "alice"}});
    expect_refused(access_, "NotAuthorizedException", "Access Token has been revoked");
}

TEST_P(mfa_access_token, a_deleted_users_token_names_no_user)
{
    f_.call("AdminDeleteUser", {{"UserPoolId", pool_}, {"Username", "alice"}});
    expect_refused(access_, "UserNotFoundException", "User does not exist.");
}

INSTANTIATE_TEST_SUITE_P(
    user_operations,
    mfa_access_token,
    ::testing::Values("SetUserMFAPreference", "AssociateSoftwareToken", "VerifySoftwareToken"),
    [](::testing::TestParamInfo<char const*> const& info) { return std::string{info.param}; }
);
