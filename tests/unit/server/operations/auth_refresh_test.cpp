// REFRESH_TOKEN_AUTH (InitiateAuth, AdminInitiateAuth) and GetTokensFromRefreshToken.
#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace
{

using namespace cognitod::testing;

constexpr char const* password = "Passw0rd!";
constexpr std::int64_t t0_seconds = t0 / 1000;

std::set<std::string> keys_of(json const& object)
{
    std::set<std::string> keys;
    for (auto const& [key, value] : object.items())
    {
        keys.insert(key);
    }
    return keys;
}

// alice has signed in once; refresh_ is her refresh token.
class refresh : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().insert(f_);
    created_client client_ = make_client().insert(f_, pool_);
    created_user alice_ = make_user("alice").with_password(password).insert(f_, pool_);
    json first_ = sign_in(f_, client_, "alice", password);
    std::string refresh_ = first_.at("RefreshToken").get<std::string>();

    json refresh_input(std::string const& token, json extra = json::object()) const
    {
        extra["REFRESH_TOKEN"] = token;
        return {
            {"AuthFlow", "REFRESH_TOKEN_AUTH"},
            {"ClientId", client_.id},
            {"AuthParameters", extra}};
    }

    json get_tokens(
        created_client const& client, std::string const& token, json extra = json::object()
    ) const
    {
        extra["ClientId"] = client.id;
        extra["RefreshToken"] = token;
        return f_.call("GetTokensFromRefreshToken", extra);
    }
};

// A pool that tracks devices: frank's sign-in is bound to device_.
class device_bound_refresh : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().with_device_tracking().insert(f_);
    created_client client_ = make_client().insert(f_, pool_);
    created_user frank_ = make_user("frank").with_password(password).insert(f_, pool_);
    json first_ = sign_in(f_, client_, "frank", password);
    std::string refresh_ = first_.at("RefreshToken").get<std::string>();
    std::string device_ = first_.at("NewDeviceMetadata").at("DeviceKey").get<std::string>();

    json refresh_input(json extra = json::object()) const
    {
        extra["REFRESH_TOKEN"] = refresh_;
        return {
            {"AuthFlow", "REFRESH_TOKEN_AUTH"},
            {"ClientId", client_.id},
            {"AuthParameters", extra}};
    }
};

} // namespace

// REFRESH_TOKEN_AUTH

TEST_F(refresh, answers_access_and_id_tokens_without_a_refresh_token)
{
    auto const response = refresh_auth(f_, client_, refresh_);
    EXPECT_EQ(response.at("ChallengeParameters"), json::object());
    EXPECT_EQ(
        keys_of(response.at("AuthenticationResult")),
        (std::set<std::string>{"AccessToken", "ExpiresIn", "TokenType", "IdToken"})
    );
}

TEST_F(refresh, new_tokens_keep_origin_jti_and_auth_time)
{
    f_.time.now = t0 + 600'000;
    auto const result = refresh_auth(f_, client_, refresh_).at("AuthenticationResult");
    auto const before = claims_of(first_.at("AccessToken"));
    auto const after = claims_of(result.at("AccessToken"));
    EXPECT_EQ(after.at("origin_jti"), before.at("origin_jti"));
    EXPECT_EQ(after.at("auth_time"), t0_seconds);
    EXPECT_EQ(after.at("iat"), t0_seconds + 600);
    EXPECT_EQ(after.at("exp"), t0_seconds + 600 + 3600);
    EXPECT_NE(after.at("jti"), before.at("jti"));
    EXPECT_NE(after.at("event_id"), before.at("event_id"));
    EXPECT_EQ(claims_of(result.at("IdToken")).at("origin_jti"), before.at("origin_jti"));
}

TEST_F(refresh, the_refresh_token_can_be_used_again)
{
    refresh_auth(f_, client_, refresh_);
    EXPECT_TRUE(
        refresh_auth(f_, client_, refresh_).at("AuthenticationResult").contains("AccessToken")
    );
}

