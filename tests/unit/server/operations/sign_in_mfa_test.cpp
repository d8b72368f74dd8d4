// The MFA step of a sign-in, through the state machine: which challenge a password leads to,
// SELECT_MFA_TYPE's choice, the codes, and a Session's single use.
#include "unit/server/operations/mfa_fixture.hpp"

#include <gtest/gtest.h>

#include <string>

namespace
{

using namespace cognitod::testing;

class mfa_sign_in : public mfa_users
{
protected:
    std::string secret_;

    void SetUp() override
    {
        f_.call("SetUserPoolMfaConfig", {{"UserPoolId", pool_}, {"MfaConfiguration", "OPTIONAL"}});
    }

    // alice with SMS and a verified software token both enabled, neither preferred.
    void enable_both()
    {
        secret_ = verified_token(access_);
        admin_prefer(
            "alice",
            {{"SMSMfaSettings", {{"Enabled", true}}},
             {"SoftwareTokenMfaSettings", {{"Enabled", true}}}}
        );
    }

    json answer(json const& challenge, json responses) const
    {
        responses["USERNAME"] = "alice";
        return f_.call(
            "RespondToAuthChallenge",
            {{"ClientId", client_.id},
             {"ChallengeName", challenge.at("ChallengeName")},
             {"Session", challenge.at("Session")},
             {"ChallengeResponses", responses}}
        );
    }

    json answer_input(json const& challenge, std::string const& name, json responses) const
    {
        responses["USERNAME"] = "alice";
        return {
            {"ClientId", client_.id},
            {"ChallengeName", name},
            {"Session", challenge.at("Session")},
            {"ChallengeResponses", responses}};
    }

