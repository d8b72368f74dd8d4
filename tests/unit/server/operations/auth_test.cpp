// InitiateAuth and AdminInitiateAuth with the password flows, and the tokens they issue.
#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

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

// A pool without device tracking, a client allowing the password flows, and alice.
class password_sign_in : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().insert(f_);
    created_client client_ = make_client().insert(f_, pool_);
    created_user alice_ = make_user("alice")
                              .with_email("alice@example.com", true)
                              .with_password(password)
                              .insert(f_, pool_);

    json initiate(json const& parameters, std::string const& flow = "USER_PASSWORD_AUTH") const
    {
        return {{"AuthFlow", flow}, {"ClientId", client_.id}, {"AuthParameters", parameters}};
    }

    json admin_initiate(
        json const& parameters, std::string const& flow = "ADMIN_USER_PASSWORD_AUTH"
    ) const
    {
        return {
            {"UserPoolId", pool_},
            {"ClientId", client_.id},
            {"AuthFlow", flow},
            {"AuthParameters", parameters}};
    }
};

} // namespace

// A successful sign-in

TEST_F(password_sign_in, answers_tokens_with_empty_challenge_parameters)
{
    auto const response = password_auth(f_, client_, "alice", password);
    EXPECT_EQ(
        keys_of(response), (std::set<std::string>{"ChallengeParameters", "AuthenticationResult"})
    );
    EXPECT_EQ(response.at("ChallengeParameters"), json::object());
    auto const& result = response.at("AuthenticationResult");
    EXPECT_EQ(
        keys_of(result),
        (std::set<std::string>{"AccessToken", "ExpiresIn", "TokenType", "RefreshToken", "IdToken"})
    );
    EXPECT_EQ(result.at("ExpiresIn"), 3600);
    EXPECT_EQ(result.at("TokenType"), "Bearer");
}

TEST_F(password_sign_in, admin_initiate_auth_answers_the_same_shape)
{
    auto const response = admin_password_auth(f_, client_, "alice", password);
    EXPECT_EQ(response.at("ChallengeParameters"), json::object());
    EXPECT_EQ(
        keys_of(response.at("AuthenticationResult")),
        (std::set<std::string>{"AccessToken", "ExpiresIn", "TokenType", "RefreshToken", "IdToken"})
    );
}

TEST_F(password_sign_in, admin_no_srp_auth_is_the_legacy_name_of_the_admin_password_flow)
{
    auto const response = f_.call(
        "AdminInitiateAuth",
        admin_initiate({{"USERNAME", "alice"}, {"PASSWORD", password}}, "ADMIN_NO_SRP_AUTH")
    );
    EXPECT_TRUE(response.at("AuthenticationResult").contains("AccessToken"));
}

TEST_F(password_sign_in, access_token_carries_cognitos_claims)
{
    auto const claims = claims_of(sign_in(f_, client_, "alice", password).at("AccessToken"));
    EXPECT_EQ(claims.at("sub"), alice_.sub);
    EXPECT_EQ(claims.at("iss"), "http://cognitod.test/" + pool_);
    EXPECT_EQ(claims.at("client_id"), client_.id);
    EXPECT_EQ(claims.at("token_use"), "access");
    EXPECT_EQ(claims.at("scope"), "aws.cognito.signin.user.admin");
    EXPECT_EQ(claims.at("auth_time"), t0_seconds);
    EXPECT_EQ(claims.at("iat"), t0_seconds);
    EXPECT_EQ(claims.at("exp"), t0_seconds + 3600);
    EXPECT_EQ(claims.at("username"), "alice");
    EXPECT_FALSE(claims.contains("device_key"));
    EXPECT_FALSE(claims.contains("aud"));
    EXPECT_FALSE(claims.contains("version"));
}

TEST_F(password_sign_in, access_token_claims_come_in_the_order_of_a_real_cognito_token)
{
    EXPECT_EQ(
        claim_names(sign_in(f_, client_, "alice", password).at("AccessToken")),
        (std::vector<std::string>{
            "sub",
            "iss",
            "client_id",
            "origin_jti",
            "event_id",
            "token_use",
            "scope",
            "auth_time",
            "exp",
            "iat",
            "jti",
            "username",
        })
    );
}

TEST_F(password_sign_in, id_token_carries_the_user_and_the_client)
{
    auto const claims = claims_of(sign_in(f_, client_, "alice", password).at("IdToken"));
    EXPECT_EQ(claims.at("sub"), alice_.sub);
    EXPECT_EQ(claims.at("aud"), client_.id);
    EXPECT_EQ(claims.at("cognito:username"), "alice");
    EXPECT_EQ(claims.at("token_use"), "id");
    EXPECT_EQ(claims.at("email"), "alice@example.com");
    EXPECT_EQ(claims.at("email_verified"), true); // a JSON boolean, not "true"
    EXPECT_EQ(claims.at("iss"), "http://cognitod.test/" + pool_);
    EXPECT_EQ(claims.at("exp"), t0_seconds + 3600);
    EXPECT_FALSE(claims.contains("client_id"));
    EXPECT_FALSE(claims.contains("username"));
}

