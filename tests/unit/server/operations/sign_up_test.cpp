// SignUp, ConfirmSignUp, ResendConfirmationCode and AdminConfirmSignUp; the codes' rules.
#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <string>

namespace
{

using namespace cognitod::testing;

constexpr char const* password = "Passw0rd!ok";

class sign_up : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().with("AutoVerifiedAttributes", {"email"}).insert(f_);
    created_client client_ = make_client().insert(f_, pool_);

    json sign_up_user(
        std::string const& username,
        json attributes = json::array({{{"Name", "email"}, {"Value", "bob@example.com"}}})
    )
    {
        return f_.call(
            "SignUp",
            {{"ClientId", client_.id},
             {"Username", username},
             {"Password", password},
             {"UserAttributes", std::move(attributes)}}
        );
    }

    std::vector<cognitod::storage::message> outbox(std::string const& username)
    {
        return f_.store.read()->list_messages(pool_, username);
    }

    std::string last_code(std::string const& username)
    {
        auto const messages = outbox(username);
        EXPECT_FALSE(messages.empty());
        return messages.empty() ? std::string{} : messages.back().code;
    }

    json confirm(std::string const& username, std::string const& code)
    {
        return f_.call(
            "ConfirmSignUp",
            {{"ClientId", client_.id}, {"Username", username}, {"ConfirmationCode", code}}
        );
    }

    json user(std::string const& username)
    {
        return f_.call("AdminGetUser", {{"UserPoolId", pool_}, {"Username", username}});
    }
};

TEST_F(sign_up, creates_an_unconfirmed_user_and_sends_a_code_to_the_auto_verified_email)
{
    auto const out = sign_up_user("bob");
    EXPECT_EQ(out.at("UserConfirmed"), false);
    EXPECT_EQ(
        out.at("CodeDeliveryDetails"),
        (json{{"Destination", "b***@e***"}, {"DeliveryMedium", "EMAIL"}, {"AttributeName", "email"}}
        )
    );
    auto const got = user("bob");
    EXPECT_EQ(got.at("UserStatus"), "UNCONFIRMED");
    EXPECT_EQ(attribute_in(got.at("UserAttributes"), "sub"), out.at("UserSub").get<std::string>());
    auto const messages = outbox("bob");
    ASSERT_EQ(messages.size(), 1U);
    EXPECT_EQ(messages[0].medium, "EMAIL");
    EXPECT_EQ(messages[0].destination, "bob@example.com");
    EXPECT_EQ(messages[0].purpose, "SIGN_UP");
    EXPECT_EQ(messages[0].code.size(), 6U);
    EXPECT_EQ(messages[0].text, "Your verification code is " + messages[0].code + ". ");
    EXPECT_EQ(messages[0].subject, "Your verification code");
    // The committed call handed the email to the mailer.
    ASSERT_EQ(f_.mail.sent().size(), 1U);
    EXPECT_EQ(f_.mail.sent()[0].code, messages[0].code);
}

TEST_F(sign_up, the_right_code_confirms_and_verifies_the_email_once)
{
    sign_up_user("bob");
    EXPECT_EQ(confirm("bob", last_code("bob")), json::object());
    auto const got = user("bob");
    EXPECT_EQ(got.at("UserStatus"), "CONFIRMED");
    EXPECT_EQ(attribute_in(got.at("UserAttributes"), "email_verified"), "true");
    EXPECT_NO_THROW(sign_in(f_, client_, "bob", password));
    EXPECT_AWS_ERROR(
        f_,
        "ConfirmSignUp",
        (json{{"ClientId", client_.id}, {"Username", "bob"}, {"ConfirmationCode", last_code("bob")}}
        ),
        "NotAuthorizedException",
        "User cannot be confirmed. Current status is CONFIRMED"
    );
}

