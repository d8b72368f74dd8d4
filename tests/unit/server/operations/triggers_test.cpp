// The pools' Lambda triggers: the events cognitod sends, what it does with the answers, and the
// errors for a function that throws, cannot be reached or answers nonsense. The function is a
// scripted lambda_invoker; tests/e2e/test_triggers.py calls a real Invoke API over HTTP.
#include "unit/server/operations/scripted_lambda.hpp"

#include <gtest/gtest.h>

#include <string>

namespace
{

using namespace cognitod::testing;
using cognitod::lambda_result;

constexpr char const* password = "Passw0rd!ok";
constexpr char const* pre_sign_up_arn =
    "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up";
constexpr char const* post_confirmation_arn =
    "arn:aws:lambda:us-east-1:123456789012:function:post-confirmation";

class triggers : public with_lambda
{
protected:
    std::string pool_ =
        make_pool()
            .with("AutoVerifiedAttributes", {"email"})
            .with(
                "LambdaConfig",
                {{"PreSignUp", pre_sign_up_arn}, {"PostConfirmation", post_confirmation_arn}}
            )
            .insert(f_);
    created_client client_ = make_client().insert(f_, pool_);

    json sign_up_input(std::string const& username) const
    {
        return {
            {"ClientId", client_.id},
            {"Username", username},
            {"Password", password},
            {"UserAttributes", {{{"Name", "email"}, {"Value", username + "@example.com"}}}},
            {"ValidationData", {{{"Name", "invite"}, {"Value", "abc"}}}},
            {"ClientMetadata", {{"source", "web"}}},
        };
    }

    json user(std::string const& username) const
    {
        return call("AdminGetUser", {{"UserPoolId", pool_}, {"Username", username}});
    }
};

} // namespace

TEST_F(triggers, pre_sign_up_gets_the_guides_event_and_may_confirm_and_verify)
{
    lambda_.answer = [](json const& event) {
        return answering(event, {{"autoConfirmUser", true}, {"autoVerifyEmail", true}});
    };
    auto const out = call("SignUp", sign_up_input("ana"));
    EXPECT_EQ(out.at("UserConfirmed"), true);
    EXPECT_FALSE(out.contains("CodeDeliveryDetails"));

    auto const calls = lambda_.calls();
    ASSERT_EQ(calls.size(), 1U);
    EXPECT_EQ(calls[0].first, pre_sign_up_arn);
    auto const& event = calls[0].second;
    EXPECT_EQ(event.at("version"), "1");
    EXPECT_EQ(event.at("triggerSource"), "PreSignUp_SignUp");
    EXPECT_EQ(event.at("region"), "us-east-1");
    EXPECT_EQ(event.at("userPoolId"), pool_);
    EXPECT_EQ(event.at("userName"), "ana");
    EXPECT_EQ(event.at("callerContext").at("clientId"), client_.id);
    EXPECT_EQ(event.at("request").at("userAttributes"), (json{{"email", "ana@example.com"}}));
    EXPECT_EQ(event.at("request").at("validationData"), (json{{"invite", "abc"}}));
    EXPECT_EQ(event.at("request").at("clientMetadata"), (json{{"source", "web"}}));
    EXPECT_EQ(
        event.at("response"),
        (json{{"autoConfirmUser", false}, {"autoVerifyEmail", false}, {"autoVerifyPhone", false}})
    );

    auto const ana = user("ana");
    EXPECT_EQ(ana.at("UserStatus"), "CONFIRMED");
    EXPECT_EQ(attribute_in(ana.at("UserAttributes"), "email_verified"), "true");
    EXPECT_TRUE(f_.store.read()->list_messages(pool_, "ana").empty());
    // Auto-confirmed users are not confirmed by anyone: PostConfirmation stays silent.
    EXPECT_EQ(lambda_.calls().size(), 1U);
}

TEST_F(triggers, without_auto_confirmation_sign_up_goes_on_as_usual)
{
    auto const out = call("SignUp", sign_up_input("ben"));
    EXPECT_EQ(out.at("UserConfirmed"), false);
    EXPECT_TRUE(out.contains("CodeDeliveryDetails"));
    EXPECT_EQ(user("ben").at("UserStatus"), "UNCONFIRMED");
}

TEST_F(triggers, a_function_that_throws_refuses_with_its_message_and_nothing_is_created)
{
    lambda_.answer = [](json const&)
    {
        return lambda_result{
            lambda_result::kind::function_error,
            R"({"errorType":"Error","errorMessage":"Registration from this domain is not allowed."})",
            {}};
    };
    auto const e = error_of("SignUp", sign_up_input("cy"));
    EXPECT_EQ(e.code(), "UserLambdaValidationException");
    EXPECT_EQ(
        e.message(), "PreSignUp failed with error Registration from this domain is not allowed.."
    );
    EXPECT_EQ(
        error_of("AdminGetUser", {{"UserPoolId", pool_}, {"Username", "cy"}}).code(),
        "UserNotFoundException"
    );
}

