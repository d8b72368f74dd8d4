// The pool's jwks.json and openid-configuration documents.
#include "server/operations/sign_in/sign_in.hpp"
#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace
{

using namespace cognitod::testing;

class discovery : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().insert(f_);

    json jwks(std::string const& pool_id) const
    {
        return f_.calls.run(cognitod::access::write, f_.info, &cognitod::jwks_document, pool_id);
    }

    json openid(std::string const& pool_id) const
    {
        return f_.calls.run(
            cognitod::access::write, f_.info, &cognitod::openid_configuration, pool_id
        );
    }

    std::set<std::string> kids(std::string const& pool_id) const
    {
        auto const document = jwks(pool_id);
        std::set<std::string> out;
        for (auto const& key : document.at("keys"))
        {
            out.insert(key.at("kid").get<std::string>());
        }
        return out;
    }
};

std::string header_kid(std::string const& token)
{
    auto const decoded = cognitod::auth::decode_jwt(token);
    return decoded ? decoded->header.value("kid", "") : "";
}

} // namespace

TEST_F(discovery, jwks_holds_two_rsa_signing_keys)
{
    auto const keys = jwks(pool_).at("keys");
    ASSERT_EQ(keys.size(), 2U);
    for (auto const& key : keys)
    {
        EXPECT_EQ(key.at("alg"), "RS256");
        EXPECT_EQ(key.at("kty"), "RSA");
        EXPECT_EQ(key.at("use"), "sig");
        EXPECT_EQ(key.at("e"), "AQAB");
        EXPECT_EQ(key.at("n").get<std::string>().size(), 342U);
    }
    EXPECT_NE(keys.at(0).at("kid"), keys.at(1).at("kid"));
}

TEST_F(discovery, jwks_keys_stay_the_same_between_requests)
{
    EXPECT_EQ(jwks(pool_), jwks(pool_));
}

TEST_F(discovery, each_pool_has_its_own_keys)
{
    auto const other = make_pool().named("other").insert(f_);
    auto const mine = kids(pool_);
    for (auto const& kid : kids(other))
    {
        EXPECT_FALSE(mine.contains(kid)) << kid;
    }
}

TEST_F(discovery, tokens_are_signed_with_the_published_keys_one_for_each_kind)
{
    auto const client = make_client().insert(f_, pool_);
    make_user("alice").with_password("Passw0rd!").insert(f_, pool_);
    auto const result = sign_in(f_, client, "alice", "Passw0rd!");
    auto const access_kid = header_kid(result.at("AccessToken"));
    auto const id_kid = header_kid(result.at("IdToken"));
    EXPECT_NE(access_kid, id_kid);
    EXPECT_EQ(kids(pool_), (std::set<std::string>{access_kid, id_kid}));
}

TEST_F(discovery, keys_published_before_the_first_sign_in_sign_its_tokens)
{
    auto const published = kids(pool_);
    auto const client = make_client().insert(f_, pool_);
    make_user("alice").with_password("Passw0rd!").insert(f_, pool_);
    auto const result = sign_in(f_, client, "alice", "Passw0rd!");
    EXPECT_TRUE(published.contains(header_kid(result.at("AccessToken"))));
    EXPECT_TRUE(published.contains(header_kid(result.at("IdToken"))));
}

TEST_F(discovery, jwks_of_an_unknown_pool_is_not_found)
{
    try
    {
        jwks("us-east-1_AAAAAAAAA");
        ADD_FAILURE() << "jwks_document succeeded";
    }
    catch (cognitod::aws_error const& e)
    {
        EXPECT_EQ(e.code(), "ResourceNotFoundException");
        EXPECT_EQ(e.status(), 404U);
        EXPECT_EQ(std::string{e.what()}, "User pool us-east-1_AAAAAAAAA does not exist.");
    }
}

TEST_F(discovery, openid_configuration_names_the_issuer_and_its_jwks)
{
    auto const document = openid(pool_);
    EXPECT_EQ(document.at("issuer"), "http://cognitod.test/" + pool_);
    EXPECT_EQ(document.at("jwks_uri"), "http://cognitod.test/" + pool_ + "/.well-known/jwks.json");
    EXPECT_EQ(document.at("id_token_signing_alg_values_supported"), json::array({"RS256"}));
    EXPECT_EQ(document.at("subject_types_supported"), json::array({"public"}));
}

TEST_F(discovery, openid_configuration_issuer_is_the_tokens_iss)
{
    auto const client = make_client().insert(f_, pool_);
    make_user("alice").with_password("Passw0rd!").insert(f_, pool_);
    auto const token = sign_in(f_, client, "alice", "Passw0rd!").at("AccessToken");
    EXPECT_EQ(claims_of(token).at("iss"), openid(pool_).at("issuer"));
}

TEST_F(discovery, openid_configuration_of_an_unknown_pool_is_not_found)
{
    EXPECT_THROW(openid("us-east-1_AAAAAAAAA"), cognitod::aws_error);
}
