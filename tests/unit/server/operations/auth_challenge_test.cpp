// RespondToAuthChallenge and AdminRespondToAuthChallenge answering NEW_PASSWORD_REQUIRED.
#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace
{

using namespace cognitod::testing;

constexpr char const* temporary = "Temp0rary!";
constexpr char const* chosen = "Ch0sen-password";

std::set<std::string> keys_of(json const& object)
{
    std::set<std::string> keys;
    for (auto const& [key, value] : object.items())
    {
        keys.insert(key);
    }
    return keys;
}

// bob has a temporary password; session_ is his NEW_PASSWORD_REQUIRED challenge.
class new_password_challenge : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().insert(f_);
    created_client client_ = make_client().insert(f_, pool_);
    created_user bob_ = make_user("bob")
                            .with_email("bob@example.com", true)
                            .with_temporary_password(temporary)
                            .insert(f_, pool_);
    std::string session_ = start(client_, "bob");

    std::string start(created_client const& client, std::string const& username) const
    {
        return password_auth(f_, client, username, temporary).at("Session").get<std::string>();
    }

    json answer(
        std::string const& session,
        json responses = json::object(),
        created_client const* client = nullptr
    ) const
    {
        responses.emplace("USERNAME", "bob");
        responses.emplace("NEW_PASSWORD", chosen);
        return {
            {"ClientId", (client != nullptr ? *client : client_).id},
            {"ChallengeName", "NEW_PASSWORD_REQUIRED"},
            {"Session", session},
            {"ChallengeResponses", responses}};
    }

    std::string status_of(std::string const& username) const
    {
        return f_.call("AdminGetUser", {{"UserPoolId", pool_}, {"Username", username}})
            .at("UserStatus")
            .get<std::string>();
    }
};

} // namespace

// Starting the challenge: a sign-in with the temporary password

TEST_F(new_password_challenge, a_temporary_password_sign_in_gets_the_challenge)
{
    auto const response = password_auth(f_, client_, "bob", temporary);
    EXPECT_EQ(response.at("ChallengeName"), "NEW_PASSWORD_REQUIRED");
    EXPECT_FALSE(response.at("Session").get<std::string>().empty());
    EXPECT_FALSE(response.contains("AuthenticationResult"));
    EXPECT_EQ(
        keys_of(response.at("ChallengeParameters")),
        (std::set<std::string>{"USER_ID_FOR_SRP", "requiredAttributes", "userAttributes"})
    );
}

TEST_F(new_password_challenge, each_sign_in_gets_its_own_session)
{
    EXPECT_NE(password_auth(f_, client_, "bob", temporary).at("Session"), session_);
}

TEST_F(new_password_challenge, user_id_for_srp_is_the_username)
{
    auto const parameters = password_auth(f_, client_, "bob", temporary).at("ChallengeParameters");
    EXPECT_EQ(parameters.at("USER_ID_FOR_SRP"), "bob");
}

TEST_F(new_password_challenge, user_id_for_srp_is_the_sub_in_an_email_username_pool)
{
    auto const pool = make_pool().named("by-email").with_email_username().insert(f_);
    auto const client = make_client().insert(f_, pool);
    auto const erin =
        make_user("erin@example.com").with_temporary_password(temporary).insert(f_, pool);
    auto const parameters =
        password_auth(f_, client, "erin@example.com", temporary).at("ChallengeParameters");
    EXPECT_EQ(parameters.at("USER_ID_FOR_SRP"), erin.sub);
}

TEST_F(new_password_challenge, user_attributes_are_a_json_string_of_strings_without_sub)
{
    auto const parameters = password_auth(f_, client_, "bob", temporary).at("ChallengeParameters");
    ASSERT_TRUE(parameters.at("userAttributes").is_string());
    EXPECT_EQ(
        json::parse(parameters.at("userAttributes").get<std::string>()),
        (json{{"email", "bob@example.com"}, {"email_verified", "true"}})
    );
}

TEST_F(new_password_challenge, required_attributes_are_empty_when_the_user_has_them_all)
{
    auto const parameters = password_auth(f_, client_, "bob", temporary).at("ChallengeParameters");
    EXPECT_EQ(parameters.at("requiredAttributes"), "[]");
}

TEST_F(new_password_challenge, required_attributes_list_what_the_user_lacks)
{
    auto const pool = make_pool().named("strict").requiring("name").insert(f_);
    auto const client = make_client().insert(f_, pool);
    make_user("bob").with_temporary_password(temporary).insert(f_, pool);
    auto const parameters = password_auth(f_, client, "bob", temporary).at("ChallengeParameters");
    EXPECT_EQ(parameters.at("requiredAttributes"), R"(["userAttributes.name"])");
}

TEST_F(new_password_challenge, a_wrong_temporary_password_gets_no_challenge)
{
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        (json{
            {"AuthFlow", "USER_PASSWORD_AUTH"},
            {"ClientId", client_.id},
            {"AuthParameters", {{"USERNAME", "bob"}, {"PASSWORD", "Wr0ng-password"}}}}),
        "NotAuthorizedException",
        "Incorrect username or password."
    );
}