    // The last SMS code the outbox holds for alice.
    std::string last_sms_code()
    {
        auto const messages = f_.store.read()->list_messages(pool_, "alice");
        EXPECT_FALSE(messages.empty());
        return messages.empty() ? std::string{} : messages.back().code;
    }
};

TEST_F(mfa_sign_in, a_user_without_factors_gets_tokens_under_optional_mfa)
{
    auto const out = password_auth(f_, client_, "alice", mfa_password);
    EXPECT_TRUE(out.contains("AuthenticationResult"));
    EXPECT_FALSE(out.contains("ChallengeName"));
}

TEST_F(mfa_sign_in, sms_sends_a_code_to_the_outbox_and_the_code_signs_in)
{
    admin_prefer("alice", {{"SMSMfaSettings", {{"Enabled", true}}}});
    auto const challenge = password_auth(f_, client_, "alice", mfa_password);
    ASSERT_EQ(challenge.at("ChallengeName"), "SMS_MFA");
    EXPECT_EQ(
        challenge.at("ChallengeParameters"),
        json(
            {{"CODE_DELIVERY_DELIVERY_MEDIUM", "SMS"},
             {"CODE_DELIVERY_DESTINATION", "+*******0100"}}
        )
    );
    auto const out = answer(challenge, {{"SMS_MFA_CODE", last_sms_code()}});
    EXPECT_TRUE(out.at("AuthenticationResult").contains("AccessToken"));
}

TEST_F(mfa_sign_in, a_wrong_code_is_refused_and_leaves_the_session_open)
{
    admin_prefer("alice", {{"SMSMfaSettings", {{"Enabled", true}}}});
    auto const challenge = password_auth(f_, client_, "alice", mfa_password);
    auto const code = last_sms_code();
    EXPECT_AWS_ERROR(
        f_,
        "RespondToAuthChallenge",
        answer_input(
            challenge, "SMS_MFA", {{"SMS_MFA_CODE", code == "000000" ? "111111" : "000000"}}
        ),
        "CodeMismatchException",
        "Invalid code received for user"
    );
    EXPECT_TRUE(answer(challenge, {{"SMS_MFA_CODE", code}}).contains("AuthenticationResult"));
}

TEST_F(mfa_sign_in, an_answered_session_serves_once)
{
    admin_prefer("alice", {{"SMSMfaSettings", {{"Enabled", true}}}});
    auto const challenge = password_auth(f_, client_, "alice", mfa_password);
    auto const code = last_sms_code();
    answer(challenge, {{"SMS_MFA_CODE", code}});
    EXPECT_AWS_ERROR(
        f_,
        "RespondToAuthChallenge",
        answer_input(challenge, "SMS_MFA", {{"SMS_MFA_CODE", code}}),
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once."
    );
}

TEST_F(mfa_sign_in, a_session_answers_only_its_own_challenge)
{
    admin_prefer("alice", {{"SMSMfaSettings", {{"Enabled", true}}}});
    auto const challenge = password_auth(f_, client_, "alice", mfa_password);
    EXPECT_AWS_ERROR(
        f_,
        "RespondToAuthChallenge",
        answer_input(challenge, "SOFTWARE_TOKEN_MFA", {{"SOFTWARE_TOKEN_MFA_CODE", "123456"}}),
        "NotAuthorizedException",
        "Invalid session for the user."
    );
    // A challenge the state machine never sends has no Session either.
    EXPECT_AWS_ERROR(
        f_,
        "RespondToAuthChallenge",
        answer_input(challenge, "CUSTOM_CHALLENGE", {{"ANSWER", "x"}}),
        "NotAuthorizedException",
        "Invalid session for the user."
    );
}

TEST_F(mfa_sign_in, both_factors_without_a_preference_ask_the_user_to_choose)
{
    enable_both();
    auto const challenge = password_auth(f_, client_, "alice", mfa_password);
    ASSERT_EQ(challenge.at("ChallengeName"), "SELECT_MFA_TYPE");
    EXPECT_EQ(
        challenge.at("ChallengeParameters"),
        json({{"MFAS_CAN_CHOOSE", R"(["SMS_MFA","SOFTWARE_TOKEN_MFA"])"}})
    );
    auto const totp = answer(challenge, {{"ANSWER", "SOFTWARE_TOKEN_MFA"}});
    ASSERT_EQ(totp.at("ChallengeName"), "SOFTWARE_TOKEN_MFA");
    EXPECT_NE(totp.at("Session"), challenge.at("Session"));
    auto const out = answer(totp, {{"SOFTWARE_TOKEN_MFA_CODE", totp_code(secret_, t0_seconds)}});
    EXPECT_TRUE(out.at("AuthenticationResult").contains("IdToken"));
}

TEST_F(mfa_sign_in, choosing_sms_sends_the_code_then)
{
    enable_both();
    auto const challenge = password_auth(f_, client_, "alice", mfa_password);
    auto const sent_before = f_.store.read()->list_messages(pool_, "alice").size();
    auto const sms = answer(challenge, {{"ANSWER", "SMS_MFA"}});
    ASSERT_EQ(sms.at("ChallengeName"), "SMS_MFA");
    EXPECT_EQ(f_.store.read()->list_messages(pool_, "alice").size(), sent_before + 1);
    EXPECT_TRUE(answer(sms, {{"SMS_MFA_CODE", last_sms_code()}}).contains("AuthenticationResult"));
}

TEST_F(mfa_sign_in, choosing_a_factor_the_user_lacks_is_refused)
{
    enable_both();
    auto const challenge = password_auth(f_, client_, "alice", mfa_password);
    for (char const* choice : {"EMAIL_OTP", "sms_mfa", ""})
    {
        EXPECT_AWS_ERROR(
            f_,
            "RespondToAuthChallenge",
            answer_input(challenge, "SELECT_MFA_TYPE", {{"ANSWER", choice}}),
            "InvalidParameterException",
            "Invalid MFA type given."
        );
    }
    // Refusals change nothing: the choice can still be made.
    EXPECT_EQ(answer(challenge, {{"ANSWER", "SMS_MFA"}}).at("ChallengeName"), "SMS_MFA");
}

TEST_F(mfa_sign_in, a_missing_answer_names_the_parameter)
{
    enable_both();
    auto const challenge = password_auth(f_, client_, "alice", mfa_password);
    EXPECT_AWS_ERROR(
        f_,
        "RespondToAuthChallenge",
        answer_input(challenge, "SELECT_MFA_TYPE", json::object()),
        "InvalidParameterException",
        "Missing required parameter ANSWER"
    );
}

TEST_F(mfa_sign_in, the_preferred_factor_is_asked_without_a_choice)
{
    enable_both();
    admin_prefer(
        "alice", {{"SoftwareTokenMfaSettings", {{"Enabled", true}, {"PreferredMfa", true}}}}
    );
    EXPECT_EQ(
        password_auth(f_, client_, "alice", mfa_password).at("ChallengeName"), "SOFTWARE_TOKEN_MFA"
    );
    admin_prefer("alice", {{"SMSMfaSettings", {{"Enabled", true}, {"PreferredMfa", true}}}});
    EXPECT_EQ(password_auth(f_, client_, "alice", mfa_password).at("ChallengeName"), "SMS_MFA");
}

TEST_F(mfa_sign_in, required_mfa_sends_sms_to_a_user_with_a_phone_and_nothing_chosen)
{
    f_.call("SetUserPoolMfaConfig", {{"UserPoolId", pool_}, {"MfaConfiguration", "ON"}});
    EXPECT_EQ(password_auth(f_, client_, "alice", mfa_password).at("ChallengeName"), "SMS_MFA");
}

TEST_F(mfa_sign_in, required_mfa_without_any_factor_is_not_implemented_yet)
{
    f_.call("SetUserPoolMfaConfig", {{"UserPoolId", pool_}, {"MfaConfiguration", "ON"}});
    auto const error = f_.error_of(
        "InitiateAuth",
        {{"AuthFlow", "USER_PASSWORD_AUTH"},
         {"ClientId", client_.id},
         {"AuthParameters", {{"USERNAME", "bob"}, {"PASSWORD", mfa_password}}}}
    );
    EXPECT_EQ(error.code(), "NotImplementedException");
    EXPECT_EQ(error.status(), 501U);
}

} // namespace
