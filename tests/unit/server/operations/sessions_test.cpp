// GetUser, GlobalSignOut, AdminUserGlobalSignOut, RevokeToken, and how access tokens are checked.
#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <string>

namespace
{

using namespace cognitod::testing;

constexpr char const* password = "Passw0rd!";

// alice has signed in once (tokens_); bob exists with a password.
class sessions : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().insert(f_);
    created_client client_ = make_client().insert(f_, pool_);
    created_user alice_ = make_user("alice")
                              .with_email("alice@example.com", true)
                              .with_password(password)
                              .insert(f_, pool_);
    created_user bob_ = make_user("bob").with_password(password).insert(f_, pool_);
    json tokens_ = sign_in(f_, client_, "alice", password);
    std::string access_ = tokens_.at("AccessToken").get<std::string>();
    std::string refresh_ = tokens_.at("RefreshToken").get<std::string>();

    json get_user(std::string const& token) const
    {
        return f_.call("GetUser", {{"AccessToken", token}});
    }

    void expect_get_user_refused(std::string const& token, std::string const& message) const
    {
        EXPECT_AWS_ERROR(
            f_, "GetUser", (json{{"AccessToken", token}}), "NotAuthorizedException", message
        );
    }

    json revoke(std::string const& token, json extra = json::object()) const
    {
        extra.emplace("ClientId", client_.id);
        extra["Token"] = token;
        return f_.call("RevokeToken", extra);
    }
};

} // namespace

// GetUser

TEST_F(sessions, get_user_answers_the_username_and_attributes_sub_first)
{
    EXPECT_EQ(
        get_user(access_),
        (json{
            {"Username", "alice"},
            {"UserAttributes",
             {{{"Name", "sub"}, {"Value", alice_.sub}},
              {{"Name", "email"}, {"Value", "alice@example.com"}},
              {{"Name", "email_verified"}, {"Value", "true"}}}}})
    );
}

TEST_F(sessions, get_user_names_the_tokens_user)
{
    auto const bobs = sign_in(f_, client_, "bob", password).at("AccessToken").get<std::string>();
    EXPECT_EQ(get_user(bobs).at("Username"), "bob");
}

TEST_F(sessions, get_user_in_an_email_username_pool_answers_the_sub)
{
    auto const pool = make_pool().named("by-email").with_email_username().insert(f_);
    auto const client = make_client().insert(f_, pool);
    auto const erin = make_user("erin@example.com").with_password(password).insert(f_, pool);
    auto const token = sign_in(f_, client, "erin@example.com", password).at("AccessToken");
    EXPECT_EQ(get_user(token).at("Username"), erin.sub);
}

TEST_F(sessions, get_user_sees_attribute_changes_made_after_sign_in)
{
    f_.call(
        "AdminUpdateUserAttributes",
        {{"UserPoolId", pool_},
         {"Username", "alice"},
         {"UserAttributes", {{{"Name", "name"}, {"Value", "Alice"}}}}}
    );
    EXPECT_EQ(attribute_in(get_user(access_).at("UserAttributes"), "name"), "Alice");
}

// Access token checks

TEST_F(sessions, an_access_token_works_until_just_before_exp)
{
    f_.time.now = t0 + 3599 * 1000;
    EXPECT_EQ(get_user(access_).at("Username"), "alice");
}

TEST_F(sessions, an_expired_access_token_is_refused)
{
    f_.time.now = t0 + 3601 * 1000;
    expect_get_user_refused(access_, "Access Token has expired");
}

TEST_F(sessions, a_token_with_a_changed_payload_is_invalid)
{
    auto claims = claims_of(access_);
    claims["username"] = "bob";
    claims["sub"] = bob_.sub;
    expect_get_user_refused(with_payload(access_, claims), "Invalid Access Token");
}

TEST_F(sessions, a_token_signed_by_another_key_is_invalid)
{
    auto const stranger = cognitod::auth::rsa_key::generate();
    expect_get_user_refused(signed_by(access_, stranger), "Invalid Access Token");
}

TEST_F(sessions, a_token_that_is_not_a_jwt_is_invalid)
{
    expect_get_user_refused("not-a-token", "Invalid Access Token");
    expect_get_user_refused(refresh_, "Invalid Access Token");
}

TEST_F(sessions, an_id_token_is_not_an_access_token)
{
    expect_get_user_refused(tokens_.at("IdToken").get<std::string>(), "Invalid Access Token");
}

TEST_F(sessions, a_token_naming_an_unknown_pool_is_invalid)
{
    auto claims = claims_of(access_);
    claims["iss"] = "http://cognitod.test/us-east-1_AAAAAAAAA";
    expect_get_user_refused(with_payload(access_, claims), "Invalid Access Token");
}

TEST_F(sessions, a_token_whose_claims_have_the_wrong_types_is_invalid)
{
    // Unsigned garbage with a number where strings belong must not get past the checks.
    auto claims = claims_of(access_);
    claims["token_use"] = 1;
    expect_get_user_refused(with_payload(access_, claims), "Invalid Access Token");
}

