#include "server/unsigned_tokens.hpp"

#include <gtest/gtest.h>

namespace cognitod
{
namespace
{

auth::rsa_key const& test_key()
{
    static auth::rsa_key const key = auth::rsa_key::generate();
    return key;
}

TEST(unsigned_tokens, gives_a_stand_in_that_is_the_signing_input_and_an_empty_signature)
{
    unsigned_tokens tokens;
    nlohmann::ordered_json const payload{{"sub", "abc"}, {"token_use", "id"}};
    auto const stand_in = tokens.add(test_key(), payload);
    EXPECT_EQ(stand_in, auth::jwt_signing_input(test_key(), payload) + ".");
    EXPECT_FALSE(tokens.empty());
}

TEST(unsigned_tokens, signs_each_stand_in_where_the_answer_holds_it)
{
    unsigned_tokens tokens;
    auto const access = tokens.add(test_key(), {{"token_use", "access"}, {"jti", "1"}});
    auto const id = tokens.add(test_key(), {{"token_use", "id"}, {"jti", "2"}});
    nlohmann::json answer{
        {"AuthenticationResult", {{"AccessToken", access}, {"IdToken", id}, {"ExpiresIn", 3600}}},
        {"List", {access, "other"}},
    };

    EXPECT_EQ(tokens.sign_into(answer), 3U);

    auto const signed_access = answer["AuthenticationResult"]["AccessToken"].get<std::string>();
    auto const signed_id = answer["AuthenticationResult"]["IdToken"].get<std::string>();
    EXPECT_EQ(signed_access, auth::encode_jwt(test_key(), {{"token_use", "access"}, {"jti", "1"}}));
    EXPECT_EQ(signed_id, auth::encode_jwt(test_key(), {{"token_use", "id"}, {"jti", "2"}}));
    EXPECT_EQ(answer["List"][0], signed_access);
    EXPECT_EQ(answer["List"][1], "other");
    EXPECT_EQ(answer["AuthenticationResult"]["ExpiresIn"], 3600);
    auto const decoded = auth::decode_jwt(signed_access);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_TRUE(test_key().verify(decoded->signing_input, decoded->signature));
}

TEST(unsigned_tokens, leaves_strings_that_only_contain_a_stand_in_alone)
{
    unsigned_tokens tokens;
    auto const stand_in = tokens.add(test_key(), {{"jti", "3"}});
    nlohmann::json answer{{"Longer", stand_in + "x"}, {"Shorter", stand_in.substr(1)}};
    auto const before = answer;

    EXPECT_EQ(tokens.sign_into(answer), 0U);
    EXPECT_EQ(answer, before);
}

TEST(unsigned_tokens, with_none_added_changes_nothing)
{
    unsigned_tokens const tokens;
    nlohmann::json answer{{"UserPool", {{"Id", "us-east-1_abc"}}}};
    EXPECT_TRUE(tokens.empty());
    EXPECT_EQ(tokens.sign_into(answer), 0U);
    EXPECT_EQ(answer, (nlohmann::json{{"UserPool", {{"Id", "us-east-1_abc"}}}}));
}

} // namespace
} // namespace cognitod
