// What InitiateAuth and AdminInitiateAuth check before a password sign-in: the client's flows,
// the parameters, SECRET_HASH, and the user.
#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <string>

namespace
{

using namespace cognitod::testing;

constexpr char const* password = "Passw0rd!";

// A pool without device tracking, a client allowing the password flows, and alice.
class password_sign_in_checks : public ::testing::Test
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

// Flows the client does not allow

TEST_F(password_sign_in_checks, user_password_auth_needs_the_client_to_allow_it)
{
    auto const srp_only = make_client()
                              .with_flows({"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"})
                              .insert(f_, pool_);
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        (json{
            {"AuthFlow", "USER_PASSWORD_AUTH"},
            {"ClientId", srp_only.id},
            {"AuthParameters", {{"USERNAME", "alice"}, {"PASSWORD", password}}}}),
        "InvalidParameterException",
        "USER_PASSWORD_AUTH flow not enabled for this client"
    );
}

TEST_F(password_sign_in_checks, admin_password_auth_needs_the_client_to_allow_it)
{
    auto const user_only = make_client()
                               .with_flows({"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"})
                               .insert(f_, pool_);
    EXPECT_AWS_ERROR(
        f_,
        "AdminInitiateAuth",
        (json{
            {"UserPoolId", pool_},
            {"ClientId", user_only.id},
            {"AuthFlow", "ADMIN_USER_PASSWORD_AUTH"},
            {"AuthParameters", {{"USERNAME", "alice"}, {"PASSWORD", password}}}}),
        "InvalidParameterException",
        "Auth flow not enabled for this client"
    );
}

TEST_F(password_sign_in_checks, a_client_with_default_flows_does_not_allow_user_password_auth)
{
    auto const defaults = make_client().with("ExplicitAuthFlows", nullptr).insert(f_, pool_);
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        (json{
            {"AuthFlow", "USER_PASSWORD_AUTH"},
            {"ClientId", defaults.id},
            {"AuthParameters", {{"USERNAME", "alice"}, {"PASSWORD", password}}}}),
        "InvalidParameterException",
        "USER_PASSWORD_AUTH flow not enabled for this client"
    );
}

TEST_F(password_sign_in_checks, the_legacy_user_password_auth_value_allows_the_flow)
{
    auto const legacy = make_client().with_flows({"USER_PASSWORD_AUTH"}).insert(f_, pool_);
    EXPECT_TRUE(sign_in(f_, legacy, "alice", password).contains("AccessToken"));
}

TEST_F(password_sign_in_checks, the_legacy_admin_no_srp_auth_value_allows_the_admin_flow)
{
    auto const legacy = make_client().with_flows({"ADMIN_NO_SRP_AUTH"}).insert(f_, pool_);
    EXPECT_TRUE(admin_password_auth(f_, legacy, "alice", password).contains("AuthenticationResult")
    );
}

TEST_F(password_sign_in_checks, initiate_auth_does_not_run_the_admin_flow)
{
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        initiate({{"USERNAME", "alice"}, {"PASSWORD", password}}, "ADMIN_USER_PASSWORD_AUTH"),
        "InvalidParameterException",
        "Initiate Auth method not supported."
    );
}

TEST_F(password_sign_in_checks, initiate_auth_rejects_an_unknown_client)
{
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        (json{
            {"AuthFlow", "USER_PASSWORD_AUTH"},
            {"ClientId", "0123456789abcdefghijklmnop"},
            {"AuthParameters", {{"USERNAME", "alice"}, {"PASSWORD", password}}}}),
        "ResourceNotFoundException",
        "User pool client 0123456789abcdefghijklmnop does not exist."
    );
}

TEST_F(password_sign_in_checks, admin_initiate_auth_rejects_a_client_of_another_pool)
{
    auto const other_pool = make_pool().named("other").insert(f_);
    auto const foreign = make_client().insert(f_, other_pool);
    EXPECT_AWS_ERROR(
        f_,
        "AdminInitiateAuth",
        (json{
            {"UserPoolId", pool_},
            {"ClientId", foreign.id},
            {"AuthFlow", "ADMIN_USER_PASSWORD_AUTH"},
            {"AuthParameters", {{"USERNAME", "alice"}, {"PASSWORD", password}}}}),
        "ResourceNotFoundException",
        "User pool client " + foreign.id + " does not exist."
    );
}

// Missing parameters