TEST_F(refresh, admin_initiate_auth_refreshes_too)
{
    auto const response = f_.call(
        "AdminInitiateAuth",
        {{"UserPoolId", pool_},
         {"ClientId", client_.id},
         {"AuthFlow", "REFRESH_TOKEN_AUTH"},
         {"AuthParameters", {{"REFRESH_TOKEN", refresh_}}}}
    );
    EXPECT_TRUE(response.at("AuthenticationResult").contains("AccessToken"));
}

TEST_F(refresh, refresh_token_is_the_legacy_name_of_the_flow)
{
    auto input = refresh_input(refresh_);
    input["AuthFlow"] = "REFRESH_TOKEN";
    EXPECT_TRUE(f_.call("InitiateAuth", input).at("AuthenticationResult").contains("AccessToken"));
}

TEST_F(refresh, requires_the_refresh_token)
{
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        (json{
            {"AuthFlow", "REFRESH_TOKEN_AUTH"},
            {"ClientId", client_.id},
            {"AuthParameters", json::object()}}),
        "InvalidParameterException",
        "Missing required parameter REFRESH_TOKEN"
    );
}

TEST_F(refresh, a_garbage_refresh_token_is_invalid)
{
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        refresh_input("not-a-token"),
        "NotAuthorizedException",
        "Invalid Refresh Token"
    );
}

TEST_F(refresh, a_refresh_token_of_another_client_is_invalid)
{
    auto const other = make_client().insert(f_, pool_);
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        (json{
            {"AuthFlow", "REFRESH_TOKEN_AUTH"},
            {"ClientId", other.id},
            {"AuthParameters", {{"REFRESH_TOKEN", refresh_}}}}),
        "NotAuthorizedException",
        "Invalid Refresh Token"
    );
}

TEST_F(refresh, needs_the_client_to_allow_refresh)
{
    auto const no_refresh =
        make_client().with_flows({"ALLOW_USER_PASSWORD_AUTH"}).insert(f_, pool_);
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        (json{
            {"AuthFlow", "REFRESH_TOKEN_AUTH"},
            {"ClientId", no_refresh.id},
            {"AuthParameters", {{"REFRESH_TOKEN", refresh_}}}}),
        "InvalidParameterException",
        "REFRESH_TOKEN_AUTH flow not enabled for this client"
    );
}

TEST_F(refresh, a_legacy_client_always_allows_refresh)
{
    auto const legacy = make_client().with_flows({"USER_PASSWORD_AUTH"}).insert(f_, pool_);
    auto const token = sign_in(f_, legacy, "alice", password).at("RefreshToken").get<std::string>();
    EXPECT_TRUE(refresh_auth(f_, legacy, token).at("AuthenticationResult").contains("AccessToken"));
}

TEST_F(refresh, global_sign_out_revokes_the_refresh_token)
{
    f_.call("GlobalSignOut", {{"AccessToken", first_.at("AccessToken")}});
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        refresh_input(refresh_),
        "NotAuthorizedException",
        "Refresh Token has been revoked"
    );
}

TEST_F(refresh, admin_user_global_sign_out_revokes_the_refresh_token)
{
    f_.time.now = t0 + 5000;
    f_.call("AdminUserGlobalSignOut", {{"UserPoolId", pool_}, {"Username", "alice"}});
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        refresh_input(refresh_),
        "NotAuthorizedException",
        "Refresh Token has been revoked"
    );
}

TEST_F(refresh, a_sign_in_after_global_sign_out_gets_a_working_refresh_token)
{
    f_.call("AdminUserGlobalSignOut", {{"UserPoolId", pool_}, {"Username", "alice"}});
    f_.time.now = t0 + 1000;
    auto const token =
        sign_in(f_, client_, "alice", password).at("RefreshToken").get<std::string>();
    EXPECT_TRUE(refresh_auth(f_, client_, token).at("AuthenticationResult").contains("AccessToken")
    );
}

