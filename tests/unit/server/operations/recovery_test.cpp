// ForgotPassword, ConfirmForgotPassword, AdminResetUserPassword; invitations and temporary
// passwords (AdminCreateUser); attribute verification (UpdateUserAttributes,
// GetUserAttributeVerificationCode, VerifyUserAttribute).
#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <string>

namespace
{

using namespace cognitod::testing;

constexpr char const* password = "Passw0rd!ok";
constexpr char const* new_password = "N3w-Passw0rd!";

class recovery : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().with("AutoVerifiedAttributes", {"email"}).insert(f_);
    created_client client_ = make_client().insert(f_, pool_);

    void make_alice(bool verified = true)
    {
        make_user("alice")
            .with_email("alice@example.com", verified)
            .with("phone_number", "+15555550100")
            .with_password(password)
            .insert(f_, pool_);
    }

    cognitod::storage::message last_message(std::string const& username)
    {
        auto const messages = f_.store.read()->list_messages(pool_, username);
        EXPECT_FALSE(messages.empty());
        return messages.empty() ? cognitod::storage::message{} : messages.back();
    }

    json forgot(std::string const& username, std::string const& client_id = "")
    {
        return f_.call(
            "ForgotPassword",
            {{"ClientId", client_id.empty() ? client_.id : client_id}, {"Username", username}}
        );
    }

    json confirm_forgot_input(std::string const& code, std::string const& chosen = new_password)
    {
        return {
            {"ClientId", client_.id},
            {"Username", "alice"},
            {"ConfirmationCode", code},
            {"Password", chosen}};
    }

    json confirm_forgot(std::string const& code, std::string const& chosen = new_password)
    {
        return f_.call("ConfirmForgotPassword", confirm_forgot_input(code, chosen));
    }

    std::string status_of(std::string const& username)
    {
        return f_.call("AdminGetUser", {{"UserPoolId", pool_}, {"Username", username}})
            .at("UserStatus")
            .get<std::string>();
    }

    json attributes_of(std::string const& username)
    {
        return f_.call(
                     "AdminGetUser", {{"UserPoolId", pool_}, {"Username", username}}
        ).at("UserAttributes");
    }
};

TEST_F(recovery, forgot_password_sends_a_code_that_sets_a_new_password_once)
{
    make_alice();
    auto const out = forgot("alice");
    EXPECT_EQ(
        out.at("CodeDeliveryDetails"),
        (json{{"Destination", "a***@e***"}, {"DeliveryMedium", "EMAIL"}, {"AttributeName", "email"}}
        )
    );
    auto const m = last_message("alice");
    EXPECT_EQ(m.purpose, "FORGOT_PASSWORD");
    EXPECT_EQ(m.destination, "alice@example.com");
    // Asking is not resetting: the old password still signs in until the code is used.
    EXPECT_EQ(status_of("alice"), "CONFIRMED");
    EXPECT_NO_THROW(sign_in(f_, client_, "alice", password));
    EXPECT_EQ(confirm_forgot(m.code), json::object());
    EXPECT_NO_THROW(sign_in(f_, client_, "alice", new_password));
    EXPECT_EQ(
        f_.error_of(
              "InitiateAuth",
              {{"AuthFlow", "USER_PASSWORD_AUTH"},
               {"ClientId", client_.id},
               {"AuthParameters", {{"USERNAME", "alice"}, {"PASSWORD", password}}}}
        ).code(),
        "NotAuthorizedException"
    );
    EXPECT_AWS_ERROR(
        f_,
        "ConfirmForgotPassword",
        (json{
            {"ClientId", client_.id},
            {"Username", "alice"},
            {"ConfirmationCode", m.code},
            {"Password", "An0ther-Passw0rd!"}}),
        "ExpiredCodeException",
        "Invalid code provided, please request a code again."
    );
}