TEST_F(password_sign_in_checks, requires_username)
{
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        initiate({{"PASSWORD", password}}),
        "InvalidParameterException",
        "Missing required parameter USERNAME"
    );
}

TEST_F(password_sign_in_checks, requires_password)
{
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        initiate({{"USERNAME", "alice"}}),
        "InvalidParameterException",
        "Missing required parameter PASSWORD"
    );
}

TEST_F(password_sign_in_checks, admin_initiate_auth_requires_username)
{
    EXPECT_AWS_ERROR(
        f_,
        "AdminInitiateAuth",
        admin_initiate({{"PASSWORD", password}}),
        "InvalidParameterException",
        "Missing required parameter USERNAME"
    );
}

TEST_F(password_sign_in_checks, requires_username_when_auth_parameters_are_absent)
{
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        (json{{"AuthFlow", "USER_PASSWORD_AUTH"}, {"ClientId", client_.id}}),
        "InvalidParameterException",
        "Missing required parameter USERNAME"
    );
}

// SECRET_HASH

TEST_F(password_sign_in_checks, a_client_with_a_secret_needs_secret_hash)
{
    auto const secret_client = make_client().with_secret().insert(f_, pool_);
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        (json{
            {"AuthFlow", "USER_PASSWORD_AUTH"},
            {"ClientId", secret_client.id},
            {"AuthParameters", {{"USERNAME", "alice"}, {"PASSWORD", password}}}}),
        "NotAuthorizedException",
        "Client " + secret_client.id + " is configured with secret but SECRET_HASH was not received"
    );
}

TEST_F(password_sign_in_checks, a_wrong_secret_hash_is_refused)
{
    auto const secret_client = make_client().with_secret().insert(f_, pool_);
    auto const wrong = secret_hash_for(secret_client.secret, "bob", secret_client.id);
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        (json{
            {"AuthFlow", "USER_PASSWORD_AUTH"},
            {"ClientId", secret_client.id},
            {"AuthParameters",
             {{"USERNAME", "alice"}, {"PASSWORD", password}, {"SECRET_HASH", wrong}}}}),
        "NotAuthorizedException",
        "Unable to verify secret hash for client " + secret_client.id
    );
}

TEST_F(password_sign_in_checks, the_right_secret_hash_signs_in)
{
    auto const secret_client = make_client().with_secret().insert(f_, pool_);
    auto const hash = secret_hash_for(secret_client.secret, "alice", secret_client.id);
    auto const result = sign_in(f_, secret_client, "alice", password, {{"SECRET_HASH", hash}});
    EXPECT_EQ(claims_of(result.at("AccessToken")).at("client_id"), secret_client.id);
}

TEST_F(password_sign_in_checks, a_client_without_a_secret_ignores_secret_hash)
{
    auto const result = sign_in(f_, client_, "alice", password, {{"SECRET_HASH", "anything"}});
    EXPECT_TRUE(result.contains("AccessToken"));
}

// Refusals

TEST_F(password_sign_in_checks, a_wrong_password_is_refused)
{
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        initiate({{"USERNAME", "alice"}, {"PASSWORD", "Wr0ng-password"}}),
        "NotAuthorizedException",
        "Incorrect username or password."
    );
}

TEST_F(password_sign_in_checks, the_password_of_another_user_is_refused)
{
    make_user("bob").with_password("B0b-password").insert(f_, pool_);
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        initiate({{"USERNAME", "alice"}, {"PASSWORD", "B0b-password"}}),
        "NotAuthorizedException",
        "Incorrect username or password."
    );
}

TEST_F(password_sign_in_checks, an_unknown_user_is_reported_missing_by_a_legacy_client)
{
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        initiate({{"USERNAME", "mallory"}, {"PASSWORD", password}}),
        "UserNotFoundException",
        "User does not exist."
    );
}

TEST_F(password_sign_in_checks, an_explicitly_legacy_client_reports_an_unknown_user_missing)
{
    auto const legacy =
        make_client().with("PreventUserExistenceErrors", "LEGACY").insert(f_, pool_);
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        (json{
            {"AuthFlow", "USER_PASSWORD_AUTH"},
            {"ClientId", legacy.id},
            {"AuthParameters", {{"USERNAME", "mallory"}, {"PASSWORD", password}}}}),
        "UserNotFoundException",
        "User does not exist."
    );
}