TEST_F(refresh, revoke_token_revokes_the_refresh_token)
{
    f_.call("RevokeToken", {{"ClientId", client_.id}, {"Token", refresh_}});
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        refresh_input(refresh_),
        "NotAuthorizedException",
        "Refresh Token has been revoked"
    );
}

TEST_F(refresh, a_refresh_token_works_until_its_validity_ends)
{
    auto const hourly = make_client()
                            .with("RefreshTokenValidity", 60)
                            .with("TokenValidityUnits", {{"RefreshToken", "minutes"}})
                            .insert(f_, pool_);
    auto const token = sign_in(f_, hourly, "alice", password).at("RefreshToken").get<std::string>();
    f_.time.now = t0 + 3600 * 1000;
    EXPECT_TRUE(refresh_auth(f_, hourly, token).at("AuthenticationResult").contains("AccessToken"));
}

TEST_F(refresh, an_expired_refresh_token_is_refused)
{
    auto const hourly = make_client()
                            .with("RefreshTokenValidity", 60)
                            .with("TokenValidityUnits", {{"RefreshToken", "minutes"}})
                            .insert(f_, pool_);
    auto const token = sign_in(f_, hourly, "alice", password).at("RefreshToken").get<std::string>();
    f_.time.now = t0 + 3601 * 1000;
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        (json{
            {"AuthFlow", "REFRESH_TOKEN_AUTH"},
            {"ClientId", hourly.id},
            {"AuthParameters", {{"REFRESH_TOKEN", token}}}}),
        "NotAuthorizedException",
        "Refresh Token has expired"
    );
}

TEST_F(refresh, the_default_refresh_token_lasts_30_days)
{
    f_.time.now = t0 + 30LL * 86400 * 1000;
    EXPECT_TRUE(
        refresh_auth(f_, client_, refresh_).at("AuthenticationResult").contains("AccessToken")
    );
    f_.time.now = t0 + (30LL * 86400 + 1) * 1000;
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        refresh_input(refresh_),
        "NotAuthorizedException",
        "Refresh Token has expired"
    );
}

TEST_F(refresh, a_disabled_user_cannot_refresh)
{
    f_.call("AdminDisableUser", {{"UserPoolId", pool_}, {"Username", "alice"}});
    EXPECT_AWS_ERROR(
        f_, "InitiateAuth", refresh_input(refresh_), "NotAuthorizedException", "User is disabled."
    );
}

TEST_F(refresh, a_deleted_user_cannot_refresh)
{
    f_.call("AdminDeleteUser", {{"UserPoolId", pool_}, {"Username", "alice"}});
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        refresh_input(refresh_),
        "NotAuthorizedException",
        "Invalid Refresh Token"
    );
}

TEST_F(refresh, a_client_with_a_secret_needs_secret_hash)
{
    auto const secret_client = make_client().with_secret().insert(f_, pool_);
    auto const hash = secret_hash_for(secret_client.secret, "alice", secret_client.id);
    auto const token = sign_in(f_, secret_client, "alice", password, {{"SECRET_HASH", hash}})
                           .at("RefreshToken")
                           .get<std::string>();
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        (json{
            {"AuthFlow", "REFRESH_TOKEN_AUTH"},
            {"ClientId", secret_client.id},
            {"AuthParameters", {{"REFRESH_TOKEN", token}}}}),
        "NotAuthorizedException",
        "Client " + secret_client.id + " is configured with secret but SECRET_HASH was not received"
    );
}

TEST_F(refresh, secret_hash_may_be_computed_over_the_username_or_the_sub)
{
    auto const secret_client = make_client().with_secret().insert(f_, pool_);
    auto const by_name = secret_hash_for(secret_client.secret, "alice", secret_client.id);
    auto const by_sub = secret_hash_for(secret_client.secret, alice_.sub, secret_client.id);
    auto const token = sign_in(f_, secret_client, "alice", password, {{"SECRET_HASH", by_name}})
                           .at("RefreshToken")
                           .get<std::string>();
    EXPECT_TRUE(refresh_auth(
                    f_, secret_client, token, {{"SECRET_HASH", by_name}}
    ).contains("AuthenticationResult"));
    EXPECT_TRUE(refresh_auth(
                    f_, secret_client, token, {{"SECRET_HASH", by_sub}}
    ).contains("AuthenticationResult"));
}