// Answering it

TEST_F(new_password_challenge, a_new_password_signs_the_user_in)
{
    auto const response = f_.call("RespondToAuthChallenge", answer(session_));
    EXPECT_EQ(response.at("ChallengeParameters"), json::object());
    auto const& result = response.at("AuthenticationResult");
    EXPECT_EQ(claims_of(result.at("AccessToken")).at("username"), "bob");
    EXPECT_TRUE(result.contains("RefreshToken"));
    EXPECT_TRUE(result.contains("IdToken"));
}

TEST_F(new_password_challenge, the_answer_confirms_the_user)
{
    ASSERT_EQ(status_of("bob"), "FORCE_CHANGE_PASSWORD");
    f_.call("RespondToAuthChallenge", answer(session_));
    EXPECT_EQ(status_of("bob"), "CONFIRMED");
}

TEST_F(new_password_challenge, the_new_password_replaces_the_temporary_one)
{
    f_.call("RespondToAuthChallenge", answer(session_));
    EXPECT_TRUE(sign_in(f_, client_, "bob", chosen).contains("AccessToken"));
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        password_auth_input(client_, "bob", temporary),
        "NotAuthorizedException",
        "Incorrect username or password."
    );
}

TEST_F(new_password_challenge, admin_respond_to_auth_challenge_answers_it_too)
{
    auto input = answer(session_);
    input["UserPoolId"] = pool_;
    auto const response = f_.call("AdminRespondToAuthChallenge", input);
    EXPECT_TRUE(response.at("AuthenticationResult").contains("AccessToken"));
}

TEST_F(new_password_challenge, a_weak_password_is_refused_with_the_policys_reason)
{
    EXPECT_AWS_ERROR(
        f_,
        "RespondToAuthChallenge",
        answer(session_, {{"NEW_PASSWORD", "short"}}),
        "InvalidPasswordException",
        "Password does not conform to policy: Password not long enough"
    );
}

TEST_F(new_password_challenge, a_refused_weak_password_leaves_the_session_usable)
{
    f_.error_of("RespondToAuthChallenge", answer(session_, {{"NEW_PASSWORD", "short"}}));
    EXPECT_EQ(status_of("bob"), "FORCE_CHANGE_PASSWORD");
    EXPECT_TRUE(f_.call("RespondToAuthChallenge", answer(session_)).contains("AuthenticationResult")
    );
}

TEST_F(new_password_challenge, the_new_password_is_required)
{
    auto input = answer(session_);
    input["ChallengeResponses"].erase("NEW_PASSWORD");
    EXPECT_AWS_ERROR(
        f_,
        "RespondToAuthChallenge",
        input,
        "InvalidParameterException",
        "Missing required parameter NEW_PASSWORD"
    );
}

TEST_F(new_password_challenge, the_username_is_required)
{
    auto input = answer(session_);
    input["ChallengeResponses"].erase("USERNAME");
    EXPECT_AWS_ERROR(
        f_,
        "RespondToAuthChallenge",
        input,
        "InvalidParameterException",
        "Missing required parameter USERNAME"
    );
}

TEST_F(new_password_challenge, an_unknown_session_is_invalid)
{
    EXPECT_AWS_ERROR(
        f_,
        "RespondToAuthChallenge",
        answer("AYABeNotARealSession"),
        "NotAuthorizedException",
        "Invalid session for the user."
    );
}

TEST_F(new_password_challenge, a_missing_session_is_invalid)
{
    auto input = answer(session_);
    input.erase("Session");
    EXPECT_AWS_ERROR(
        f_,
        "RespondToAuthChallenge",
        input,
        "NotAuthorizedException",
        "Invalid session for the user."
    );
}

TEST_F(new_password_challenge, a_session_answered_for_another_user_is_invalid)
{
    make_user("carol").with_password("C4rol-password").insert(f_, pool_);
    EXPECT_AWS_ERROR(
        f_,
        "RespondToAuthChallenge",
        answer(session_, {{"USERNAME", "carol"}}),
        "NotAuthorizedException",
        "Invalid session for the user."
    );
}

TEST_F(new_password_challenge, a_session_answered_through_another_client_is_invalid)
{
    auto const other = make_client().insert(f_, pool_);
    EXPECT_AWS_ERROR(
        f_,
        "RespondToAuthChallenge",
        answer(session_, json::object(), &other),
        "NotAuthorizedException",
        "Invalid session for the user."
    );
}

TEST_F(new_password_challenge, a_session_answered_as_another_challenge_is_invalid)
{
    auto input = answer(session_);
    input["ChallengeName"] = "SMS_MFA";
    EXPECT_AWS_ERROR(
        f_,
        "RespondToAuthChallenge",
        input,
        "NotAuthorizedException",
        "Invalid session for the user."
    );
}

TEST_F(new_password_challenge, a_session_serves_until_its_three_minutes_are_up)
{
    f_.time.now = t0 + 3 * 60'000;
    EXPECT_TRUE(f_.call("RespondToAuthChallenge", answer(session_)).contains("AuthenticationResult")
    );
}