TEST_F(recovery, the_code_lasts_one_hour)
{
    make_alice();
    forgot("alice");
    auto const code = last_message("alice").code;
    f_.time.now += 3600 * 1000 + 1000;
    EXPECT_AWS_ERROR(
        f_,
        "ConfirmForgotPassword",
        confirm_forgot_input(code, new_password),
        "ExpiredCodeException",
        "Invalid code provided, please request a code again."
    );
}

TEST_F(recovery, a_password_the_policy_refuses_leaves_the_code_usable)
{
    make_alice();
    forgot("alice");
    auto const code = last_message("alice").code;
    EXPECT_AWS_ERROR(
        f_,
        "ConfirmForgotPassword",
        confirm_forgot_input(code, "short"),
        "InvalidPasswordException",
        "Password does not conform to policy: Password not long enough"
    );
    EXPECT_EQ(confirm_forgot(code), json::object());
}

TEST_F(recovery, a_user_without_a_verified_channel_cannot_recover)
{
    make_alice(false);
    EXPECT_AWS_ERROR(
        f_,
        "ForgotPassword",
        (json{{"ClientId", client_.id}, {"Username", "alice"}}),
        "InvalidParameterException",
        "Cannot reset password for the user as there is no registered/verified email or "
        "phone_number"
    );
}

TEST_F(recovery, the_recovery_setting_chooses_the_channel)
{
    auto const pool = make_pool()
                          .with(
                              "AccountRecoverySetting",
                              {{"RecoveryMechanisms",
                                {{{"Priority", 1}, {"Name", "verified_phone_number"}},
                                 {{"Priority", 2}, {"Name", "verified_email"}}}}}
                          )
                          .insert(f_);
    auto const client = make_client().insert(f_, pool);
    make_user("alice")
        .with_email("alice@example.com", true)
        .with("phone_number", "+15555550100")
        .with("phone_number_verified", "true")
        .with_password(password)
        .insert(f_, pool);
    auto const out = forgot("alice", client.id);
    EXPECT_EQ(out.at("CodeDeliveryDetails").at("DeliveryMedium"), "SMS");
    EXPECT_EQ(out.at("CodeDeliveryDetails").at("Destination"), "+*******0100");
}

TEST_F(recovery, unknown_users_are_named_or_hidden_as_the_client_says)
{
    EXPECT_AWS_ERROR(
        f_,
        "ForgotPassword",
        (json{{"ClientId", client_.id}, {"Username", "nobody"}}),
        "UserNotFoundException",
        "Username/client id combination not found."
    );
    auto const hiding =
        make_client().with("PreventUserExistenceErrors", "ENABLED").insert(f_, pool_);
    auto const out = forgot("nobody@example.com", hiding.id);
    EXPECT_EQ(out.at("CodeDeliveryDetails").at("Destination"), "n***@e***");
    EXPECT_TRUE(f_.store.read()->list_messages(pool_, "").empty());
    EXPECT_AWS_ERROR(
        f_,
        "ConfirmForgotPassword",
        (json{
            {"ClientId", hiding.id},
            {"Username", "nobody"},
            {"ConfirmationCode", "123456"},
            {"Password", new_password}}),
        "CodeMismatchException",
        "Invalid verification code provided, please try again."
    );
}

TEST_F(recovery, an_administrator_reset_refuses_sign_in_until_the_code_sets_a_password)
{
    make_alice();
    EXPECT_EQ(
        f_.call("AdminResetUserPassword", {{"UserPoolId", pool_}, {"Username", "alice"}}),
        json::object()
    );
    EXPECT_EQ(status_of("alice"), "RESET_REQUIRED");
    for (auto const* given : {password, "Wrong-Passw0rd!"})
    {
        EXPECT_AWS_ERROR(
            f_,
            "InitiateAuth",
            password_auth_input(client_, "alice", given),
            "PasswordResetRequiredException",
            "Password reset required for the user"
        );
    }
    EXPECT_EQ(confirm_forgot(last_message("alice").code), json::object());
    EXPECT_EQ(status_of("alice"), "CONFIRMED");
    EXPECT_NO_THROW(sign_in(f_, client_, "alice", new_password));
}

