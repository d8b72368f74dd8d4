// The errors sign-up, recovery and self-service operations share: an unknown client or pool, an
// access token that is not one or whose user is gone, a disabled user, the code-attempt limit and
// a verified alias another user holds. scripts/error_coverage.py counts these pairs.
#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace
{

using namespace cognitod::testing;

constexpr char const* password = "Passw0rd!ok";
constexpr char const* unknown_client = "0123456789abcdefghijklmnop";
constexpr char const* unknown_pool = "us-east-1_unknown00";

class account_errors : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().with("AliasAttributes", {"email"}).insert(f_);
    created_client client_ = make_client().insert(f_, pool_);

    std::string signed_in(std::string const& username, std::string const& email)
    {
        make_user(username).with_email(email, true).with_password(password).insert(f_, pool_);
        return sign_in(f_, client_, username, password).at("AccessToken").get<std::string>();
    }

    std::string last_code(std::string const& username)
    {
        auto const messages = f_.store.read()->list_messages(pool_, username);
        return messages.empty() ? std::string{} : messages.back().code;
    }
};

// Each access-token operation, with a token and what else it needs.
std::vector<std::pair<char const*, json>> token_operations(std::string const& token)
{
    return {
        {"ChangePassword",
         {{"AccessToken", token},
          {"PreviousPassword", password},
          {"ProposedPassword", "N3w-Passw0rd!"}}},
        {"UpdateUserAttributes",
         {{"AccessToken", token},
          {"UserAttributes", json::array({{{"Name", "nickname"}, {"Value", "al"}}})}}},
        {"GetUserAttributeVerificationCode", {{"AccessToken", token}, {"AttributeName", "email"}}},
        {"VerifyUserAttribute",
         {{"AccessToken", token}, {"AttributeName", "email"}, {"Code", "123456"}}},
        {"DeleteUserAttributes", {{"AccessToken", token}, {"UserAttributeNames", {"nickname"}}}},
        {"DeleteUser", {{"AccessToken", token}}},
    };
}

TEST_F(account_errors, an_unknown_client_is_resource_not_found)
{
    std::vector<std::pair<char const*, json>> const calls{
        {"SignUp", {{"Username", "bob"}, {"Password", password}}},
        {"ConfirmSignUp", {{"Username", "bob"}, {"ConfirmationCode", "123456"}}},
        {"ResendConfirmationCode", {{"Username", "bob"}}},
        {"ForgotPassword", {{"Username", "bob"}}},
        {"ConfirmForgotPassword",
         {{"Username", "bob"}, {"ConfirmationCode", "123456"}, {"Password", password}}},
    };
    for (auto [operation, input] : calls)
    {
        SCOPED_TRACE(operation);
        input["ClientId"] = unknown_client;
        EXPECT_AWS_ERROR(
            f_,
            operation,
            input,
            "ResourceNotFoundException",
            std::string{"User pool client "} + unknown_client + " does not exist."
        );
    }
}

TEST_F(account_errors, an_unknown_pool_is_resource_not_found)
{
    std::vector<std::pair<char const*, json>> const calls{
        {"AdminConfirmSignUp", {{"Username", "bob"}}},
        {"AdminResetUserPassword", {{"Username", "bob"}}},
        {"AdminDeleteUserAttributes", {{"Username", "bob"}, {"UserAttributeNames", {"nickname"}}}},
        {"AddCustomAttributes",
         {{"CustomAttributes",
           json::array({{{"Name", "tier"}, {"AttributeDataType", "String"}}})}}},
    };
    for (auto [operation, input] : calls)
    {
        SCOPED_TRACE(operation);
        input["UserPoolId"] = unknown_pool;
        EXPECT_AWS_ERROR(
            f_,
            operation,
            input,
            "ResourceNotFoundException",
            std::string{"User pool "} + unknown_pool + " does not exist."
        );
    }
}

TEST_F(account_errors, a_token_that_is_not_an_access_token_is_not_authorized)
{
    signed_in("alice", "alice@example.com");
    auto const id_token = sign_in(f_, client_, "alice", password).at("IdToken").get<std::string>();
    for (auto const& token : {std::string{"not-a-token"}, id_token})
    {
        for (auto const& [operation, input] : token_operations(token))
        {
            SCOPED_TRACE(operation);
            EXPECT_AWS_ERROR(
                f_, operation, input, "NotAuthorizedException", "Invalid Access Token"
            );
        }
    }
}

TEST_F(account_errors, a_token_whose_user_was_deleted_names_a_user_that_does_not_exist)
{
    auto const token = signed_in("alice", "alice@example.com");
    f_.call("AdminDeleteUser", {{"UserPoolId", pool_}, {"Username", "alice"}});
    for (auto const& [operation, input] : token_operations(token))
    {
        SCOPED_TRACE(operation);
        EXPECT_AWS_ERROR(f_, operation, input, "UserNotFoundException", "User does not exist.");
    }
}

TEST_F(account_errors, a_token_whose_user_must_reset_the_password_is_refused_until_it_is_reset)
{
    auto const token = signed_in("alice", "alice@example.com");
    f_.call("AdminResetUserPassword", {{"UserPoolId", pool_}, {"Username", "alice"}});
    auto operations = token_operations(token);
    operations.emplace_back("GetUser", json{{"AccessToken", token}});
    for (auto const& [operation, input] : operations)
    {
        SCOPED_TRACE(operation);
        EXPECT_AWS_ERROR(
            f_,
            operation,
            input,
            "PasswordResetRequiredException",
            "Password reset required for the user"
        );
    }
    f_.call(
        "ConfirmForgotPassword",
        {{"ClientId", client_.id},
         {"Username", "alice"},
         {"ConfirmationCode", last_code("alice")},
         {"Password", "N3w-Passw0rd!"}}
    );
    EXPECT_EQ(
        f_.call("GetUser", {{"AccessToken", token}}).at("Username").get<std::string>(), "alice"
    );
}