TEST_F(sign_up, a_wrong_code_is_counted_and_the_sixth_attempt_is_refused)
{
    sign_up_user("bob");
    auto const right = last_code("bob");
    auto const wrong = right == "123456" ? std::string{"654321"} : std::string{"123456"};
    json const attempt{{"ClientId", client_.id}, {"Username", "bob"}, {"ConfirmationCode", wrong}};
    for (int i = 0; i < 5; ++i)
    {
        EXPECT_AWS_ERROR(
            f_,
            "ConfirmSignUp",
            attempt,
            "CodeMismatchException",
            "Invalid verification code provided, please try again."
        );
    }
    auto with_right = attempt;
    with_right["ConfirmationCode"] = right;
    EXPECT_AWS_ERROR(
        f_,
        "ConfirmSignUp",
        with_right,
        "LimitExceededException",
        "Attempt limit exceeded, please try after some time."
    );
    // A new code starts the count again.
    f_.call("ResendConfirmationCode", {{"ClientId", client_.id}, {"Username", "bob"}});
    EXPECT_EQ(confirm("bob", last_code("bob")), json::object());
}

TEST_F(sign_up, a_code_expires_after_24_hours)
{
    sign_up_user("bob");
    auto const code = last_code("bob");
    f_.time.now += 24 * 3600 * 1000 + 1000;
    EXPECT_AWS_ERROR(
        f_,
        "ConfirmSignUp",
        (json{{"ClientId", client_.id}, {"Username", "bob"}, {"ConfirmationCode", code}}),
        "ExpiredCodeException",
        "Invalid code provided, please request a code again."
    );
}

TEST_F(sign_up, a_resent_code_replaces_the_one_before)
{
    sign_up_user("bob");
    auto const first = last_code("bob");
    auto const out =
        f_.call("ResendConfirmationCode", {{"ClientId", client_.id}, {"Username", "bob"}});
    EXPECT_EQ(out.at("CodeDeliveryDetails").at("Destination"), "b***@e***");
    auto const second = last_code("bob");
    ASSERT_EQ(outbox("bob").size(), 2U);
    EXPECT_EQ(outbox("bob")[1].purpose, "RESEND_CODE");
    if (first != second)
    {
        EXPECT_EQ(
            f_.error_of(
                  "ConfirmSignUp",
                  {{"ClientId", client_.id}, {"Username", "bob"}, {"ConfirmationCode", first}}
            ).code(),
            "CodeMismatchException"
        );
    }
    EXPECT_EQ(confirm("bob", second), json::object());
    EXPECT_AWS_ERROR(
        f_,
        "ResendConfirmationCode",
        (json{{"ClientId", client_.id}, {"Username", "bob"}}),
        "InvalidParameterException",
        "User is already confirmed."
    );
}

TEST_F(sign_up, an_unconfirmed_user_cannot_sign_in_whatever_the_password)
{
    sign_up_user("bob");
    for (auto const* given : {password, "Wrong-Passw0rd!"})
    {
        EXPECT_AWS_ERROR(
            f_,
            "InitiateAuth",
            password_auth_input(client_, "bob", given),
            "UserNotConfirmedException",
            "User is not confirmed."
        );
    }
}

TEST_F(sign_up, refuses_a_taken_username_a_bad_password_and_a_missing_one)
{
    sign_up_user("bob");
    EXPECT_AWS_ERROR(
        f_,
        "SignUp",
        (json{{"ClientId", client_.id}, {"Username", "bob"}, {"Password", password}}),
        "UsernameExistsException",
        "User already exists"
    );
    EXPECT_AWS_ERROR(
        f_,
        "SignUp",
        (json{{"ClientId", client_.id}, {"Username", "carol"}, {"Password", "short"}}),
        "InvalidPasswordException",
        "Password did not conform with policy: Password not long enough"
    );
    EXPECT_EQ(
        f_.error_of("SignUp", {{"ClientId", client_.id}, {"Username", "carol"}}).code(),
        "InvalidParameterException"
    );
    EXPECT_EQ(
        f_.error_of(
              "SignUp",
              {{
                   "ClientId",
                   "nosuchclient",
               },
               {"Username", "carol"},
               {"Password", password}}
        ).code(),
        "ResourceNotFoundException"
    );
}

TEST_F(sign_up, an_email_username_pool_refuses_an_email_already_signed_up)
{
    auto const pool =
        make_pool().with_email_username().with("AutoVerifiedAttributes", {"email"}).insert(f_);
    auto const client = make_client().insert(f_, pool);
    json const input{
        {"ClientId", client.id}, {"Username", "dan@example.com"}, {"Password", password}};
    auto const out = f_.call("SignUp", input);
    EXPECT_EQ(out.at("CodeDeliveryDetails").at("Destination"), "d***@e***");
    EXPECT_AWS_ERROR(
        f_,
        "SignUp",
        input,
        "UsernameExistsException",
        "An account with the given email already exists."
    );
}