TEST_F(recovery, invitations_carry_the_temporary_password_through_the_mediums_asked)
{
    auto const created = f_.call(
        "AdminCreateUser",
        {{"UserPoolId", pool_},
         {"Username", "carl"},
         {"TemporaryPassword", "Temp-Passw0rd!"},
         {"DesiredDeliveryMediums", {"EMAIL", "SMS"}},
         {"UserAttributes",
          {{{"Name", "email"}, {"Value", "carl@example.com"}},
           {{"Name", "phone_number"}, {"Value", "+15555550111"}}}}}
    );
    EXPECT_EQ(created.at("User").at("UserStatus"), "FORCE_CHANGE_PASSWORD");
    auto const messages = f_.store.read()->list_messages(pool_, "carl");
    ASSERT_EQ(messages.size(), 2U);
    EXPECT_EQ(messages[0].medium, "EMAIL");
    EXPECT_EQ(messages[0].subject, "Your temporary password");
    EXPECT_EQ(messages[0].text, "Your username is carl and temporary password is Temp-Passw0rd!. ");
    EXPECT_EQ(messages[1].medium, "SMS");
    EXPECT_EQ(messages[1].destination, "+15555550111");
    // SUPPRESS sends nothing; no mediums given means SMS.
    f_.call(
        "AdminCreateUser",
        {{"UserPoolId", pool_},
         {"Username", "dora"},
         {"MessageAction", "SUPPRESS"},
         {"UserAttributes", {{{"Name", "phone_number"}, {"Value", "+15555550112"}}}}}
    );
    EXPECT_TRUE(f_.store.read()->list_messages(pool_, "dora").empty());
    f_.call(
        "AdminCreateUser",
        {{"UserPoolId", pool_},
         {"Username", "eve"},
         {"UserAttributes",
          {{{"Name", "email"}, {"Value", "eve@example.com"}},
           {{"Name", "phone_number"}, {"Value", "+15555550113"}}}}}
    );
    auto const eve = f_.store.read()->list_messages(pool_, "eve");
    ASSERT_EQ(eve.size(), 1U);
    EXPECT_EQ(eve[0].medium, "SMS");
    // The generated password meets the policy and signs in (to NEW_PASSWORD_REQUIRED).
    auto const started = password_auth(f_, client_, "eve", eve[0].code);
    EXPECT_EQ(started.at("ChallengeName"), "NEW_PASSWORD_REQUIRED");
}

TEST_F(recovery, the_invitation_template_is_used)
{
    auto const pool = make_pool()
                          .with(
                              "AdminCreateUserConfig",
                              {{"InviteMessageTemplate",
                                {{"EmailMessage", "Welcome {username}: {####}"},
                                 {"EmailSubject", "Your account"}}}}
                          )
                          .insert(f_);
    f_.call(
        "AdminCreateUser",
        {{"UserPoolId", pool},
         {"Username", "carl"},
         {"TemporaryPassword", "Temp-Passw0rd!"},
         {"DesiredDeliveryMediums", {"EMAIL"}},
         {"UserAttributes", {{{"Name", "email"}, {"Value", "carl@example.com"}}}}}
    );
    auto const m = f_.store.read()->list_messages(pool, "carl").at(0);
    EXPECT_EQ(m.text, "Welcome carl: Temp-Passw0rd!");
    EXPECT_EQ(m.subject, "Your account");
}