TEST_F(refresh, a_wrong_secret_hash_is_refused)
{
    auto const secret_client = make_client().with_secret().insert(f_, pool_);
    auto const hash = secret_hash_for(secret_client.secret, "alice", secret_client.id);
    auto const token = sign_in(f_, secret_client, "alice", password, {{"SECRET_HASH", hash}})
                           .at("RefreshToken")
                           .get<std::string>();
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        (json{
            {"AuthFlow", "REFRESH_TOKEN_AUTH"},
            {"ClientId", secret_client.id},
            {"AuthParameters",
             {{"REFRESH_TOKEN", token},
              {"SECRET_HASH", secret_hash_for(secret_client.secret, "bob", secret_client.id)}}}}),
        "NotAuthorizedException",
        "Unable to verify secret hash for client " + secret_client.id
    );
}

// Device-bound refresh tokens

TEST_F(device_bound_refresh, works_with_the_device_key)
{
    auto const response = f_.call("InitiateAuth", refresh_input({{"DEVICE_KEY", device_}}));
    auto const& result = response.at("AuthenticationResult");
    EXPECT_EQ(claims_of(result.at("AccessToken")).at("device_key"), device_);
    EXPECT_FALSE(result.contains("NewDeviceMetadata"));
}

TEST_F(device_bound_refresh, needs_the_device_key)
{
    EXPECT_AWS_ERROR(
        f_, "InitiateAuth", refresh_input(), "NotAuthorizedException", "Invalid Refresh Token"
    );
}

TEST_F(device_bound_refresh, a_null_device_key_is_a_missing_one)
{
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        refresh_input({{"DEVICE_KEY", nullptr}}),
        "NotAuthorizedException",
        "Invalid Refresh Token"
    );
}

TEST_F(device_bound_refresh, refuses_another_device_key)
{
    auto const other = make_device().insert(f_, frank_);
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        refresh_input({{"DEVICE_KEY", other}}),
        "NotAuthorizedException",
        "Invalid Refresh Token"
    );
}

TEST_F(device_bound_refresh, stops_working_once_the_device_is_forgotten)
{
    f_.call(
        "AdminForgetDevice", {{"UserPoolId", pool_}, {"Username", "frank"}, {"DeviceKey", device_}}
    );
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        refresh_input({{"DEVICE_KEY", device_}}),
        "NotAuthorizedException",
        "Invalid Refresh Token"
    );
}

TEST_F(device_bound_refresh, get_tokens_from_refresh_token_takes_the_device_key)
{
    auto const response = f_.call(
        "GetTokensFromRefreshToken",
        {{"ClientId", client_.id}, {"RefreshToken", refresh_}, {"DeviceKey", device_}}
    );
    EXPECT_EQ(
        claims_of(response.at("AuthenticationResult").at("AccessToken")).at("device_key"), device_
    );
    EXPECT_AWS_ERROR(
        f_,
        "GetTokensFromRefreshToken",
        (json{{"ClientId", client_.id}, {"RefreshToken", refresh_}}),
        "NotAuthorizedException",
        "Invalid Refresh Token"
    );
}

// GetTokensFromRefreshToken

TEST_F(refresh, get_tokens_without_rotation_answers_no_refresh_token)
{
    auto const response = get_tokens(client_, refresh_);
    EXPECT_EQ(keys_of(response), std::set<std::string>{"AuthenticationResult"});
    EXPECT_EQ(
        keys_of(response.at("AuthenticationResult")),
        (std::set<std::string>{"AccessToken", "ExpiresIn", "TokenType", "IdToken"})
    );
    EXPECT_TRUE(refresh_auth(f_, client_, refresh_).contains("AuthenticationResult"));
}