TEST_F(account_errors, an_administrator_cannot_reset_a_disabled_users_password)
{
    make_user("alice").with_email("alice@example.com", true).insert(f_, pool_);
    f_.call("AdminDisableUser", {{"UserPoolId", pool_}, {"Username", "alice"}});
    EXPECT_AWS_ERROR(
        f_,
        "AdminResetUserPassword",
        (json{{"UserPoolId", pool_}, {"Username", "alice"}}),
        "NotAuthorizedException",
        "User is disabled."
    );
    EXPECT_EQ(
        f_.call("AdminGetUser", {{"UserPoolId", pool_}, {"Username", "alice"}}).at("UserStatus"),
        "FORCE_CHANGE_PASSWORD"
    );
}

TEST_F(account_errors, confirm_forgot_password_refuses_the_right_code_after_five_wrong_ones)
{
    make_user("alice")
        .with_email("alice@example.com", true)
        .with_password(password)
        .insert(f_, pool_);
    f_.call("ForgotPassword", {{"ClientId", client_.id}, {"Username", "alice"}});
    auto const right = last_code("alice");
    ASSERT_EQ(right.size(), 6U);
    auto const wrong = right == "123456" ? std::string{"654321"} : std::string{"123456"};
    json attempt{
        {"ClientId", client_.id},
        {"Username", "alice"},
        {"ConfirmationCode", wrong},
        {"Password", "N3w-Passw0rd!"}};
    for (int i = 0; i < 5; ++i)
    {
        EXPECT_AWS_ERROR(
            f_,
            "ConfirmForgotPassword",
            attempt,
            "CodeMismatchException",
            "Invalid verification code provided, please try again."
        );
    }
    attempt["ConfirmationCode"] = right;
    EXPECT_AWS_ERROR(
        f_,
        "ConfirmForgotPassword",
        attempt,
        "LimitExceededException",
        "Attempt limit exceeded, please try after some time."
    );
    EXPECT_NO_THROW(sign_in(f_, client_, "alice", password));
}

TEST_F(account_errors, an_unconfirmed_user_cannot_confirm_a_forgotten_password)
{
    f_.call(
        "SignUp",
        {{"ClientId", client_.id},
         {"Username", "carol"},
         {"Password", password},
         {"UserAttributes", json::array({{{"Name", "email"}, {"Value", "carol@example.com"}}})}}
    );
    // Without a verified channel there is nowhere to send a code; an administrator verifies one.
    EXPECT_AWS_ERROR(
        f_,
        "ForgotPassword",
        (json{{"ClientId", client_.id}, {"Username", "carol"}}),
        "InvalidParameterException",
        "Cannot reset password for the user as there is no registered/verified email or "
        "phone_number"
    );
    f_.call(
        "AdminUpdateUserAttributes",
        {{"UserPoolId", pool_},
         {"Username", "carol"},
         {"UserAttributes", json::array({{{"Name", "email_verified"}, {"Value", "true"}}})}}
    );
    f_.call("ForgotPassword", {{"ClientId", client_.id}, {"Username", "carol"}});
    EXPECT_AWS_ERROR(
        f_,
        "ConfirmForgotPassword",
        (json{
            {"ClientId", client_.id},
            {"Username", "carol"},
            {"ConfirmationCode", last_code("carol")},
            {"Password", "N3w-Passw0rd!"}}),
        "UserNotConfirmedException",
        "User is not confirmed."
    );
}

TEST_F(account_errors, verifying_an_email_another_user_holds_verified_is_alias_exists)
{
    make_user("alice").with_email("shared@example.com", true).insert(f_, pool_);
    auto const token = signed_in("bob", "bob@example.com");
    // The new address is unverified, so no one's alias yet: the update itself goes through.
    f_.call(
        "UpdateUserAttributes",
        {{"AccessToken", token},
         {"UserAttributes", json::array({{{"Name", "email"}, {"Value", "shared@example.com"}}})}}
    );
    f_.call(
        "GetUserAttributeVerificationCode", {{"AccessToken", token}, {"AttributeName", "email"}}
    );
    EXPECT_AWS_ERROR(
        f_,
        "VerifyUserAttribute",
        (json{{"AccessToken", token}, {"AttributeName", "email"}, {"Code", last_code("bob")}}),
        "AliasExistsException",
        "An account with the given email already exists."
    );
}

TEST(account_errors_by_username, an_email_username_another_user_has_is_alias_exists)
{
    fixture f;
    auto const pool = make_pool().with("UsernameAttributes", {"email"}).insert(f);
    auto const client = make_client().insert(f, pool);
    make_user("a@example.com").with_email("a@example.com", true).insert(f, pool);
    make_user("b@example.com")
        .with_email("b@example.com", true)
        .with_password(password)
        .insert(f, pool);
    auto const token =
        sign_in(f, client, "b@example.com", password).at("AccessToken").get<std::string>();
    EXPECT_AWS_ERROR(
        f,
        "UpdateUserAttributes",
        (json{
            {"AccessToken", token},
            {"UserAttributes", json::array({{{"Name", "email"}, {"Value", "a@example.com"}}})}}),
        "AliasExistsException",
        "An account with the given email already exists."
    );
}

} // namespace
