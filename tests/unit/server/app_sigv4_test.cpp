// app::handle with --auth sigv4: which operations need a signature, and what the refusals are.
#include "unit/server/app_fixture.hpp"

#include <gtest/gtest.h>

namespace
{

using namespace cognitod::testing;
namespace sigv4 = cognitod::auth::sigv4;

class app_sigv4 : public ::testing::Test
{
protected:
    fixture f_;
    logger log_{log_level::error};
    sigv4::credential_set keys_ = sigv4::parse_credentials(
        R"({"Credentials":[{"AccessKeyId":"AKIDADMIN","SecretAccessKey":"admin-secret"},)"
        R"({"AccessKeyId":"AKIDREADER","SecretAccessKey":"reader-secret","Name":"reader",)"
        R"("AllowedOperations":["ListUserPools"]}]})"
    );
    app app_{[this]
             {
                 auto services = services_of(f_, log_);
                 services.credentials = &keys_;
                 return services;
             }()};

    request call(std::string const& operation, json const& body, char const* key = nullptr) const
    {
        auto req = aws_request(operation, body.dump());
        if (key != nullptr)
        {
            sigv4::sign(req, *keys_.find(key), "us-east-1", "cognito-idp", f_.time.now / 1000);
        }
        return req;
    }

    json answer(request const& req) const
    {
        return json::parse(app_.handle(req, "192.0.2.1").body());
    }
};

} // namespace

TEST_F(app_sigv4, accepts_a_signed_admin_call)
{
    auto const out = answer(call("CreateUserPool", {{"PoolName", "signed"}}, "AKIDADMIN"));
    EXPECT_EQ(out.at("UserPool").at("Name"), "signed");
}

TEST_F(app_sigv4, refuses_an_unsigned_admin_call_before_touching_the_store)
{
    auto const out = answer(call("CreateUserPool", {{"PoolName", "unsigned"}}));
    EXPECT_EQ(out.at("__type"), "MissingAuthenticationTokenException");
    EXPECT_EQ(out.at("message"), "Missing Authentication Token");
    EXPECT_TRUE(f_.call("ListUserPools", {{"MaxResults", 10}}).at("UserPools").empty());
}

TEST_F(app_sigv4, exempts_the_operations_aws_leaves_unsigned)
{
    // InitiateAuth is authtype none: it reaches the handler, which finds no such client.
    auto const out = answer(call(
        "InitiateAuth",
        {{"ClientId", "nosuchclient0000000000000"},
         {"AuthFlow", "USER_PASSWORD_AUTH"},
         {"AuthParameters", {{"USERNAME", "a"}, {"PASSWORD", "b"}}}}
    ));
    EXPECT_EQ(out.at("__type"), "ResourceNotFoundException");
}

TEST_F(app_sigv4, names_the_pool_arn_when_a_key_may_not_call_the_operation)
{
    auto const pool = make_pool().insert(f_);
    EXPECT_TRUE(
        answer(call("ListUserPools", {{"MaxResults", 1}}, "AKIDREADER")).contains("UserPools")
    );
    auto const out = answer(call("DeleteUserPool", {{"UserPoolId", pool}}, "AKIDREADER"));
    EXPECT_EQ(out.at("__type"), "AccessDeniedException");
    EXPECT_EQ(
        out.at("message"),
        "User: arn:aws:iam::123456789012:user/reader is not authorized to perform: "
        "cognito-idp:DeleteUserPool on resource: "
        "arn:aws:cognito-idp:us-east-1:123456789012:userpool/" +
            pool + " because no identity-based policy allows the cognito-idp:DeleteUserPool action"
    );
    EXPECT_NO_THROW(f_.call("DescribeUserPool", {{"UserPoolId", pool}}));
}

// With signatures checked, a page on any site calls what its credentials allow, as on AWS.
TEST_F(app_sigv4, takes_a_signed_admin_call_from_a_page_on_any_site)
{
    auto req = call("CreateUserPool", {{"PoolName", "from-a-page"}}, nullptr);
    req.set(http::field::origin, "https://admin.example");
    sigv4::sign(req, *keys_.find("AKIDADMIN"), "us-east-1", "cognito-idp", f_.time.now / 1000);
    auto const res = app_.handle(req, "192.0.2.1");
    EXPECT_EQ(json::parse(res.body()).at("UserPool").at("Name"), "from-a-page") << res.body();
    EXPECT_EQ(res[http::field::access_control_allow_origin], "*");
}