TEST_F(new_password_challenge, a_session_older_than_three_minutes_has_expired)
{
    f_.time.now = t0 + 3 * 60'000 + 1;
    EXPECT_AWS_ERROR(
        f_,
        "RespondToAuthChallenge",
        answer(session_),
        "NotAuthorizedException",
        "Invalid session for the user, session is expired."
    );
}

TEST_F(new_password_challenge, the_clients_auth_session_validity_sets_the_session_lifetime)
{
    auto const patient = make_client().with("AuthSessionValidity", 10).insert(f_, pool_);
    auto const session = start(patient, "bob");
    f_.time.now = t0 + 9 * 60'000;
    EXPECT_TRUE(f_.call("RespondToAuthChallenge", answer(session, json::object(), &patient))
                    .contains("AuthenticationResult"));
}

TEST_F(new_password_challenge, a_session_serves_only_once)
{
    f_.call("RespondToAuthChallenge", answer(session_));
    EXPECT_AWS_ERROR(
        f_,
        "RespondToAuthChallenge",
        answer(session_, {{"NEW_PASSWORD", "An0ther-password"}}),
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once."
    );
}

TEST_F(new_password_challenge, a_second_answer_does_not_change_the_password)
{
    f_.call("RespondToAuthChallenge", answer(session_));
    f_.error_of("RespondToAuthChallenge", answer(session_, {{"NEW_PASSWORD", "An0ther-password"}}));
    EXPECT_TRUE(sign_in(f_, client_, "bob", chosen).contains("AccessToken"));
}

TEST_F(new_password_challenge, a_missing_required_attribute_must_be_answered)
{
    auto const pool = make_pool().named("strict").requiring("name").insert(f_);
    auto const client = make_client().insert(f_, pool);
    make_user("bob").with_temporary_password(temporary).insert(f_, pool);
    auto const session = start(client, "bob");
    EXPECT_AWS_ERROR(
        f_,
        "RespondToAuthChallenge",
        answer(session, json::object(), &client),
        "InvalidParameterException",
        "Invalid attributes given, name is missing"
    );
}

TEST_F(new_password_challenge, answered_user_attributes_are_stored)
{
    auto const pool = make_pool().named("strict").requiring("name").insert(f_);
    auto const client = make_client().insert(f_, pool);
    make_user("bob").with_temporary_password(temporary).insert(f_, pool);
    auto const session = start(client, "bob");
    f_.call(
        "RespondToAuthChallenge", answer(session, {{"userAttributes.name", "Bob Example"}}, &client)
    );
    auto const user = f_.call("AdminGetUser", {{"UserPoolId", pool}, {"Username", "bob"}});
    EXPECT_EQ(attribute_in(user.at("UserAttributes"), "name"), "Bob Example");
    EXPECT_EQ(user.at("UserStatus"), "CONFIRMED");
}

TEST_F(new_password_challenge, a_client_with_a_secret_needs_secret_hash_in_the_answer)
{
    auto const secret_client = make_client().with_secret().insert(f_, pool_);
    auto const session =
        password_auth(
            f_,
            secret_client,
            "bob",
            temporary,
            {{"SECRET_HASH", secret_hash_for(secret_client.secret, "bob", secret_client.id)}}
        )
            .at("Session")
            .get<std::string>();
    EXPECT_AWS_ERROR(
        f_,
        "RespondToAuthChallenge",
        answer(session, json::object(), &secret_client),
        "NotAuthorizedException",
        "Client " + secret_client.id + " is configured with secret but SECRET_HASH was not received"
    );
    auto const hash = secret_hash_for(secret_client.secret, "bob", secret_client.id);
    EXPECT_TRUE(
        f_.call("RespondToAuthChallenge", answer(session, {{"SECRET_HASH", hash}}, &secret_client))
            .contains("AuthenticationResult")
    );
}

TEST_F(new_password_challenge, the_answer_brings_new_device_metadata_when_the_pool_tracks_devices)
{
    auto const pool = make_pool().named("tracked").with_device_tracking().insert(f_);
    auto const client = make_client().insert(f_, pool);
    make_user("bob").with_temporary_password(temporary).insert(f_, pool);
    auto const session = start(client, "bob");
    auto const result = f_.call("RespondToAuthChallenge", answer(session, json::object(), &client))
                            .at("AuthenticationResult");
    ASSERT_TRUE(result.contains("NewDeviceMetadata"));
    EXPECT_EQ(
        claims_of(result.at("AccessToken")).at("device_key"),
        result.at("NewDeviceMetadata").at("DeviceKey")
    );
}

TEST_F(new_password_challenge, a_user_disabled_during_the_challenge_cannot_answer_it)
{
    f_.call("AdminDisableUser", {{"UserPoolId", pool_}, {"Username", "bob"}});
    EXPECT_AWS_ERROR(
        f_,
        "RespondToAuthChallenge",
        answer(session_),
        "NotAuthorizedException",
        "User is disabled."
    );
}