TEST_F(recovery, resend_gives_a_new_temporary_password_and_only_before_it_is_changed)
{
    json const input{
        {"UserPoolId", pool_},
        {"Username", "carl"},
        {"TemporaryPassword", "Temp-Passw0rd!"},
        {"DesiredDeliveryMediums", {"EMAIL"}},
        {"UserAttributes", {{{"Name", "email"}, {"Value", "carl@example.com"}}}}};
    f_.call("AdminCreateUser", input);
    auto resend = json{
        {"UserPoolId", pool_},
        {"Username", "carl"},
        {"MessageAction", "RESEND"},
        {"DesiredDeliveryMediums", {"EMAIL"}}};
    auto const out = f_.call("AdminCreateUser", resend);
    EXPECT_EQ(out.at("User").at("Username"), "carl");
    auto const again = last_message("carl");
    EXPECT_NE(again.code, "Temp-Passw0rd!");
    EXPECT_EQ(
        password_auth(f_, client_, "carl", again.code).at("ChallengeName"), "NEW_PASSWORD_REQUIRED"
    );
    EXPECT_EQ(
        f_.error_of(
              "InitiateAuth",
              {{"AuthFlow", "USER_PASSWORD_AUTH"},
               {"ClientId", client_.id},
               {"AuthParameters", {{"USERNAME", "carl"}, {"PASSWORD", "Temp-Passw0rd!"}}}}
        ).code(),
        "NotAuthorizedException"
    );
    make_alice();
    resend["Username"] = "alice";
    EXPECT_EQ(f_.error_of("AdminCreateUser", resend).code(), "UnsupportedUserStateException");
    resend["Username"] = "nobody";
    EXPECT_EQ(f_.error_of("AdminCreateUser", resend).code(), "UserNotFoundException");
}

TEST_F(recovery, a_temporary_password_expires_after_the_policy_days)
{
    auto const pool =
        make_pool()
            .with(
                "Policies",
                {{"PasswordPolicy", {{"MinimumLength", 8}, {"TemporaryPasswordValidityDays", 2}}}}
            )
            .insert(f_);
    auto const client = make_client().insert(f_, pool);
    make_user("carl").with_temporary_password("Temp-Passw0rd!").insert(f_, pool);
    f_.time.now += 86400 * 1000;
    EXPECT_EQ(
        password_auth(f_, client, "carl", "Temp-Passw0rd!").at("ChallengeName"),
        "NEW_PASSWORD_REQUIRED"
    );
    f_.time.now += 86400 * 1000 + 1000;
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        (json{
            {"AuthFlow", "USER_PASSWORD_AUTH"},
            {"ClientId", client.id},
            {"AuthParameters", {{"USERNAME", "carl"}, {"PASSWORD", "Temp-Passw0rd!"}}}}),
        "NotAuthorizedException",
        "Temporary password has expired and must be reset by an administrator."
    );
    // An administrator's new temporary password starts a new validity.
    f_.call(
        "AdminSetUserPassword",
        {{"UserPoolId", pool},
         {"Username", "carl"},
         {"Password", "Temp-Passw0rd!2"},
         {"Permanent", false}}
    );
    EXPECT_EQ(
        password_auth(f_, client, "carl", "Temp-Passw0rd!2").at("ChallengeName"),
        "NEW_PASSWORD_REQUIRED"
    );
}

TEST_F(recovery, a_changed_email_is_unverified_until_its_code_comes_back)
{
    make_alice();
    auto const token = sign_in(f_, client_, "alice", password).at("AccessToken").get<std::string>();
    auto const out = f_.call(
        "UpdateUserAttributes",
        {{"AccessToken", token},
         {"UserAttributes", {{{"Name", "email"}, {"Value", "new@example.org"}}}}}
    );
    EXPECT_EQ(
        out.at("CodeDeliveryDetailsList"),
        (json{
            {{"Destination", "n***@e***"}, {"DeliveryMedium", "EMAIL"}, {"AttributeName", "email"}}}
        )
    );
    EXPECT_EQ(attribute_in(attributes_of("alice"), "email"), "new@example.org");
    EXPECT_EQ(attribute_in(attributes_of("alice"), "email_verified"), "false");
    auto const m = last_message("alice");
    EXPECT_EQ(m.destination, "new@example.org");
    EXPECT_EQ(m.purpose, "UPDATE_USER_ATTRIBUTE");
    EXPECT_AWS_ERROR(
        f_,
        "VerifyUserAttribute",
        (json{
            {"AccessToken", token},
            {"AttributeName", "email"},
            {"Code", m.code == "111111" ? "222222" : "111111"}}),
        "CodeMismatchException",
        "Invalid verification code provided, please try again."
    );
    EXPECT_EQ(
        f_.call(
            "VerifyUserAttribute",
            {{"AccessToken", token}, {"AttributeName", "email"}, {"Code", m.code}}
        ),
        json::object()
    );
    EXPECT_EQ(attribute_in(attributes_of("alice"), "email_verified"), "true");
}