TEST_F(triggers, an_unreachable_function_or_a_nonsense_answer_has_its_own_error)
{
    lambda_.answer = [](json const&) {
        return lambda_result{lambda_result::kind::unreachable, {}, "connect: Connection refused"};
    };
    auto const unreachable = error_of("SignUp", sign_up_input("dee"));
    EXPECT_EQ(unreachable.code(), "UnexpectedLambdaException");
    EXPECT_EQ(
        unreachable.message(),
        "PreSignUp invocation failed due to error connect: Connection refused."
    );

    for (auto const* nonsense : {"not json", "[]", R"({"response": 3})"})
    {
        lambda_.answer = [nonsense](json const&) {
            return lambda_result{lambda_result::kind::answered, nonsense, {}};
        };
        auto const e = error_of("SignUp", sign_up_input("dee"));
        EXPECT_EQ(e.code(), "InvalidLambdaResponseException") << nonsense;
        EXPECT_EQ(e.message(), "Unrecognizable lambda output") << nonsense;
    }
}

TEST_F(triggers, without_an_endpoint_a_configured_trigger_fails_the_call_and_names_the_flag)
{
    cognitod::dispatcher const without{
        cognito_model(), f_.store, f_.time, f_.ids, f_.keys, "us-east-1", account_id};
    try
    {
        without.invoke("SignUp", sign_up_input("eve"), f_.info);
        ADD_FAILURE() << "SignUp succeeded";
    }
    catch (cognitod::aws_error const& e)
    {
        EXPECT_EQ(e.code(), "UnexpectedLambdaException");
        EXPECT_NE(e.message().find("--lambda-endpoint"), std::string::npos) << e.message();
    }
}

TEST_F(triggers, pre_sign_up_runs_for_admin_create_user_too)
{
    call(
        "AdminCreateUser",
        {{"UserPoolId", pool_}, {"Username", "fay"}, {"MessageAction", "SUPPRESS"}}
    );
    auto const calls = lambda_.calls();
    ASSERT_EQ(calls.size(), 1U);
    EXPECT_EQ(calls[0].second.at("triggerSource"), "PreSignUp_AdminCreateUser");
    EXPECT_EQ(calls[0].second.at("callerContext").at("clientId"), "CLIENT_ID_NOT_APPLICABLE");
}

TEST_F(triggers, post_confirmation_follows_each_confirmation_and_its_refusal_leaves_it_standing)
{
    call("SignUp", sign_up_input("gus"));
    auto const code = f_.store.read()->list_messages(pool_, "gus").back().code;
    call(
        "ConfirmSignUp", {{"ClientId", client_.id}, {"Username", "gus"}, {"ConfirmationCode", code}}
    );
    auto calls = lambda_.calls();
    ASSERT_EQ(calls.size(), 2U);
    EXPECT_EQ(calls[1].first, post_confirmation_arn);
    auto const& event = calls[1].second;
    EXPECT_EQ(event.at("triggerSource"), "PostConfirmation_ConfirmSignUp");
    EXPECT_EQ(event.at("request").at("userAttributes").at("cognito:user_status"), "CONFIRMED");
    EXPECT_EQ(event.at("request").at("userAttributes").at("email_verified"), "true");
    EXPECT_TRUE(event.at("request").at("userAttributes").contains("sub"));

    call("SignUp", sign_up_input("hal"));
    lambda_.answer = [](json const& event)
    {
        if (event.at("triggerSource") == "PostConfirmation_ConfirmSignUp")
        {
            return lambda_result{
                lambda_result::kind::function_error, R"({"errorMessage":"database down"})", {}};
        }
        return lambda_result{lambda_result::kind::answered, event.dump(), {}};
    };
    auto const e = error_of("AdminConfirmSignUp", {{"UserPoolId", pool_}, {"Username", "hal"}});
    EXPECT_EQ(e.code(), "UserLambdaValidationException");
    EXPECT_EQ(e.message(), "PostConfirmation failed with error database down.");
    EXPECT_EQ(user("hal").at("UserStatus"), "CONFIRMED");
    calls = lambda_.calls();
    EXPECT_EQ(calls.back().second.at("callerContext").at("clientId"), "CLIENT_ID_NOT_APPLICABLE");
}

TEST(lambda_endpoint, is_an_http_url_with_a_host_and_port)
{
    using cognitod::http_lambda_invoker;
    auto const e = http_lambda_invoker::parse_endpoint("http://127.0.0.1:3002/");
    EXPECT_EQ(e.host, "127.0.0.1");
    EXPECT_EQ(e.port, "3002");
    EXPECT_EQ(e.base_path, "");
    auto const prefixed = http_lambda_invoker::parse_endpoint("http://[::1]:4566/lambda");
    EXPECT_EQ(prefixed.host, "::1");
    EXPECT_EQ(prefixed.base_path, "/lambda");
    EXPECT_EQ(http_lambda_invoker::parse_endpoint("http://runtime").port, "80");
    for (auto const* bad :
         {"https://x:1", "127.0.0.1:3002", "http://:80", "http://h:port", "http://[::1"})
    {
        EXPECT_THROW(http_lambda_invoker::parse_endpoint(bad), std::invalid_argument) << bad;
    }
}
