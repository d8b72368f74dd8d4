#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <string>

namespace
{

using namespace cognitod::testing;

constexpr char const* password = "Passw0rd!ok";

class self_service : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().requiring("name").insert(f_);
    created_client client_ = make_client().insert(f_, pool_);

    // alice, signed in; her access token.
    std::string sign_in_alice()
    {
        make_user("alice")
            .with("name", "Alice")
            .with("nickname", "al")
            .with_email("alice@example.com", true)
            .with_password(password)
            .insert(f_, pool_);
        return sign_in(f_, client_, "alice", password).at("AccessToken").get<std::string>();
    }

    json attributes_of(std::string const& username)
    {
        return f_.call(
                     "AdminGetUser", {{"UserPoolId", pool_}, {"Username", username}}
        ).at("UserAttributes");
    }
};

TEST_F(self_service, change_password_needs_the_old_one_and_then_the_new_one_signs_in)
{
    auto const token = sign_in_alice();
    EXPECT_AWS_ERROR(
        f_,
        "ChangePassword",
        (json{
            {"AccessToken", token},
            {"PreviousPassword", "Wrong-0ne!"},
            {"ProposedPassword", "N3w-Passw0rd!"}}),
        "NotAuthorizedException",
        "Incorrect username or password."
    );
    EXPECT_AWS_ERROR(
        f_,
        "ChangePassword",
        (json{{"AccessToken", token}, {"ProposedPassword", "N3w-Passw0rd!"}}),
        "NotAuthorizedException",
        "Incorrect username or password."
    );
    auto const out = f_.call(
        "ChangePassword",
        {{"AccessToken", token},
         {"PreviousPassword", password},
         {"ProposedPassword", "N3w-Passw0rd!"}}
    );
    EXPECT_EQ(out, json::object());
    EXPECT_NO_THROW(sign_in(f_, client_, "alice", "N3w-Passw0rd!"));
    auto const old = f_.error_of(
        "InitiateAuth",
        {{"AuthFlow", "USER_PASSWORD_AUTH"},
         {"ClientId", client_.id},
         {"AuthParameters", {{"USERNAME", "alice"}, {"PASSWORD", password}}}}
    );
    EXPECT_EQ(old.code(), "NotAuthorizedException");
}

TEST_F(self_service, change_password_applies_the_policy)
{
    auto const token = sign_in_alice();
    EXPECT_AWS_ERROR(
        f_,
        "ChangePassword",
        (json{{"AccessToken", token}, {"PreviousPassword", password}, {"ProposedPassword", "short"}}
        ),
        "InvalidPasswordException",
        "Password does not conform to policy: Password not long enough"
    );
}

TEST_F(self_service, a_bad_access_token_changes_nothing)
{
    sign_in_alice();
    EXPECT_AWS_ERROR(
        f_,
        "DeleteUser",
        (json{{"AccessToken", "not.a.token"}}),
        "NotAuthorizedException",
        "Invalid Access Token"
    );
    EXPECT_NO_THROW(f_.call("AdminGetUser", {{"UserPoolId", pool_}, {"Username", "alice"}}));
}

TEST_F(self_service, delete_user_removes_the_user_and_its_token_names_no_one)
{
    auto const token = sign_in_alice();
    EXPECT_EQ(f_.call("DeleteUser", {{"AccessToken", token}}), json::object());
    EXPECT_AWS_ERROR(
        f_,
        "AdminGetUser",
        (json{{"UserPoolId", pool_}, {"Username", "alice"}}),
        "UserNotFoundException",
        "User does not exist."
    );
    EXPECT_AWS_ERROR(
        f_,
        "GetUser",
        (json{{"AccessToken", token}}),
        "UserNotFoundException",
        "User does not exist."
    );
}

TEST_F(self_service, delete_user_attributes_removes_them_and_an_emails_verified_flag)
{
    auto const token = sign_in_alice();
    f_.call(
        "DeleteUserAttributes",
        {{"AccessToken", token}, {"UserAttributeNames", {"nickname", "email"}}}
    );
    auto const attributes = attributes_of("alice");
    EXPECT_FALSE(attribute_in(attributes, "nickname"));
    EXPECT_FALSE(attribute_in(attributes, "email"));
    EXPECT_FALSE(attribute_in(attributes, "email_verified"));
    EXPECT_EQ(attribute_in(attributes, "name"), "Alice");
}

TEST_F(self_service, attributes_that_are_required_unknown_or_sub_are_not_deleted)
{
    auto const token = sign_in_alice();
    EXPECT_AWS_ERROR(
        f_,
        "DeleteUserAttributes",
        (json{
            {"AccessToken", token},
            {"UserAttributeNames", {"name", "sub", "custom:missing", "nickname"}}}),
        "InvalidParameterException",
        "Attributes did not conform to the schema: name: Attribute cannot be deleted. (a required "
        "attribute)\nsub: Attribute cannot be deleted. (a required attribute)\ncustom:missing: "
        "Attribute does not exist in the schema.\n"
    );
    EXPECT_EQ(attribute_in(attributes_of("alice"), "nickname"), "al");
}

TEST_F(self_service, admin_delete_user_attributes_works_by_username)
{
    sign_in_alice();
    f_.call(
        "AdminDeleteUserAttributes",
        {{"UserPoolId", pool_}, {"Username", "alice"}, {"UserAttributeNames", {"nickname"}}}
    );
    EXPECT_FALSE(attribute_in(attributes_of("alice"), "nickname"));
    EXPECT_AWS_ERROR(
        f_,
        "AdminDeleteUserAttributes",
        (json{{"UserPoolId", pool_}, {"Username", "nobody"}, {"UserAttributeNames", {"nickname"}}}),
        "UserNotFoundException",
        "User does not exist."
    );
}

TEST_F(self_service, add_custom_attributes_extends_the_schema_and_users_can_hold_them)
{
    f_.call(
        "AddCustomAttributes",
        {{"UserPoolId", pool_},
         {"CustomAttributes",
          {{{"Name", "tier"}, {"AttributeDataType", "String"}},
           {{"Name", "age"}, {"AttributeDataType", "Number"}, {"Mutable", false}}}}}
    );
    auto const schema =
        f_.call("DescribeUserPool", {{"UserPoolId", pool_}}).at("UserPool").at("SchemaAttributes");
    json const* tier = nullptr;
    for (auto const& entry : schema)
    {
        if (entry.at("Name") == "custom:tier")
        {
            tier = &entry;
        }
    }
    ASSERT_NE(tier, nullptr);
    EXPECT_EQ(tier->at("AttributeDataType"), "String");
    make_user("bob").with("name", "Bob").with("custom:tier", "gold").insert(f_, pool_);
    EXPECT_EQ(attribute_in(attributes_of("bob"), "custom:tier"), "gold");

    EXPECT_AWS_ERROR(
        f_,
        "AddCustomAttributes",
        (json{{"UserPoolId", pool_}, {"CustomAttributes", {{{"Name", "tier"}}}}}),
        "InvalidParameterException",
        "Existing attribute already has name custom:tier."
    );
    EXPECT_AWS_ERROR(
        f_,
        "AddCustomAttributes",
        (json{{"UserPoolId", pool_}, {"CustomAttributes", {{{"Name", "x"}, {"Required", true}}}}}),
        "InvalidParameterException",
        "Required custom attributes are not supported currently."
    );
}

} // namespace