TEST_F(sessions, a_token_whose_header_has_a_numeric_kid_is_invalid)
{
    auto const header = cognitod::auth::base64url_encode(R"({"kid":5,"alg":"RS256"})");
    expect_get_user_refused(header + access_.substr(access_.find('.')), "Invalid Access Token");
}

TEST_F(sessions, a_token_with_alg_none_is_invalid)
{
    auto const header = cognitod::auth::base64url_encode(R"({"alg":"none"})");
    auto const payload = access_.substr(access_.find('.'), access_.rfind('.') - access_.find('.'));
    expect_get_user_refused(header + payload + ".", "Invalid Access Token");
}

TEST_F(sessions, a_token_of_a_deleted_client_is_invalid)
{
    f_.call("DeleteUserPoolClient", {{"UserPoolId", pool_}, {"ClientId", client_.id}});
    expect_get_user_refused(access_, "Invalid Access Token");
}

TEST_F(sessions, a_disabled_users_access_token_is_revoked)
{
    f_.call("AdminDisableUser", {{"UserPoolId", pool_}, {"Username", "alice"}});
    expect_get_user_refused(access_, "Access Token has been revoked");
}

// GlobalSignOut

TEST_F(sessions, global_sign_out_answers_an_empty_object)
{
    EXPECT_EQ(f_.call("GlobalSignOut", {{"AccessToken", access_}}), json::object());
}

TEST_F(sessions, global_sign_out_revokes_the_access_token)
{
    f_.call("GlobalSignOut", {{"AccessToken", access_}});
    expect_get_user_refused(access_, "Access Token has been revoked");
}

TEST_F(sessions, global_sign_out_revokes_the_users_other_sessions)
{
    f_.time.now = t0 + 2000;
    auto const other = sign_in(f_, client_, "alice", password).at("AccessToken").get<std::string>();
    f_.call("GlobalSignOut", {{"AccessToken", access_}});
    expect_get_user_refused(other, "Access Token has been revoked");
}

TEST_F(sessions, global_sign_out_leaves_other_users_signed_in)
{
    auto const bobs = sign_in(f_, client_, "bob", password).at("AccessToken").get<std::string>();
    f_.call("GlobalSignOut", {{"AccessToken", access_}});
    EXPECT_EQ(get_user(bobs).at("Username"), "bob");
}

TEST_F(sessions, a_sign_in_in_the_same_second_as_global_sign_out_is_revoked_too)
{
    // Cognito revokes by the second: a token issued in the sign-out's second goes as well.
    f_.time.now = t0 + 100;
    f_.call("GlobalSignOut", {{"AccessToken", access_}});
    f_.time.now = t0 + 900;
    auto const same_second =
        sign_in(f_, client_, "alice", password).at("AccessToken").get<std::string>();
    expect_get_user_refused(same_second, "Access Token has been revoked");
}

TEST_F(sessions, a_sign_in_a_second_after_global_sign_out_works)
{
    f_.call("GlobalSignOut", {{"AccessToken", access_}});
    f_.time.now = t0 + 1000;
    auto const fresh = sign_in(f_, client_, "alice", password).at("AccessToken").get<std::string>();
    EXPECT_EQ(get_user(fresh).at("Username"), "alice");
}

TEST_F(sessions, global_sign_out_with_a_revoked_token_is_refused)
{
    f_.call("GlobalSignOut", {{"AccessToken", access_}});
    EXPECT_AWS_ERROR(
        f_,
        "GlobalSignOut",
        (json{{"AccessToken", access_}}),
        "NotAuthorizedException",
        "Access Token has been revoked"
    );
}

// AdminUserGlobalSignOut

TEST_F(sessions, admin_user_global_sign_out_answers_an_empty_object_and_revokes)
{
    f_.time.now = t0 + 1500;
    EXPECT_EQ(
        f_.call("AdminUserGlobalSignOut", {{"UserPoolId", pool_}, {"Username", "alice"}}),
        json::object()
    );
    expect_get_user_refused(access_, "Access Token has been revoked");
}

TEST_F(sessions, admin_user_global_sign_out_leaves_other_users_signed_in)
{
    auto const bobs = sign_in(f_, client_, "bob", password).at("AccessToken").get<std::string>();
    f_.call("AdminUserGlobalSignOut", {{"UserPoolId", pool_}, {"Username", "alice"}});
    EXPECT_EQ(get_user(bobs).at("Username"), "bob");
}

TEST_F(sessions, admin_user_global_sign_out_rejects_an_unknown_user)
{
    EXPECT_AWS_ERROR(
        f_,
        "AdminUserGlobalSignOut",
        (json{{"UserPoolId", pool_}, {"Username", "mallory"}}),
        "UserNotFoundException",
        "User does not exist."
    );
}

// RevokeToken

TEST_F(sessions, revoke_token_answers_an_empty_object)
{
    EXPECT_EQ(revoke(refresh_), json::object());
}