TEST_F(recovery, a_verified_email_stays_until_the_new_one_is_verified_where_the_pool_asks)
{
    auto const pool = make_pool()
                          .with("AutoVerifiedAttributes", {"email"})
                          .with(
                              "UserAttributeUpdateSettings",
                              {{"AttributesRequireVerificationBeforeUpdate", {"email"}}}
                          )
                          .insert(f_);
    auto const client = make_client().insert(f_, pool);
    make_user("alice")
        .with_email("alice@example.com", true)
        .with_password(password)
        .insert(f_, pool);
    auto const token = sign_in(f_, client, "alice", password).at("AccessToken").get<std::string>();
    f_.call(
        "UpdateUserAttributes",
        {{"AccessToken", token},
         {"UserAttributes", {{{"Name", "email"}, {"Value", "new@example.org"}}}}}
    );
    auto attributes =
        f_.call("AdminGetUser", {{"UserPoolId", pool}, {"Username", "alice"}}).at("UserAttributes");
    EXPECT_EQ(attribute_in(attributes, "email"), "alice@example.com");
    EXPECT_EQ(attribute_in(attributes, "email_verified"), "true");
    // A code asked for again goes to the waiting address.
    auto const again = f_.call(
        "GetUserAttributeVerificationCode", {{"AccessToken", token}, {"AttributeName", "email"}}
    );
    EXPECT_EQ(again.at("CodeDeliveryDetails").at("Destination"), "n***@e***");
    auto const m = f_.store.read()->list_messages(pool, "alice").back();
    EXPECT_EQ(m.destination, "new@example.org");
    f_.call(
        "VerifyUserAttribute",
        {{"AccessToken", token}, {"AttributeName", "email"}, {"Code", m.code}}
    );
    attributes =
        f_.call("AdminGetUser", {{"UserPoolId", pool}, {"Username", "alice"}}).at("UserAttributes");
    EXPECT_EQ(attribute_in(attributes, "email"), "new@example.org");
    EXPECT_EQ(attribute_in(attributes, "email_verified"), "true");
}

TEST_F(recovery, a_verification_code_is_asked_for_an_email_or_phone_the_user_has)
{
    make_user("alice")
        .with_email("alice@example.com", false)
        .with_password(password)
        .insert(f_, pool_);
    auto const token = sign_in(f_, client_, "alice", password).at("AccessToken").get<std::string>();
    auto const out = f_.call(
        "GetUserAttributeVerificationCode", {{"AccessToken", token}, {"AttributeName", "email"}}
    );
    EXPECT_EQ(out.at("CodeDeliveryDetails").at("AttributeName"), "email");
    EXPECT_EQ(last_message("alice").purpose, "VERIFY_USER_ATTRIBUTE");
    EXPECT_AWS_ERROR(
        f_,
        "GetUserAttributeVerificationCode",
        (json{{"AccessToken", token}, {"AttributeName", "phone_number"}}),
        "InvalidParameterException",
        "Invalid attribute name: phone_number"
    );
    EXPECT_AWS_ERROR(
        f_,
        "VerifyUserAttribute",
        (json{{"AccessToken", token}, {"AttributeName", "nickname"}, {"Code", "123456"}}),
        "InvalidParameterException",
        "Invalid attribute name: nickname"
    );
    f_.time.now += 24 * 3600 * 1000 + 1000;
    EXPECT_EQ(
        f_.error_of(
              "VerifyUserAttribute",
              {{"AccessToken", sign_in(f_, client_, "alice", password).at("AccessToken")},
               {"AttributeName", "email"},
               {"Code", last_message("alice").code}}
        ).code(),
        "ExpiredCodeException"
    );
}

} // namespace