TEST_F(sign_up, a_client_with_a_secret_needs_the_secret_hash)
{
    auto const client = make_client().with_secret().insert(f_, pool_);
    json input{{"ClientId", client.id}, {"Username", "bob"}, {"Password", password}};
    EXPECT_EQ(f_.error_of("SignUp", input).code(), "NotAuthorizedException");
    input["SecretHash"] = secret_hash_for(client.secret, "bob", client.id);
    EXPECT_EQ(f_.call("SignUp", input).at("UserConfirmed"), false);
}

TEST_F(sign_up, admin_only_pools_refuse_sign_up)
{
    auto const pool =
        make_pool().with("AdminCreateUserConfig", {{"AllowAdminCreateUserOnly", true}}).insert(f_);
    auto const client = make_client().insert(f_, pool);
    EXPECT_AWS_ERROR(
        f_,
        "SignUp",
        (json{{"ClientId", client.id}, {"Username", "bob"}, {"Password", password}}),
        "NotAuthorizedException",
        "SignUp is not permitted for this user pool"
    );
}

TEST_F(sign_up, without_auto_verification_no_code_goes_out_and_an_administrator_confirms)
{
    auto const pool = make_pool().insert(f_);
    auto const client = make_client().insert(f_, pool);
    auto const out = f_.call(
        "SignUp",
        {{"ClientId", client.id},
         {"Username", "bob"},
         {"Password", password},
         {"UserAttributes", {{{"Name", "email"}, {"Value", "bob@example.com"}}}}}
    );
    EXPECT_FALSE(out.contains("CodeDeliveryDetails"));
    EXPECT_TRUE(f_.store.read()->list_messages(pool, "bob").empty());
    EXPECT_EQ(
        f_.error_of(
              "ResendConfirmationCode", {{"ClientId", client.id}, {"Username", "bob"}}
        ).code(),
        "InvalidParameterException"
    );
    EXPECT_EQ(
        f_.call("AdminConfirmSignUp", {{"UserPoolId", pool}, {"Username", "bob"}}), json::object()
    );
    auto const got = f_.call("AdminGetUser", {{"UserPoolId", pool}, {"Username", "bob"}});
    EXPECT_EQ(got.at("UserStatus"), "CONFIRMED");
    // Nothing reached the email: it stays unverified.
    EXPECT_EQ(attribute_in(got.at("UserAttributes"), "email_verified"), std::nullopt);
    EXPECT_AWS_ERROR(
        f_,
        "AdminConfirmSignUp",
        (json{{"UserPoolId", pool}, {"Username", "bob"}}),
        "NotAuthorizedException",
        "User cannot be confirmed. Current status is CONFIRMED"
    );
    EXPECT_EQ(
        f_.error_of("AdminConfirmSignUp", {{"UserPoolId", pool}, {"Username", "nobody"}}).code(),
        "UserNotFoundException"
    );
}

TEST_F(sign_up, the_phone_gets_the_code_when_the_pool_auto_verifies_it)
{
    auto const pool =
        make_pool().with("AutoVerifiedAttributes", {"email", "phone_number"}).insert(f_);
    auto const client = make_client().insert(f_, pool);
    auto const out = f_.call(
        "SignUp",
        {{"ClientId", client.id},
         {"Username", "bob"},
         {"Password", password},
         {"UserAttributes",
          {{{"Name", "email"}, {"Value", "bob@example.com"}},
           {{"Name", "phone_number"}, {"Value", "+15555550123"}}}}}
    );
    EXPECT_EQ(
        out.at("CodeDeliveryDetails"),
        (json{
            {"Destination", "+*******0123"},
            {"DeliveryMedium", "SMS"},
            {"AttributeName", "phone_number"}})
    );
    auto const messages = f_.store.read()->list_messages(pool, "bob");
    ASSERT_EQ(messages.size(), 1U);
    f_.call(
        "ConfirmSignUp",
        {{"ClientId", client.id}, {"Username", "bob"}, {"ConfirmationCode", messages[0].code}}
    );
    auto const attributes =
        f_.call("AdminGetUser", {{"UserPoolId", pool}, {"Username", "bob"}}).at("UserAttributes");
    EXPECT_EQ(attribute_in(attributes, "phone_number_verified"), "true");
    EXPECT_EQ(attribute_in(attributes, "email_verified"), std::nullopt);
    // An SMS is no email: the mailer gets nothing.
    EXPECT_TRUE(f_.mail.sent().empty());
}

