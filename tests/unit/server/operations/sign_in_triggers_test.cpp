// The triggers of a sign-in (PreAuthentication, PostAuthentication, PreTokenGeneration,
// UserMigration, the custom challenge's three) and of its messages (CustomMessage), with
// CUSTOM_AUTH and USER_AUTH, the flows they drive. The function is scripted;
// tests/e2e/js/triggers.test.js runs real handlers in a Lambda runtime.
#include "unit/server/operations/scripted_lambda.hpp"

#include <gtest/gtest.h>

#include <string>

namespace
{

using namespace cognitod::testing;
using cognitod::lambda_result;

constexpr char const* password = "Passw0rd!ok";
std::string arn(std::string const& name)
{
    return "arn:aws:lambda:us-east-1:123456789012:function:" + name;
}

lambda_result refusing(std::string const& message)
{
    return {lambda_result::kind::function_error, json{{"errorMessage", message}}.dump(), {}};
}

class sign_in_triggers : public with_lambda
{
protected:
    // A pool with these triggers, a client that may use every flow, and alice, who has a
    // verified email.
    std::string pool_with(json const& lambda_config, json policies = nullptr)
    {
        auto pool = make_pool()
                        .with("LambdaConfig", lambda_config)
                        .with("AutoVerifiedAttributes", {"email"});
        if (!policies.is_null())
        {
            pool.with("Policies", std::move(policies));
        }
        pool_ = pool.insert(f_);
        client_ = make_client()
                      .with_flows(
                          {"ALLOW_USER_PASSWORD_AUTH",
                           "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                           "ALLOW_REFRESH_TOKEN_AUTH",
                           "ALLOW_CUSTOM_AUTH",
                           "ALLOW_USER_SRP_AUTH",
                           "ALLOW_USER_AUTH"}
                      )
                      .insert(f_, pool_);
        call(
            "AdminCreateUser",
            {{"UserPoolId", pool_},
             {"Username", "alice"},
             {"MessageAction", "SUPPRESS"},
             {"UserAttributes",
              {{{"Name", "email"}, {"Value", "alice@example.com"}},
               {{"Name", "email_verified"}, {"Value", "true"}}}}}
        );
        call(
            "AdminSetUserPassword",
            {{"UserPoolId", pool_},
             {"Username", "alice"},
             {"Password", password},
             {"Permanent", true}}
        );
        return pool_;
    }

    json initiate(std::string const& flow, json parameters, json metadata = json::object()) const
    {
        return call(
            "InitiateAuth",
            {{"AuthFlow", flow},
             {"ClientId", client_.id},
             {"AuthParameters", std::move(parameters)},
             {"ClientMetadata", std::move(metadata)}}
        );
    }

    json respond(json const& challenge, json responses, json metadata = json::object()) const
    {
        responses["USERNAME"] = "alice";
        return call(
            "RespondToAuthChallenge",
            {{"ChallengeName", challenge.at("ChallengeName")},
             {"ClientId", client_.id},
             {"Session", challenge.at("Session")},
             {"ChallengeResponses", std::move(responses)},
             {"ClientMetadata", std::move(metadata)}}
        );
    }

    // The events the function received for a trigger source, oldest first.
    std::vector<json> events(std::string const& source) const
    {
        std::vector<json> out;
        for (auto const& [function, event] : lambda_.calls())
        {
            if (event.at("triggerSource") == source)
            {
                out.push_back(event);
            }
        }
        return out;
    }

    std::string outbox_code(std::string const& username)
    {
        auto const messages = f_.store.read()->list_messages(pool_, username);
        return messages.empty() ? std::string{} : messages.back().code;
    }