TEST_F(sessions, revoke_token_revokes_the_access_tokens_of_that_sign_in)
{
    f_.time.now = t0 + 5000;
    auto const refreshed = refresh_auth(f_, client_, refresh_)
                               .at("AuthenticationResult")
                               .at("AccessToken")
                               .get<std::string>();
    revoke(refresh_);
    expect_get_user_refused(access_, "Access Token has been revoked");
    expect_get_user_refused(refreshed, "Access Token has been revoked");
}

TEST_F(sessions, revoke_token_leaves_the_users_other_sign_ins_alone)
{
    auto const other = sign_in(f_, client_, "alice", password).at("AccessToken").get<std::string>();
    revoke(refresh_);
    EXPECT_EQ(get_user(other).at("Username"), "alice");
}

TEST_F(sessions, revoke_token_refuses_an_access_token)
{
    EXPECT_EQ(
        f_.error_of("RevokeToken", {{"ClientId", client_.id}, {"Token", access_}}).code(),
        "UnsupportedTokenTypeException"
    );
    EXPECT_EQ(get_user(access_).at("Username"), "alice");
}

TEST_F(sessions, revoke_token_refuses_an_id_token)
{
    EXPECT_EQ(
        f_.error_of(
              "RevokeToken", {{"ClientId", client_.id}, {"Token", tokens_.at("IdToken")}}
        ).code(),
        "UnsupportedTokenTypeException"
    );
}

TEST_F(sessions, revoke_token_needs_token_revocation_enabled_on_the_client)
{
    auto const plain = make_client().with("EnableTokenRevocation", false).insert(f_, pool_);
    auto const token = sign_in(f_, plain, "alice", password).at("RefreshToken");
    EXPECT_EQ(
        f_.error_of("RevokeToken", {{"ClientId", plain.id}, {"Token", token}}).code(),
        "UnsupportedOperationException"
    );
    EXPECT_TRUE(refresh_auth(f_, plain, token).contains("AuthenticationResult"));
}

TEST_F(sessions, revoke_token_refuses_a_wrong_client_secret)
{
    auto const secret_client = make_client().with_secret().insert(f_, pool_);
    auto const hash = secret_hash_for(secret_client.secret, "alice", secret_client.id);
    auto const token =
        sign_in(f_, secret_client, "alice", password, {{"SECRET_HASH", hash}}).at("RefreshToken");
    EXPECT_EQ(
        f_.error_of(
              "RevokeToken",
              {{"ClientId", secret_client.id},
               {"Token", token},
               {"ClientSecret", std::string(52, 'x')}}
        ).code(),
        "UnauthorizedException"
    );
    EXPECT_EQ(
        f_.error_of("RevokeToken", {{"ClientId", secret_client.id}, {"Token", token}}).code(),
        "UnauthorizedException"
    );
    EXPECT_TRUE(refresh_auth(
                    f_, secret_client, token, {{"SECRET_HASH", hash}}
    ).contains("AuthenticationResult"));
}

TEST_F(sessions, revoke_token_with_the_right_client_secret_revokes)
{
    auto const secret_client = make_client().with_secret().insert(f_, pool_);
    auto const hash = secret_hash_for(secret_client.secret, "alice", secret_client.id);
    auto const token =
        sign_in(f_, secret_client, "alice", password, {{"SECRET_HASH", hash}}).at("RefreshToken");
    EXPECT_EQ(
        f_.call(
            "RevokeToken",
            {{"ClientId", secret_client.id},
             {"Token", token},
             {"ClientSecret", secret_client.secret}}
        ),
        json::object()
    );
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        (json{
            {"AuthFlow", "REFRESH_TOKEN_AUTH"},
            {"ClientId", secret_client.id},
            {"AuthParameters", {{"REFRESH_TOKEN", token}, {"SECRET_HASH", hash}}}}),
        "NotAuthorizedException",
        "Refresh Token has been revoked"
    );
}

TEST_F(sessions, revoke_token_of_an_unknown_refresh_token_succeeds)
{
    EXPECT_EQ(revoke("eyJjdHkiOiJKV1QifQ.AAAA.AAAA.AAAA.AAAA"), json::object());
}

TEST_F(sessions, revoke_token_through_another_client_leaves_the_token_working)
{
    auto const other = make_client().insert(f_, pool_);
    f_.error_of("RevokeToken", {{"ClientId", other.id}, {"Token", refresh_}});
    EXPECT_TRUE(refresh_auth(f_, client_, refresh_).contains("AuthenticationResult"));
}

TEST_F(sessions, a_deleted_users_token_names_a_missing_user)
{
    f_.call("AdminDeleteUser", {{"UserPoolId", pool_}, {"Username", "alice"}});
    EXPECT_AWS_ERROR(
        f_,
        "GetUser",
        (json{{"AccessToken", access_}}),
        "UserNotFoundException",
        "User does not exist."
    );
}