TEST_F(sign_up, the_pool_templates_shape_the_message)
{
    auto const pool = make_pool()
                          .with("AutoVerifiedAttributes", {"email"})
                          .with(
                              "VerificationMessageTemplate",
                              {{"DefaultEmailOption", "CONFIRM_WITH_CODE"},
                               {"EmailMessage", "Hi {username}, your code is {####}."},
                               {"EmailSubject", "Welcome aboard"}}
                          )
                          .insert(f_);
    auto const client = make_client().insert(f_, pool);
    f_.call(
        "SignUp",
        {{"ClientId", client.id},
         {"Username", "bob"},
         {"Password", password},
         {"UserAttributes", {{{"Name", "email"}, {"Value", "bob@example.com"}}}}}
    );
    auto const m = f_.store.read()->list_messages(pool, "bob").at(0);
    EXPECT_EQ(m.text, "Hi bob, your code is " + m.code + ".");
    EXPECT_EQ(m.subject, "Welcome aboard");
}

TEST_F(sign_up, unknown_users_are_named_or_hidden_as_the_client_says)
{
    json const confirm_input{
        {"ClientId", client_.id}, {"Username", "nobody"}, {"ConfirmationCode", "123456"}};
    EXPECT_AWS_ERROR(
        f_,
        "ConfirmSignUp",
        confirm_input,
        "UserNotFoundException",
        "Username/client id combination not found."
    );
    EXPECT_AWS_ERROR(
        f_,
        "ResendConfirmationCode",
        (json{{"ClientId", client_.id}, {"Username", "nobody"}}),
        "UserNotFoundException",
        "Username/client id combination not found."
    );
    auto const hiding =
        make_client().with("PreventUserExistenceErrors", "ENABLED").insert(f_, pool_);
    auto hidden_confirm = confirm_input;
    hidden_confirm["ClientId"] = hiding.id;
    EXPECT_AWS_ERROR(
        f_,
        "ConfirmSignUp",
        hidden_confirm,
        "CodeMismatchException",
        "Invalid verification code provided, please try again."
    );
    auto const resent = f_.call(
        "ResendConfirmationCode", {{"ClientId", hiding.id}, {"Username", "nobody@example.com"}}
    );
    EXPECT_EQ(resent.at("CodeDeliveryDetails").at("Destination"), "n***@e***");
    EXPECT_EQ(resent.at("CodeDeliveryDetails").at("DeliveryMedium"), "EMAIL");
}

TEST_F(sign_up, confirming_an_alias_another_user_holds_needs_force)
{
    auto const pool =
        make_pool().with_email_alias().with("AutoVerifiedAttributes", {"email"}).insert(f_);
    auto const client = make_client().insert(f_, pool);
    make_user("amy")
        .with_email("shared@example.com", true)
        .with_password(password)
        .insert(f_, pool);
    f_.call(
        "SignUp",
        {{"ClientId", client.id},
         {"Username", "bob"},
         {"Password", password},
         {"UserAttributes", {{{"Name", "email"}, {"Value", "shared@example.com"}}}}}
    );
    auto const code = f_.store.read()->list_messages(pool, "bob").back().code;
    json input{{"ClientId", client.id}, {"Username", "bob"}, {"ConfirmationCode", code}};
    EXPECT_AWS_ERROR(
        f_,
        "ConfirmSignUp",
        input,
        "AliasExistsException",
        "An account with the given email already exists."
    );
    input["ForceAliasCreation"] = true;
    EXPECT_EQ(f_.call("ConfirmSignUp", input), json::object());
    auto const amy = f_.call("AdminGetUser", {{"UserPoolId", pool}, {"Username", "amy"}});
    EXPECT_EQ(attribute_in(amy.at("UserAttributes"), "email_verified"), "false");
    // The alias signs bob in now.
    EXPECT_NO_THROW(sign_in(f_, client, "shared@example.com", password));
}

} // namespace