TEST_F(password_sign_in, access_and_id_token_share_origin_jti_event_id_and_times_but_not_jti)
{
    auto const result = sign_in(f_, client_, "alice", password);
    auto const access = claims_of(result.at("AccessToken"));
    auto const id = claims_of(result.at("IdToken"));
    for (auto const* name : {"origin_jti", "event_id", "auth_time", "iat", "exp"})
    {
        EXPECT_EQ(access.at(name), id.at(name)) << name;
    }
    EXPECT_NE(access.at("jti"), id.at("jti"));
}

TEST_F(password_sign_in, id_token_claims_come_in_the_order_of_a_real_cognito_token)
{
    auto const bob = make_user("bob")
                         .with("name", "Bob Example")
                         .with("phone_number", "+15555550100")
                         .with("phone_number_verified", "false")
                         .with_email("bob@example.com", true)
                         .with_password(password)
                         .insert(f_, pool_);
    EXPECT_EQ(
        claim_names(sign_in(f_, client_, "bob", password).at("IdToken")),
        (std::vector<std::string>{
            "sub",
            "email_verified",
            "iss",
            "phone_number_verified",
            "cognito:username",
            "origin_jti",
            "aud",
            "event_id",
            "token_use",
            "auth_time",
            "name",
            "phone_number",
            "exp",
            "iat",
            "jti",
            "email",
        })
    );
}

TEST_F(password_sign_in, id_token_holds_only_the_attributes_the_client_may_read)
{
    auto const reader = make_client().with("ReadAttributes", {"email"}).insert(f_, pool_);
    make_user("carol")
        .with("name", "Carol")
        .with_email("carol@example.com", true)
        .with_password(password)
        .insert(f_, pool_);
    auto const claims = claims_of(sign_in(f_, reader, "carol", password).at("IdToken"));
    EXPECT_EQ(claims.at("email"), "carol@example.com");
    EXPECT_FALSE(claims.contains("name"));
    EXPECT_FALSE(claims.contains("email_verified"));
}

TEST_F(password_sign_in, each_sign_in_gets_its_own_refresh_token_and_origin_jti)
{
    auto const first = sign_in(f_, client_, "alice", password);
    auto const second = sign_in(f_, client_, "alice", password);
    EXPECT_NE(first.at("RefreshToken"), second.at("RefreshToken"));
    EXPECT_NE(
        claims_of(first.at("AccessToken")).at("origin_jti"),
        claims_of(second.at("AccessToken")).at("origin_jti")
    );
}

TEST_F(password_sign_in, refresh_token_is_a_five_part_jwe)
{
    auto const token =
        sign_in(f_, client_, "alice", password).at("RefreshToken").get<std::string>();
    EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 4);
    EXPECT_TRUE(token.starts_with("eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.")
    );
}

TEST_F(password_sign_in, access_token_validity_follows_the_clients_units)
{
    auto const short_lived = make_client()
                                 .with("AccessTokenValidity", 5)
                                 .with("IdTokenValidity", 2)
                                 .with("TokenValidityUnits", {{"AccessToken", "minutes"}})
                                 .insert(f_, pool_);
    auto const result = sign_in(f_, short_lived, "alice", password);
    EXPECT_EQ(result.at("ExpiresIn"), 300);
    EXPECT_EQ(claims_of(result.at("AccessToken")).at("exp"), t0_seconds + 300);
    EXPECT_EQ(claims_of(result.at("IdToken")).at("exp"), t0_seconds + 2 * 3600);
}

TEST_F(password_sign_in, signs_in_by_a_verified_email_alias)
{
    auto const pool = make_pool().named("aliased").with_email_alias().insert(f_);
    auto const client = make_client().insert(f_, pool);
    make_user("dave").with_email("dave@example.com", true).with_password(password).insert(f_, pool);
    auto const claims =
        claims_of(sign_in(f_, client, "dave@example.com", password).at("AccessToken"));
    EXPECT_EQ(claims.at("username"), "dave");
}

TEST_F(password_sign_in, in_an_email_username_pool_the_token_username_is_the_sub)
{
    auto const pool = make_pool().named("by-email").with_email_username().insert(f_);
    auto const client = make_client().insert(f_, pool);
    auto const erin = make_user("erin@example.com").with_password(password).insert(f_, pool);
    auto const result = sign_in(f_, client, "erin@example.com", password);
    EXPECT_EQ(claims_of(result.at("AccessToken")).at("username"), erin.sub);
    EXPECT_EQ(claims_of(result.at("IdToken")).at("cognito:username"), erin.sub);
}

TEST_F(password_sign_in, signs_in_with_the_username_in_another_case_when_the_pool_ignores_case)
{
    auto const pool = make_pool().named("folded").case_insensitive().insert(f_);
    auto const client = make_client().insert(f_, pool);
    make_user("Henry").with_password(password).insert(f_, pool);
    auto const claims = claims_of(sign_in(f_, client, "hENRY", password).at("AccessToken"));
    EXPECT_EQ(claims.at("username"), "Henry");
}

TEST_F(password_sign_in, a_case_sensitive_pool_does_not_find_the_username_in_another_case)
{
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        initiate({{"USERNAME", "ALICE"}, {"PASSWORD", password}}),
        "UserNotFoundException",
        "User does not exist."
    );
}