    std::string pool_;
    created_client client_;
};

TEST_F(sign_in_triggers, pre_and_post_authentication_surround_a_sign_in)
{
    pool_with({{"PreAuthentication", arn("pre-auth")}, {"PostAuthentication", arn("post-auth")}});
    auto const out = initiate(
        "USER_PASSWORD_AUTH", {{"USERNAME", "alice"}, {"PASSWORD", password}}, {{"app", "web"}}
    );
    EXPECT_TRUE(out.contains("AuthenticationResult"));

    auto const pre = events("PreAuthentication_Authentication");
    ASSERT_EQ(pre.size(), 1U);
    EXPECT_EQ(pre[0].at("userName"), "alice");
    EXPECT_EQ(pre[0].at("callerContext").at("clientId"), client_.id);
    EXPECT_EQ(pre[0].at("request").at("validationData"), (json{{"app", "web"}}));
    EXPECT_EQ(pre[0].at("request").at("userNotFound"), false);
    EXPECT_EQ(pre[0].at("request").at("userAttributes").at("cognito:user_status"), "CONFIRMED");
    EXPECT_EQ(pre[0].at("request").at("userAttributes").at("email"), "alice@example.com");

    auto const post = events("PostAuthentication_Authentication");
    ASSERT_EQ(post.size(), 1U);
    EXPECT_EQ(post[0].at("request").at("newDeviceUsed"), false);
    // InitiateAuth gives its ClientMetadata to PreAuthentication and UserMigration only.
    EXPECT_EQ(post[0].at("request").at("clientMetadata"), json::object());

    lambda_.answer = [](json const& event)
    {
        return event.at("triggerSource") == "PreAuthentication_Authentication"
                   ? refusing("This user may not sign in.")
                   : lambda_result{lambda_result::kind::answered, event.dump(), {}};
    };
    auto const e = error_of(
        "InitiateAuth",
        {{"AuthFlow", "USER_PASSWORD_AUTH"},
         {"ClientId", client_.id},
         {"AuthParameters", {{"USERNAME", "alice"}, {"PASSWORD", password}}}}
    );
    EXPECT_EQ(e.code(), "UserLambdaValidationException");
    EXPECT_EQ(e.message(), "PreAuthentication failed with error This user may not sign in..");
}

TEST_F(sign_in_triggers, pre_token_generation_v1_changes_the_id_token_and_the_groups)
{
    pool_with({{"PreTokenGeneration", arn("tokens")}});
    call("CreateGroup", {{"UserPoolId", pool_}, {"GroupName", "staff"}});
    call(
        "AdminAddUserToGroup",
        {{"UserPoolId", pool_}, {"Username", "alice"}, {"GroupName", "staff"}}
    );
    lambda_.answer = [](json const& event)
    {
        return answering(
            event,
            {{"claimsOverrideDetails",
              {{"claimsToAddOrOverride",
                {{"tenant", "acme"}, {"sub", "forged"}, {"email", "other@example.com"}}},
               {"claimsToSuppress", {"email_verified", "iss"}},
               {"groupOverrideDetails", {{"groupsToOverride", {"from-trigger"}}}}}}}
        );
    };
    auto const result = initiate(
                            "USER_PASSWORD_AUTH", {{"USERNAME", "alice"}, {"PASSWORD", password}}
    ).at("AuthenticationResult");
    auto const id = claims_of(result.at("IdToken"));
    auto const access = claims_of(result.at("AccessToken"));
    EXPECT_EQ(id.at("tenant"), "acme");
    EXPECT_EQ(id.at("email"), "other@example.com");
    EXPECT_FALSE(id.contains("email_verified"));
    // Reserved claims keep Cognito's values.
    EXPECT_NE(id.at("sub"), "forged");
    EXPECT_TRUE(id.contains("iss"));
    EXPECT_EQ(id.at("cognito:groups"), json::array({"from-trigger"}));
    EXPECT_EQ(access.at("cognito:groups"), json::array({"from-trigger"}));
    // V1 leaves the access token's own claims alone.
    EXPECT_FALSE(access.contains("tenant"));

    auto const event = events("TokenGeneration_Authentication").at(0);
    EXPECT_EQ(event.at("version"), "1");
    EXPECT_EQ(
        event.at("request").at("groupConfiguration"),
        (json{
            {"groupsToOverride", {"staff"}},
            {"iamRolesToOverride", json::array()},
            {"preferredRole", nullptr}})
    );
    EXPECT_FALSE(event.at("request").contains("scopes"));
    EXPECT_EQ(event.at("response"), (json{{"claimsOverrideDetails", nullptr}}));

    // Refreshing calls it again, with its own source; a V1 value that is not a string is an
    // answer Cognito cannot read.
    lambda_.answer = [](json const& event) {
        return answering(
            event, {{"claimsOverrideDetails", {{"claimsToAddOrOverride", {{"n", 1}}}}}}
        );
    };
    auto const refresh = error_of(
        "InitiateAuth",
        {{"AuthFlow", "REFRESH_TOKEN_AUTH"},
         {"ClientId", client_.id},
         {"AuthParameters", {{"REFRESH_TOKEN", result.at("RefreshToken")}}}}
    );
    EXPECT_EQ(refresh.code(), "InvalidLambdaResponseException");
    EXPECT_EQ(events("TokenGeneration_RefreshTokens").size(), 1U);
}

TEST_F(sign_in_triggers, pre_token_generation_v2_changes_both_tokens_and_the_scopes)
{
    pool_with(
        {{"PreTokenGeneration", arn("tokens")},
         {"PreTokenGenerationConfig", {{"LambdaVersion", "V2_0"}, {"LambdaArn", arn("tokens")}}}}
    );
    json const id_generation{
        {"claimsToAddOrOverride", {{"tenant", {{"id", 7}, {"name", "acme"}}}}}};
    json const access_generation{
        {"claimsToAddOrOverride", {{"tenant_id", "t-1"}, {"username", "mallory"}}},
        {"scopesToAdd", {"orders/read"}},
        {"scopesToSuppress", {"aws.cognito.signin.user.admin"}}};
    lambda_.answer = [&](json const& event)
    {
        return answering(
            event,
            {{"claimsAndScopeOverrideDetails",
              {{"idTokenGeneration", id_generation}, {"accessTokenGeneration", access_generation}}}}
        );
    };
    auto const result = initiate(
                            "USER_PASSWORD_AUTH", {{"USERNAME", "alice"}, {"PASSWORD", password}}
    ).at("AuthenticationResult");
    auto const id = claims_of(result.at("IdToken"));
    auto const access = claims_of(result.at("AccessToken"));
    EXPECT_EQ(id.at("tenant"), (json{{"id", 7}, {"name", "acme"}}));
    EXPECT_EQ(access.at("tenant_id"), "t-1");
    EXPECT_EQ(access.at("username"), "alice");
    EXPECT_EQ(access.at("scope"), "orders/read");

    auto const event = events("TokenGeneration_Authentication").at(0);
    EXPECT_EQ(event.at("version"), "2");
    EXPECT_EQ(event.at("request").at("scopes"), json::array({"aws.cognito.signin.user.admin"}));
    EXPECT_EQ(event.at("response"), (json{{"claimsAndScopeOverrideDetails", nullptr}}));
}

TEST_F(sign_in_triggers, custom_auth_runs_the_rounds_the_define_trigger_decides)
{
    pool_with(
        {{"DefineAuthChallenge", arn("define")},
         {"CreateAuthChallenge", arn("create")},
         {"VerifyAuthChallengeResponse", arn("verify")}}
    );
    // A quiz: right after a wrong answer issues tokens; three wrong answers fail.
    lambda_.answer = [](json const& event)
    {
        auto const source = event.at("triggerSource").get<std::string>();
        auto const& request = event.at("request");
        if (source == "DefineAuthChallenge_Authentication")
        {
            auto const& session = request.at("session");
            if (!session.empty() && session.back().at("challengeResult") == true)
            {
                return answering(event, {{"issueTokens", true}, {"failAuthentication", false}});
            }
            if (session.size() >= 3)
            {
                return answering(event, {{"issueTokens", false}, {"failAuthentication", true}});
            }
            return answering(
                event,
                {{"challengeName", "CUSTOM_CHALLENGE"},
                 {"issueTokens", false},
                 {"failAuthentication", false}}
            );
        }
        if (source == "CreateAuthChallenge_Authentication")
        {
            return answering(
                event,
                {{"publicChallengeParameters", {{"question", "2 + 2?"}}},
                 {"privateChallengeParameters", {{"answer", "4"}}},
                 {"challengeMetadata", "QUIZ"}}
            );
        }
        bool const right =
            request.at("challengeAnswer") == request.at("privateChallengeParameters").at("answer");
        return answering(event, {{"answerCorrect", right}});
    };
    auto const first = initiate("CUSTOM_AUTH", {{"USERNAME", "alice"}});
    EXPECT_EQ(first.at("ChallengeName"), "CUSTOM_CHALLENGE");
    EXPECT_EQ(
        first.at("ChallengeParameters"), (json{{"question", "2 + 2?"}, {"USERNAME", "alice"}})
    );
    auto const second = respond(first, {{"ANSWER", "5"}}, {{"try", "1"}});
    EXPECT_EQ(second.at("ChallengeName"), "CUSTOM_CHALLENGE");
    auto const done = respond(second, {{"ANSWER", "4"}});
    ASSERT_TRUE(done.contains("AuthenticationResult"));
    EXPECT_EQ(claims_of(done.at("AuthenticationResult").at("AccessToken")).at("username"), "alice");

    auto const defines = events("DefineAuthChallenge_Authentication");
    ASSERT_EQ(defines.size(), 3U);
    EXPECT_EQ(defines[0].at("request").at("session"), json::array());
    EXPECT_EQ(
        defines[2].at("request").at("session"),
        (json{
            {{"challengeName", "CUSTOM_CHALLENGE"},
             {"challengeResult", false},
             {"challengeMetadata", "QUIZ"}},
            {{"challengeName", "CUSTOM_CHALLENGE"},
             {"challengeResult", true},
             {"challengeMetadata", "QUIZ"}},
        })
    );
    auto const verifies = events("VerifyAuthChallengeResponse_Authentication");
    ASSERT_EQ(verifies.size(), 2U);
    EXPECT_EQ(verifies[0].at("request").at("challengeAnswer"), "5");
    EXPECT_EQ(verifies[0].at("request").at("privateChallengeParameters"), (json{{"answer", "4"}}));
    EXPECT_EQ(verifies[0].at("request").at("clientMetadata"), (json{{"try", "1"}}));
    EXPECT_EQ(
        events("CreateAuthChallenge_Authentication").at(0).at("request").at("challengeName"),
        "CUSTOM_CHALLENGE"
    );

    // Three wrong answers: DefineAuthChallenge fails the sign-in.
    auto round = initiate("CUSTOM_AUTH", {{"USERNAME", "alice"}});
    round = respond(round, {{"ANSWER", "1"}});
    round = respond(round, {{"ANSWER", "2"}});
    try
    {
        respond(round, {{"ANSWER", "3"}});
        ADD_FAILURE() << "the third wrong answer signed in";
    }
    catch (cognitod::aws_error const& e)
    {
        EXPECT_EQ(e.code(), "NotAuthorizedException");
        EXPECT_EQ(e.message(), "Incorrect username or password.");
    }
}

TEST_F(sign_in_triggers, custom_auth_may_begin_with_the_password_by_srp)
{
    pool_with({{"DefineAuthChallenge", arn("define")}, {"CreateAuthChallenge", arn("create")}});
    lambda_.answer = [](json const& event)
    {
        return answering(
            event,
            {{"challengeName", "PASSWORD_VERIFIER"},
             {"issueTokens", false},
             {"failAuthentication", false}}
        );
    };
    auto const out = initiate(
        "CUSTOM_AUTH", {{"USERNAME", "alice"}, {"CHALLENGE_NAME", "SRP_A"}, {"SRP_A", "02"}}
    );
    EXPECT_EQ(out.at("ChallengeName"), "PASSWORD_VERIFIER");
    EXPECT_TRUE(out.at("ChallengeParameters").contains("SRP_B"));
    EXPECT_EQ(
        events("DefineAuthChallenge_Authentication").at(0).at("request").at("session"),
        (json{{{"challengeName", "SRP_A"}, {"challengeResult", true}}})
    );
}

TEST_F(sign_in_triggers, custom_auth_without_its_triggers_or_with_a_nonsense_decision_is_refused)
{
    auto const refusal = [&]
    {
        return error_of(
            "InitiateAuth",
            {{"AuthFlow", "CUSTOM_AUTH"},
             {"ClientId", client_.id},
             {"AuthParameters", {{"USERNAME", "alice"}}}}
        );
    };
    pool_with(json::object());
    EXPECT_EQ(refusal().code(), "InvalidLambdaResponseException");
    pool_with({{"DefineAuthChallenge", arn("define")}});
    lambda_.answer = [](json const& event) {
        return answering(event, {{"challengeName", "NOT_A_CHALLENGE"}});
    };
    EXPECT_EQ(refusal().message(), "Unrecognizable lambda output");
}

TEST_F(sign_in_triggers, user_auth_offers_the_allowed_factors_and_signs_in_with_an_email_code)
{
    pool_with(
        json::object(), {{"SignInPolicy", {{"AllowedFirstAuthFactors", {"PASSWORD", "EMAIL_OTP"}}}}}
    );
    auto const select = initiate("USER_AUTH", {{"USERNAME", "alice"}});
    EXPECT_EQ(select.at("ChallengeName"), "SELECT_CHALLENGE");
    EXPECT_EQ(select.at("AvailableChallenges"), (json{"EMAIL_OTP", "PASSWORD", "PASSWORD_SRP"}));
    auto const otp = respond(select, {{"ANSWER", "EMAIL_OTP"}});
    EXPECT_EQ(otp.at("ChallengeName"), "EMAIL_OTP");
    EXPECT_EQ(otp.at("ChallengeParameters").at("CODE_DELIVERY_DELIVERY_MEDIUM"), "EMAIL");
    EXPECT_EQ(otp.at("ChallengeParameters").at("CODE_DELIVERY_DESTINATION"), "a***@e***");
    auto const code = outbox_code("alice");
    EXPECT_EQ(code.size(), 8U);

    auto const wrong = [&]
    {
        try
        {
            respond(otp, {{"EMAIL_OTP_CODE", "00000000"}});
        }
        catch (cognitod::aws_error const& e)
        {
            return e.code();
        }
        return std::string{"signed in"};
    }();
    EXPECT_EQ(wrong, "CodeMismatchException");
    auto const done = respond(otp, {{"EMAIL_OTP_CODE", code}});
    ASSERT_TRUE(done.contains("AuthenticationResult"));

    // With the preferred factor named, the code goes at once; a password may answer the choice.
    auto const direct =
        initiate("USER_AUTH", {{"USERNAME", "alice"}, {"PREFERRED_CHALLENGE", "EMAIL_OTP"}});
    EXPECT_EQ(direct.at("ChallengeName"), "EMAIL_OTP");
    auto const by_password = respond(
        initiate("USER_AUTH", {{"USERNAME", "alice"}}),
        {{"ANSWER", "PASSWORD"}, {"PASSWORD", password}}
    );
    EXPECT_TRUE(by_password.contains("AuthenticationResult"));

    auto const factors = call(
        "GetUserAuthFactors", {{"AccessToken", done.at("AuthenticationResult").at("AccessToken")}}
    );
    EXPECT_EQ(factors.at("Username"), "alice");
    EXPECT_EQ(factors.at("ConfiguredUserAuthFactors"), (json{"PASSWORD", "EMAIL_OTP"}));
}

TEST_F(sign_in_triggers, user_auth_without_a_sign_in_policy_offers_the_password_only)
{
    pool_with(json::object());
    auto const select = initiate("USER_AUTH", {{"USERNAME", "alice"}});
    EXPECT_EQ(select.at("AvailableChallenges"), (json{"PASSWORD", "PASSWORD_SRP"}));
    auto const e = error_of(
        "RespondToAuthChallenge",
        {{"ChallengeName", "SELECT_CHALLENGE"},
         {"ClientId", client_.id},
         {"Session", select.at("Session")},
         {"ChallengeResponses", {{"USERNAME", "alice"}, {"ANSWER", "EMAIL_OTP"}}}}
    );
    EXPECT_EQ(e.code(), "InvalidParameterException");
    auto const preferred = initiate(
        "USER_AUTH",
        {{"USERNAME", "alice"}, {"PREFERRED_CHALLENGE", "PASSWORD"}, {"PASSWORD", password}}
    );
    EXPECT_TRUE(preferred.contains("AuthenticationResult"));
}

TEST_F(sign_in_triggers, user_migration_brings_an_unknown_user_in_with_their_password)
{
    pool_with({{"UserMigration", arn("migrate")}, {"PreTokenGeneration", arn("tokens")}});
    lambda_.answer = [](json const& event)
    {
        auto const& request = event.at("request");
        if (event.at("triggerSource") == "UserMigration_Authentication")
        {
            if (request.at("password") != "Legacy1!pass")
            {
                return refusing("Bad password");
            }
            return answering(
                event,
                {{"userAttributes", {{"email", "legacy@example.com"}, {"email_verified", true}}},
                 {"finalUserStatus", "CONFIRMED"},
                 {"messageAction", "SUPPRESS"}}
            );
        }
        if (event.at("triggerSource") == "UserMigration_ForgotPassword")
        {
            return answering(
                event,
                {{"userAttributes", {{"email", "later@example.com"}, {"email_verified", "true"}}}}
            );
        }
        return lambda_result{lambda_result::kind::answered, event.dump(), {}};
    };
    auto const refused = error_of(
        "InitiateAuth",
        {{"AuthFlow", "USER_PASSWORD_AUTH"},
         {"ClientId", client_.id},
         {"AuthParameters", {{"USERNAME", "legacy-1"}, {"PASSWORD", "nope"}}}}
    );
    EXPECT_EQ(refused.code(), "UserNotFoundException");
    EXPECT_EQ(refused.message(), "Exception migrating user in app client " + client_.id);

    // A password the pool's policy would refuse still stands: the legacy store accepted it.
    auto const out =
        initiate("USER_PASSWORD_AUTH", {{"USERNAME", "legacy-1"}, {"PASSWORD", "Legacy1!pass"}});
    ASSERT_TRUE(out.contains("AuthenticationResult"));
    auto const migrated = call("AdminGetUser", {{"UserPoolId", pool_}, {"Username", "legacy-1"}});
    EXPECT_EQ(migrated.at("UserStatus"), "CONFIRMED");
    EXPECT_EQ(attribute_in(migrated.at("UserAttributes"), "email_verified"), "true");
    auto const event = events("UserMigration_Authentication").back();
    EXPECT_EQ(event.at("userName"), "legacy-1");
    EXPECT_EQ(event.at("request").at("password"), "Legacy1!pass");
    EXPECT_EQ(events("TokenGeneration_Authentication").size(), 1U);

    // ForgotPassword brings the user in without a password; the code sets one.
    auto const sent = call("ForgotPassword", {{"ClientId", client_.id}, {"Username", "legacy-2"}});
    EXPECT_EQ(sent.at("CodeDeliveryDetails").at("DeliveryMedium"), "EMAIL");
    EXPECT_FALSE(events("UserMigration_ForgotPassword").at(0).at("request").contains("password"));
    EXPECT_EQ(
        call("AdminGetUser", {{"UserPoolId", pool_}, {"Username", "legacy-2"}}).at("UserStatus"),
        "RESET_REQUIRED"
    );
    call(
        "ConfirmForgotPassword",
        {{"ClientId", client_.id},
         {"Username", "legacy-2"},
         {"ConfirmationCode", outbox_code("legacy-2")},
         {"Password", password}}
    );
    EXPECT_TRUE(initiate(
                    "USER_PASSWORD_AUTH", {{"USERNAME", "legacy-2"}, {"PASSWORD", password}}
    ).contains("AuthenticationResult"));
}

TEST_F(sign_in_triggers, custom_message_words_the_messages_that_carry_codes)
{
    pool_with({{"CustomMessage", arn("messages")}});
    lambda_.answer = [](json const& event)
    {
        auto const source = event.at("triggerSource").get<std::string>();
        auto const code = event.at("request").at("codeParameter").get<std::string>();
        if (source == "CustomMessage_ForgotPassword")
        {
            return answering(
                event, {{"emailSubject", "Reset"}, {"emailMessage", "Reset with " + code + "."}}
            );
        }
        // Without the code's place, a text is not used.
        return answering(event, {{"emailSubject", "Ignored"}, {"emailMessage", "No code here."}});
    };
    call("ForgotPassword", {{"ClientId", client_.id}, {"Username", "alice"}});
    auto const messages = f_.store.read()->list_messages(pool_, "alice");
    ASSERT_EQ(messages.size(), 1U);
    EXPECT_EQ(messages[0].subject, "Reset");
    EXPECT_EQ(messages[0].text, "Reset with " + messages[0].code + ".");
    auto const event = events("CustomMessage_ForgotPassword").at(0);
    EXPECT_EQ(event.at("request").at("codeParameter"), "{####}");
    EXPECT_EQ(event.at("request").at("usernameParameter"), nullptr);
    EXPECT_EQ(event.at("callerContext").at("clientId"), client_.id);

    call(
        "SignUp",
        {{"ClientId", client_.id},
         {"Username", "bob"},
         {"Password", password},
         {"UserAttributes", {{{"Name", "email"}, {"Value", "bob@example.com"}}}}}
    );
    auto const sign_up = f_.store.read()->list_messages(pool_, "bob");
    ASSERT_EQ(sign_up.size(), 1U);
    EXPECT_NE(sign_up[0].subject, "Ignored");
    EXPECT_EQ(events("CustomMessage_SignUp").size(), 1U);
}

} // namespace