TEST_F(refresh, rotation_issues_a_new_refresh_token)
{
    auto const rotating = make_client().with_rotation().insert(f_, pool_);
    auto const old_token =
        sign_in(f_, rotating, "alice", password).at("RefreshToken").get<std::string>();
    auto const result = get_tokens(rotating, old_token).at("AuthenticationResult");
    ASSERT_TRUE(result.contains("RefreshToken"));
    EXPECT_NE(result.at("RefreshToken"), old_token);
}

TEST_F(refresh, rotation_retires_the_old_refresh_token)
{
    auto const rotating = make_client().with_rotation().insert(f_, pool_);
    auto const old_token =
        sign_in(f_, rotating, "alice", password).at("RefreshToken").get<std::string>();
    get_tokens(rotating, old_token);
    EXPECT_AWS_ERROR(
        f_,
        "GetTokensFromRefreshToken",
        (json{{"ClientId", rotating.id}, {"RefreshToken", old_token}}),
        "NotAuthorizedException",
        "Invalid Refresh Token"
    );
}

TEST_F(refresh, the_rotated_refresh_token_works_and_keeps_the_origin_jti)
{
    auto const rotating = make_client().with_rotation().insert(f_, pool_);
    auto const first = sign_in(f_, rotating, "alice", password);
    auto const next = get_tokens(rotating, first.at("RefreshToken").get<std::string>())
                          .at("AuthenticationResult")
                          .at("RefreshToken")
                          .get<std::string>();
    auto const result = get_tokens(rotating, next).at("AuthenticationResult");
    EXPECT_EQ(
        claims_of(result.at("AccessToken")).at("origin_jti"),
        claims_of(first.at("AccessToken")).at("origin_jti")
    );
}

TEST_F(refresh, get_tokens_needs_the_client_secret_of_a_client_with_one)
{
    auto const secret_client = make_client().with_secret().insert(f_, pool_);
    auto const hash = secret_hash_for(secret_client.secret, "alice", secret_client.id);
    auto const token = sign_in(f_, secret_client, "alice", password, {{"SECRET_HASH", hash}})
                           .at("RefreshToken")
                           .get<std::string>();
    EXPECT_AWS_ERROR(
        f_,
        "GetTokensFromRefreshToken",
        (json{{"ClientId", secret_client.id}, {"RefreshToken", token}}),
        "NotAuthorizedException",
        "Client " + secret_client.id +
            " is configured with secret but ClientSecret was not received"
    );
    EXPECT_TRUE(get_tokens(
                    secret_client, token, {{"ClientSecret", secret_client.secret}}
    ).contains("AuthenticationResult"));
}

TEST_F(refresh, get_tokens_refuses_a_wrong_client_secret)
{
    auto const secret_client = make_client().with_secret().insert(f_, pool_);
    auto const hash = secret_hash_for(secret_client.secret, "alice", secret_client.id);
    auto const token = sign_in(f_, secret_client, "alice", password, {{"SECRET_HASH", hash}})
                           .at("RefreshToken")
                           .get<std::string>();
    // The wire text for a wrong ClientSecret here is unverified; the code is NotAuthorized.
    auto const error = f_.error_of(
        "GetTokensFromRefreshToken",
        {{"ClientId", secret_client.id},
         {"RefreshToken", token},
         {"ClientSecret", std::string(52, 'x')}}
    );
    EXPECT_EQ(error.code(), "NotAuthorizedException");
}

TEST_F(refresh, get_tokens_refuses_a_revoked_refresh_token)
{
    f_.call("AdminUserGlobalSignOut", {{"UserPoolId", pool_}, {"Username", "alice"}});
    EXPECT_AWS_ERROR(
        f_,
        "GetTokensFromRefreshToken",
        (json{{"ClientId", client_.id}, {"RefreshToken", refresh_}}),
        "NotAuthorizedException",
        "Refresh Token has been revoked"
    );
}