TEST_F(
    password_sign_in_checks,
    an_unknown_user_looks_like_a_wrong_password_when_existence_errors_are_prevented
)
{
    auto const guarded =
        make_client().with("PreventUserExistenceErrors", "ENABLED").insert(f_, pool_);
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        (json{
            {"AuthFlow", "USER_PASSWORD_AUTH"},
            {"ClientId", guarded.id},
            {"AuthParameters", {{"USERNAME", "mallory"}, {"PASSWORD", password}}}}),
        "NotAuthorizedException",
        "Incorrect username or password."
    );
}

TEST_F(password_sign_in_checks, a_disabled_user_is_refused)
{
    f_.call("AdminDisableUser", {{"UserPoolId", pool_}, {"Username", "alice"}});
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        initiate({{"USERNAME", "alice"}, {"PASSWORD", password}}),
        "NotAuthorizedException",
        "User is disabled."
    );
}

TEST_F(password_sign_in_checks, an_unconfirmed_user_is_refused)
{
    {
        auto writer = f_.store.write();
        auto user = writer->find_user_by_id(alice_.id);
        ASSERT_TRUE(user);
        user->status = "UNCONFIRMED";
        writer->update_user(*user);
    }
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        initiate({{"USERNAME", "alice"}, {"PASSWORD", password}}),
        "UserNotConfirmedException",
        "User is not confirmed."
    );
}

TEST_F(password_sign_in_checks, a_refused_sign_in_creates_no_session)
{
    f_.error_of("InitiateAuth", initiate({{"USERNAME", "alice"}, {"PASSWORD", "Wr0ng-password"}}));
    auto const reader = f_.store.read();
    cognitod::storage::statement count{reader->db().handle(), "SELECT count(*) FROM auth_sessions"};
    count.step();
    EXPECT_EQ(count.column_int64(0), 0);
}

TEST_F(
    password_sign_in_checks,
    srp_for_an_unknown_user_answers_a_challenge_and_fails_at_the_answer_when_existence_is_hidden
)
{
    auto const guarded = make_client()
                             .with("PreventUserExistenceErrors", "ENABLED")
                             .with_flows({"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"})
                             .insert(f_, pool_);
    json const start{
        {"AuthFlow", "USER_SRP_AUTH"},
        {"ClientId", guarded.id},
        {"AuthParameters", {{"USERNAME", "mallory"}, {"SRP_A", "02"}}}};
    auto const first = f_.call("InitiateAuth", start);
    auto const second = f_.call("InitiateAuth", start);
    EXPECT_EQ(first.at("ChallengeName"), "PASSWORD_VERIFIER");
    auto const& parameters = first.at("ChallengeParameters");
    EXPECT_EQ(parameters.at("USER_ID_FOR_SRP"), "mallory");
    EXPECT_EQ(parameters.at("USERNAME"), "mallory");
    // A real user's salt stays the same from one sign-in to the next; so does this one's.
    EXPECT_EQ(parameters.at("SALT"), second.at("ChallengeParameters").at("SALT"));
    EXPECT_NE(parameters.at("SECRET_BLOCK"), second.at("ChallengeParameters").at("SECRET_BLOCK"));
    EXPECT_EQ(
        parameters.at("SECRET_BLOCK").get<std::string>().size(),
        f_.call(
              "InitiateAuth",
              {{"AuthFlow", "USER_SRP_AUTH"},
               {"ClientId", guarded.id},
               {"AuthParameters", {{"USERNAME", "alice"}, {"SRP_A", "02"}}}}
        )
            .at("ChallengeParameters")
            .at("SECRET_BLOCK")
            .get<std::string>()
            .size()
    );
    EXPECT_AWS_ERROR(
        f_,
        "RespondToAuthChallenge",
        (json{
            {"ChallengeName", "PASSWORD_VERIFIER"},
            {"ClientId", guarded.id},
            {"ChallengeResponses",
             {{"USERNAME", "mallory"},
              {"PASSWORD_CLAIM_SECRET_BLOCK", parameters.at("SECRET_BLOCK")},
              {"PASSWORD_CLAIM_SIGNATURE", "c2lnbmF0dXJl"},
              {"TIMESTAMP", "Tue May 7 16:52:22 UTC 2024"}}}}),
        "NotAuthorizedException",
        "Incorrect username or password."
    );
    // Without the setting, the start says the user does not exist.
    auto const legacy = make_client()
                            .with_flows({"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"})
                            .insert(f_, pool_);
    auto plain = start;
    plain["ClientId"] = legacy.id;
    EXPECT_AWS_ERROR(f_, "InitiateAuth", plain, "UserNotFoundException", "User does not exist.");
}
