// User pool domains and resource servers.
#include "server/auth/encoding.hpp"
#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <string>

namespace
{

using namespace cognitod::testing;

constexpr char const* certificate = "arn:aws:acm:us-east-1:123456789012:certificate/abc";

class domains : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().insert(f_);

    json create(std::string const& domain, json extra = json::object())
    {
        extra["Domain"] = domain;
        extra["UserPoolId"] = pool_;
        return f_.call("CreateUserPoolDomain", extra);
    }

    json describe(std::string const& domain)
    {
        return f_.call("DescribeUserPoolDomain", {{"Domain", domain}}).at("DomainDescription");
    }

    json pool() { return f_.call("DescribeUserPool", {{"UserPoolId", pool_}}).at("UserPool"); }
};

TEST_F(domains, a_prefix_domain_is_described_and_named_by_its_pool)
{
    EXPECT_EQ(create("my-login"), (json{{"ManagedLoginVersion", 1}}));
    auto const d = describe("my-login");
    EXPECT_EQ(d.at("UserPoolId"), pool_);
    EXPECT_EQ(d.at("AWSAccountId"), "123456789012");
    EXPECT_EQ(d.at("Domain"), "my-login");
    EXPECT_EQ(d.at("Status"), "ACTIVE");
    EXPECT_EQ(d.at("S3Bucket"), "aws-cognito-prod-us-east-1-assets");
    EXPECT_TRUE(d.at("CloudFrontDistribution").get<std::string>().ends_with(".cloudfront.net"));
    EXPECT_EQ(d.at("ManagedLoginVersion"), 1);
    EXPECT_FALSE(d.contains("CustomDomainConfig"));
    EXPECT_EQ(pool().at("Domain"), "my-login");
    EXPECT_FALSE(pool().contains("CustomDomain"));
}

TEST_F(domains, an_unknown_domain_is_an_empty_description)
{
    EXPECT_EQ(
        f_.call("DescribeUserPoolDomain", {{"Domain", "nobody-here"}}),
        (json{{"DomainDescription", json::object()}})
    );
}

TEST_F(domains, a_custom_domain_is_recorded_beside_the_prefix_domain)
{
    create("my-login");
    auto const out = create(
        "auth.example.com",
        {{"CustomDomainConfig", {{"CertificateArn", certificate}}}, {"ManagedLoginVersion", 2}}
    );
    EXPECT_EQ(out.at("ManagedLoginVersion"), 2);
    auto const cloudfront = out.at("CloudFrontDomain").get<std::string>();
    EXPECT_TRUE(cloudfront.starts_with("d") && cloudfront.ends_with(".cloudfront.net"));
    auto const d = describe("auth.example.com");
    EXPECT_EQ(d.at("CustomDomainConfig"), (json{{"CertificateArn", certificate}}));
    EXPECT_EQ(d.at("CloudFrontDistribution"), cloudfront);
    EXPECT_EQ(pool().at("Domain"), "my-login");
    EXPECT_EQ(pool().at("CustomDomain"), "auth.example.com");
}

TEST_F(domains, refuses_a_bad_prefix_a_reserved_word_and_a_bare_custom_name)
{
    for (auto const* bad : {"My-Login", "-login", "login-", "my_login", "a.b"})
    {
        SCOPED_TRACE(bad);
        EXPECT_AWS_ERROR(
            f_,
            "CreateUserPoolDomain",
            (json{{"Domain", bad}, {"UserPoolId", pool_}}),
            "InvalidParameterException",
            "The domain name contains an invalid character. Domain names can only contain "
            "lower-case letters, numbers, and hyphens. Please enter a different name that "
            R"(follows this format: ^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$)"
        );
    }
    for (std::string const word : {"aws", "amazon", "cognito"})
    {
        EXPECT_AWS_ERROR(
            f_,
            "CreateUserPoolDomain",
            (json{{"Domain", "my-" + word + "-login"}, {"UserPoolId", pool_}}),
            "InvalidParameterException",
            "Domain cannot contain reserved word: " + word
        );
    }
    EXPECT_AWS_ERROR(
        f_,
        "CreateUserPoolDomain",
        (json{
            {"Domain", "localhost"},
            {"UserPoolId", pool_},
            {"CustomDomainConfig", {{"CertificateArn", certificate}}}}),
        "InvalidParameterException",
        "The custom domain must be a fully qualified domain name, such as auth.example.com."
    );
    EXPECT_AWS_ERROR(
        f_,
        "CreateUserPoolDomain",
        (json{{"Domain", "my-login"}, {"UserPoolId", pool_}, {"ManagedLoginVersion", 3}}),
        "InvalidParameterException",
        "ManagedLoginVersion must be 1 or 2."
    );
    EXPECT_FALSE(pool().contains("Domain"));
}

TEST_F(domains, a_domain_names_one_pool_and_a_pool_has_one_prefix_domain)
{
    create("my-login");
    auto const other = make_pool().insert(f_);
    EXPECT_AWS_ERROR(
        f_,
        "CreateUserPoolDomain",
        (json{{"Domain", "my-login"}, {"UserPoolId", other}}),
        "InvalidParameterException",
        "Domain already associated with another user pool."
    );
    EXPECT_AWS_ERROR(
        f_,
        "CreateUserPoolDomain",
        (json{{"Domain", "second-login"}, {"UserPoolId", pool_}}),
        "InvalidParameterException",
        "User pool already has a domain configured."
    );
    EXPECT_AWS_ERROR(
        f_,
        "CreateUserPoolDomain",
        (json{{"Domain", "my-login"}, {"UserPoolId", "us-east-1_missing00"}}),
        "ResourceNotFoundException",
        "User pool us-east-1_missing00 does not exist."
    );
}

TEST_F(domains, update_changes_the_version_and_a_custom_domains_certificate)
{
    create("my-login");
    create("auth.example.com", {{"CustomDomainConfig", {{"CertificateArn", certificate}}}});
    EXPECT_EQ(
        f_.call(
            "UpdateUserPoolDomain",
            {{"Domain", "my-login"}, {"UserPoolId", pool_}, {"ManagedLoginVersion", 2}}
        ),
        (json{{"ManagedLoginVersion", 2}})
    );
    EXPECT_EQ(describe("my-login").at("ManagedLoginVersion"), 2);
    auto const renewed = std::string{certificate} + "-renewed";
    f_.call(
        "UpdateUserPoolDomain",
        {{"Domain", "auth.example.com"},
         {"UserPoolId", pool_},
         {"CustomDomainConfig", {{"CertificateArn", renewed}}}}
    );
    EXPECT_EQ(describe("auth.example.com").at("CustomDomainConfig").at("CertificateArn"), renewed);
    EXPECT_AWS_ERROR(
        f_,
        "UpdateUserPoolDomain",
        (json{
            {"Domain", "my-login"},
            {"UserPoolId", pool_},
            {"CustomDomainConfig", {{"CertificateArn", certificate}}}}),
        "InvalidParameterException",
        "User pool should have a custom domain associated, failed to update the certificate."
    );
    EXPECT_AWS_ERROR(
        f_,
        "UpdateUserPoolDomain",
        (json{{"Domain", "auth.example.com"}, {"UserPoolId", pool_}, {"ManagedLoginVersion", 2}}),
        "InvalidParameterException",
        "Cannot convert custom domain to prefix domain."
    );
    EXPECT_AWS_ERROR(
        f_,
        "UpdateUserPoolDomain",
        (json{{"Domain", "nobody-here"}, {"UserPoolId", pool_}}),
        "InvalidParameterException",
        "No such domain or user pool exists."
    );
}

TEST_F(domains, delete_frees_the_name_for_any_pool)
{
    create("my-login");
    auto const other = make_pool().insert(f_);
    EXPECT_AWS_ERROR(
        f_,
        "DeleteUserPoolDomain",
        (json{{"Domain", "my-login"}, {"UserPoolId", other}}),
        "InvalidParameterException",
        "No such domain or user pool exists."
    );
    EXPECT_EQ(
        f_.call("DeleteUserPoolDomain", {{"Domain", "my-login"}, {"UserPoolId", pool_}}),
        json::object()
    );
    EXPECT_EQ(describe("my-login"), json::object());
    EXPECT_FALSE(pool().contains("Domain"));
    f_.call("CreateUserPoolDomain", {{"Domain", "my-login"}, {"UserPoolId", other}});
    // Deleting a pool deletes its domains.
    f_.call("DeleteUserPool", {{"UserPoolId", other}});
    EXPECT_EQ(create("my-login"), (json{{"ManagedLoginVersion", 1}}));
}

class resource_servers : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().insert(f_);

    json create(std::string const& identifier, json scopes = json::array())
    {
        return f_.call(
            "CreateResourceServer",
            {{"UserPoolId", pool_},
             {"Identifier", identifier},
             {"Name", "api"},
             {"Scopes", std::move(scopes)}}
        );
    }
};

json scope(std::string const& name)
{
    return {{"ScopeName", name}, {"ScopeDescription", "Can " + name}};
}

TEST_F(resource_servers, create_describe_update_and_delete)
{
    auto const made = create("https://api.example.com", {scope("read"), scope("write")});
    json const expected{
        {"UserPoolId", pool_},
        {"Identifier", "https://api.example.com"},
        {"Name", "api"},
        {"Scopes", {scope("read"), scope("write")}}};
    EXPECT_EQ(made, (json{{"ResourceServer", expected}}));
    json const key{{"UserPoolId", pool_}, {"Identifier", "https://api.example.com"}};
    EXPECT_EQ(f_.call("DescribeResourceServer", key).at("ResourceServer"), expected);
    auto update = key;
    update["Name"] = "renamed";
    update["Scopes"] = json::array({scope("admin")});
    auto const updated = f_.call("UpdateResourceServer", update).at("ResourceServer");
    EXPECT_EQ(updated.at("Name"), "renamed");
    EXPECT_EQ(updated.at("Scopes"), json::array({scope("admin")}));
    update.erase("Scopes");
    // Update replaces every scope: none given, none kept.
    EXPECT_EQ(
        f_.call("UpdateResourceServer", update).at("ResourceServer").at("Scopes"), json::array()
    );
    EXPECT_EQ(f_.call("DeleteResourceServer", key), json::object());
    for (auto const* operation : {"DescribeResourceServer", "DeleteResourceServer"})
    {
        EXPECT_AWS_ERROR(
            f_,
            operation,
            key,
            "ResourceNotFoundException",
            "Resource server https://api.example.com does not exist."
        );
    }
    EXPECT_AWS_ERROR(
        f_,
        "UpdateResourceServer",
        update,
        "ResourceNotFoundException",
        "Resource server https://api.example.com does not exist."
    );
}

TEST_F(resource_servers, refuses_a_taken_identifier_a_scope_named_twice_and_the_26th)
{
    create("orders");
    EXPECT_AWS_ERROR(
        f_,
        "CreateResourceServer",
        (json{{"UserPoolId", pool_}, {"Identifier", "orders"}, {"Name", "again"}}),
        "InvalidParameterException",
        "orders already exists in user pool " + pool_ + "."
    );
    EXPECT_AWS_ERROR(
        f_,
        "CreateResourceServer",
        (json{
            {"UserPoolId", pool_},
            {"Identifier", "payments"},
            {"Name", "payments"},
            {"Scopes", {scope("read"), scope("read")}}}),
        "InvalidParameterException",
        "Duplicate scope names are not allowed: read"
    );
    for (int i = 1; i < 25; ++i)
    {
        create("server-" + std::to_string(i));
    }
    EXPECT_AWS_ERROR(
        f_,
        "CreateResourceServer",
        (json{{"UserPoolId", pool_}, {"Identifier", "one-more"}, {"Name", "api"}}),
        "LimitExceededException",
        "A user pool can have at most 25 resource servers."
    );
}

TEST_F(resource_servers, list_pages_in_creation_order)
{
    for (auto const* id : {"first", "second", "third"})
    {
        create(id);
    }
    auto page = f_.call("ListResourceServers", {{"UserPoolId", pool_}, {"MaxResults", 2}});
    ASSERT_EQ(page.at("ResourceServers").size(), 2U);
    EXPECT_EQ(page.at("ResourceServers")[0].at("Identifier"), "first");
    EXPECT_EQ(page.at("ResourceServers")[1].at("Identifier"), "second");
    page = f_.call(
        "ListResourceServers",
        {{"UserPoolId", pool_}, {"MaxResults", 2}, {"NextToken", page.at("NextToken")}}
    );
    ASSERT_EQ(page.at("ResourceServers").size(), 1U);
    EXPECT_EQ(page.at("ResourceServers")[0].at("Identifier"), "third");
    EXPECT_FALSE(page.contains("NextToken"));
    // Each pool has its own: the other pool lists none.
    auto const other = make_pool().insert(f_);
    EXPECT_EQ(
        f_.call("ListResourceServers", {{"UserPoolId", other}, {"MaxResults", 5}}),
        (json{{"ResourceServers", json::array()}})
    );
}

} // namespace

namespace
{

using namespace cognitod::testing;

json oidc_details()
{
    return {
        {"client_id", "corp-app"},
        {"client_secret", "s3cret"},
        {"attributes_request_method", "GET"},
        {"oidc_issuer", "https://idp.example.com"},
        {"authorize_scopes", "openid email"}};
}

class identity_providers : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().insert(f_);

    json create(std::string const& name, std::string const& type, json details, json extra = {})
    {
        json input = extra.is_object() ? extra : json::object();
        input["UserPoolId"] = pool_;
        input["ProviderName"] = name;
        input["ProviderType"] = type;
        input["ProviderDetails"] = std::move(details);
        return f_.call("CreateIdentityProvider", input).at("IdentityProvider");
    }

    json describe(std::string const& name)
    {
        return f_.call(
                     "DescribeIdentityProvider", {{"UserPoolId", pool_}, {"ProviderName", name}}
        ).at("IdentityProvider");
    }
};

TEST_F(identity_providers, an_oidc_provider_is_kept_and_described_with_the_defaults_aws_adds)
{
    auto const made =
        create("corp", "OIDC", oidc_details(), {{"IdpIdentifiers", {"corp.example"}}});
    EXPECT_EQ(made.at("UserPoolId"), pool_);
    EXPECT_EQ(made.at("ProviderType"), "OIDC");
    EXPECT_EQ(made.at("AttributeMapping"), (json{{"username", "sub"}}));
    EXPECT_EQ(made.at("IdpIdentifiers"), json::array({"corp.example"}));
    auto expected_details = oidc_details();
    expected_details["attributes_url_add_attributes"] = "false";
    EXPECT_EQ(made.at("ProviderDetails"), expected_details);
    EXPECT_TRUE(made.contains("CreationDate") && made.contains("LastModifiedDate"));
    EXPECT_EQ(describe("corp"), made);
    EXPECT_EQ(
        f_.call(
              "GetIdentityProviderByIdentifier",
              {{"UserPoolId", pool_}, {"IdpIdentifier", "corp.example"}}
        ).at("IdentityProvider"),
        made
    );
    EXPECT_AWS_ERROR(
        f_,
        "GetIdentityProviderByIdentifier",
        (json{{"UserPoolId", pool_}, {"IdpIdentifier", "other.example"}}),
        "ResourceNotFoundException",
        "Identity provider with identifier other.example does not exist."
    );
}

TEST_F(identity_providers, social_providers_are_named_as_their_type_and_get_their_endpoints)
{
    json const google{{"client_id", "g"}, {"client_secret", "s"}, {"authorize_scopes", "email"}};
    EXPECT_AWS_ERROR(
        f_,
        "CreateIdentityProvider",
        (json{
            {"UserPoolId", pool_},
            {"ProviderName", "MyGoogle"},
            {"ProviderType", "Google"},
            {"ProviderDetails", google}}),
        "InvalidParameterException",
        "Provider MyGoogle cannot be of type Google."
    );
    auto const made = create("Google", "Google", google);
    EXPECT_EQ(
        made.at("ProviderDetails").at("authorize_url"),
        "https://accounts.google.com/o/oauth2/v2/auth"
    );
    EXPECT_EQ(made.at("ProviderDetails").at("oidc_issuer"), "https://accounts.google.com");
    EXPECT_EQ(made.at("ProviderDetails").size(), 9U);
    // Apple's private key is taken and never shown, and an update without it keeps it.
    json apple{
        {"client_id", "a"},
        {"team_id", "T"},
        {"key_id", "K"},
        {"private_key", "-----BEGIN PRIVATE KEY-----"},
        {"authorize_scopes", "email name"}};
    EXPECT_FALSE(create("SignInWithApple", "SignInWithApple", apple)
                     .at("ProviderDetails")
                     .contains("private_key"));
    apple.erase("private_key");
    apple["authorize_scopes"] = "email";
    auto const updated = f_.call(
                               "UpdateIdentityProvider",
                               {{"UserPoolId", pool_},
                                {"ProviderName", "SignInWithApple"},
                                {"ProviderDetails", apple}}
    ).at("IdentityProvider");
    EXPECT_EQ(updated.at("ProviderDetails").at("authorize_scopes"), "email");
}

TEST_F(identity_providers, refuses_missing_details_a_taken_name_and_a_taken_identifier)
{
    auto details = oidc_details();
    details.erase("oidc_issuer");
    EXPECT_AWS_ERROR(
        f_,
        "CreateIdentityProvider",
        (json{
            {"UserPoolId", pool_},
            {"ProviderName", "corp"},
            {"ProviderType", "OIDC"},
            {"ProviderDetails", details}}),
        "InvalidParameterException",
        "ProviderDetails of a OIDC provider need oidc_issuer."
    );
    EXPECT_AWS_ERROR(
        f_,
        "CreateIdentityProvider",
        (json{
            {"UserPoolId", pool_},
            {"ProviderName", "okta"},
            {"ProviderType", "SAML"},
            {"ProviderDetails", json::object()}}),
        "InvalidParameterException",
        "At least one of the MetadataURL or MetadataFile should be provided."
    );
    create("corp", "OIDC", oidc_details(), {{"IdpIdentifiers", {"corp.example"}}});
    EXPECT_AWS_ERROR(
        f_,
        "CreateIdentityProvider",
        (json{
            {"UserPoolId", pool_},
            {"ProviderName", "corp"},
            {"ProviderType", "OIDC"},
            {"ProviderDetails", oidc_details()}}),
        "DuplicateProviderException",
        "corp already exists in user pool " + pool_
    );
    EXPECT_AWS_ERROR(
        f_,
        "CreateIdentityProvider",
        (json{
            {"UserPoolId", pool_},
            {"ProviderName", "okta"},
            {"ProviderType", "SAML"},
            {"ProviderDetails", {{"MetadataURL", "https://okta.example/metadata"}}},
            {"IdpIdentifiers", {"corp.example"}}}),
        "InvalidParameterException",
        "The identifier corp.example is already used by provider corp."
    );
}

TEST_F(identity_providers, update_list_and_delete)
{
    create("corp", "OIDC", oidc_details());
    create(
        "okta",
        "SAML",
        {{"MetadataURL", "https://okta.example/metadata"}},
        {{"AttributeMapping", {{"email", "mail"}}}}
    );
    auto const updated = f_.call(
                               "UpdateIdentityProvider",
                               {{"UserPoolId", pool_},
                                {"ProviderName", "corp"},
                                {"AttributeMapping", {{"email", "email"}}},
                                {"IdpIdentifiers", {"corp.example"}}}
    ).at("IdentityProvider");
    EXPECT_EQ(updated.at("AttributeMapping"), (json{{"email", "email"}}));
    // What the update leaves out stays.
    EXPECT_EQ(updated.at("ProviderDetails").at("client_id"), "corp-app");
    auto page = f_.call("ListIdentityProviders", {{"UserPoolId", pool_}, {"MaxResults", 1}});
    ASSERT_EQ(page.at("Providers").size(), 1U);
    EXPECT_EQ(page.at("Providers")[0].at("ProviderName"), "corp");
    EXPECT_EQ(page.at("Providers")[0].at("ProviderType"), "OIDC");
    EXPECT_FALSE(page.at("Providers")[0].contains("ProviderDetails"));
    page = f_.call(
        "ListIdentityProviders",
        {{"UserPoolId", pool_}, {"MaxResults", 1}, {"NextToken", page.at("NextToken")}}
    );
    EXPECT_EQ(page.at("Providers")[0].at("ProviderName"), "okta");
    EXPECT_EQ(
        f_.call("DeleteIdentityProvider", {{"UserPoolId", pool_}, {"ProviderName", "okta"}}),
        json::object()
    );
    EXPECT_AWS_ERROR(
        f_,
        "DescribeIdentityProvider",
        (json{{"UserPoolId", pool_}, {"ProviderName", "okta"}}),
        "ResourceNotFoundException",
        "Identity provider okta for tenantId " + pool_ + " does not exist."
    );
    EXPECT_AWS_ERROR(
        f_,
        "UpdateIdentityProvider",
        (json{{"UserPoolId", pool_}, {"ProviderName", "okta"}}),
        "ResourceNotFoundException",
        "Identity provider okta in User Pool " + pool_ + " does not exist."
    );
}

} // namespace

namespace
{

using namespace cognitod::testing;

// CreateUserPoolClient and UpdateUserPoolClient's OAuth settings.
class client_oauth : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().insert(f_);

    client_oauth()
    {
        f_.call(
            "CreateResourceServer",
            {{"UserPoolId", pool_},
             {"Identifier", "https://api.example.com"},
             {"Name", "api"},
             {"Scopes", json::array({{{"ScopeName", "read"}, {"ScopeDescription", "Reads"}}})}}
        );
    }

    json code_client(json extra = json::object())
    {
        json input{
            {"UserPoolId", pool_},
            {"ClientName", "web"},
            {"AllowedOAuthFlowsUserPoolClient", true},
            {"AllowedOAuthFlows", {"code"}},
            {"AllowedOAuthScopes", {"openid", "email", "https://api.example.com/read"}},
            {"CallbackURLs", {"https://app.example.com/callback", "http://localhost:3000/cb"}},
            {"SupportedIdentityProviders", {"COGNITO"}}};
        input.update(extra);
        return input;
    }

    void expect_refused(json const& input, char const* code, std::string const& message)
    {
        EXPECT_AWS_ERROR(f_, "CreateUserPoolClient", input, code, message);
        EXPECT_EQ(
            f_.call("ListUserPoolClients", {{"UserPoolId", pool_}, {"MaxResults", 10}})
                .at("UserPoolClients")
                .size(),
            0U
        );
    }
};

TEST_F(client_oauth, a_code_flow_client_with_standard_and_custom_scopes_is_kept)
{
    auto const made = f_.call("CreateUserPoolClient", code_client()).at("UserPoolClient");
    EXPECT_EQ(made.at("AllowedOAuthFlows"), json::array({"code"}));
    EXPECT_EQ(made.at("AllowedOAuthScopes").size(), 3U);
    EXPECT_EQ(made.at("AllowedOAuthFlowsUserPoolClient"), true);
}

TEST_F(client_oauth, refuses_unknown_scopes_and_providers)
{
    expect_refused(
        code_client({{"AllowedOAuthScopes", {"openid", "https://api.example.com/write"}}}),
        "ScopeDoesNotExistException",
        "Invalid scope requested: https://api.example.com/write"
    );
    expect_refused(
        code_client({{"AllowedOAuthScopes", {"admin"}}}),
        "ScopeDoesNotExistException",
        "Invalid scope requested: admin"
    );
    expect_refused(
        code_client({{"SupportedIdentityProviders", {"COGNITO", "Google"}}}),
        "InvalidParameterException",
        "The provider Google does not exist for User Pool " + pool_ + "."
    );
}

TEST_F(client_oauth, refuses_http_outside_localhost_fragments_and_a_default_elsewhere)
{
    expect_refused(
        code_client({{"CallbackURLs", {"http://app.example.com/callback"}}}),
        "InvalidParameterException",
        "http://app.example.com/callback cannot use the HTTP protocol."
    );
    expect_refused(
        code_client({{"LogoutURLs", {"http://localhost.example/"}}}),
        "InvalidParameterException",
        "http://localhost.example/ cannot use the HTTP protocol."
    );
    expect_refused(
        code_client({{"CallbackURLs", {"https://app.example.com/#done"}}}),
        "InvalidParameterException",
        "https://app.example.com/#done must not include a fragment component."
    );
    expect_refused(
        code_client({{"DefaultRedirectURI", "https://other.example.com/"}}),
        "InvalidParameterException",
        "DefaultRedirectURI must be one of the CallbackURLs."
    );
    // Loopback addresses and an app's own scheme are allowed.
    EXPECT_NO_THROW(f_.call(
        "CreateUserPoolClient",
        code_client(
            {{"CallbackURLs", {"http://127.0.0.1:8080/cb", "http://[::1]/cb", "myapp://signed-in"}}}
        )
    ));
}

TEST_F(client_oauth, applies_the_flow_rules)
{
    expect_refused(
        code_client({{"AllowedOAuthFlows", json::array()}}),
        "InvalidParameterException",
        "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to "
        "use OAuth flows."
    );
    expect_refused(
        code_client({{"CallbackURLs", json::array()}}),
        "InvalidOAuthFlowException",
        "CallbackUrls can not be empty when code flow or implicit flow is selected"
    );
    expect_refused(
        code_client({{"AllowedOAuthFlows", {"code", "client_credentials"}}}),
        "InvalidOAuthFlowException",
        "client_credentials flow can not be selected along with code flow or implicit flow."
    );
    json machine{
        {"AllowedOAuthFlows", {"client_credentials"}},
        {"AllowedOAuthScopes", {"https://api.example.com/read"}}};
    expect_refused(
        code_client(machine),
        "InvalidOAuthFlowException",
        "client_credentials flow can not be selected if client does not have a client secret."
    );
    machine["GenerateSecret"] = true;
    machine["AllowedOAuthScopes"] = {"openid", "https://api.example.com/read"};
    expect_refused(
        code_client(machine),
        "InvalidOAuthFlowException",
        "openid is not supported with client_credentials flow"
    );
    machine["AllowedOAuthScopes"] = {"https://api.example.com/read"};
    auto const made = f_.call("CreateUserPoolClient", code_client(machine)).at("UserPoolClient");
    EXPECT_EQ(made.at("AllowedOAuthFlows"), json::array({"client_credentials"}));
    // Update applies the same rules: the secret it already has counts.
    json update = code_client(machine);
    update.erase("GenerateSecret");
    update.erase("ClientName");
    update["ClientId"] = made.at("ClientId");
    EXPECT_NO_THROW(f_.call("UpdateUserPoolClient", update));
    update["AllowedOAuthScopes"] = {"https://api.example.com/gone"};
    EXPECT_AWS_ERROR(
        f_,
        "UpdateUserPoolClient",
        update,
        "ScopeDoesNotExistException",
        "Invalid scope requested: https://api.example.com/gone"
    );
}

class ui_customization : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().insert(f_);
    created_client client_ = make_client().insert(f_, pool_);

    json set(json input)
    {
        input["UserPoolId"] = pool_;
        return f_.call("SetUICustomization", input).at("UICustomization");
    }
    json get(json input = json::object())
    {
        input["UserPoolId"] = pool_;
        return f_.call("GetUICustomization", input).at("UICustomization");
    }
};

TEST_F(ui_customization, needs_a_domain_and_is_empty_until_set)
{
    EXPECT_AWS_ERROR(
        f_,
        "SetUICustomization",
        (json{{"UserPoolId", pool_}, {"CSS", ".banner-customizable {}"}}),
        "InvalidParameterException",
        "A domain must be associated with this user pool."
    );
    EXPECT_EQ(get(), json::object());
}

TEST_F(ui_customization, a_clients_own_is_kept_and_the_pools_applies_to_the_others)
{
    f_.call("CreateUserPoolDomain", {{"UserPoolId", pool_}, {"Domain", "ui-login"}});
    auto const all = set({{"CSS", ".banner-customizable {background: navy}"}});
    EXPECT_EQ(all.at("ClientId"), "ALL");
    EXPECT_EQ(all.at("UserPoolId"), pool_);
    EXPECT_TRUE(all.contains("CSSVersion"));
    EXPECT_TRUE(all.at("CreationDate").is_number());
    EXPECT_EQ(get({{"ClientId", client_.id}}).at("ClientId"), "ALL");

    auto const own = set({{"ClientId", client_.id}, {"CSS", ".submitButton-customizable {}"}});
    EXPECT_EQ(own.at("ClientId"), client_.id);
    EXPECT_EQ(get({{"ClientId", client_.id}}).at("CSS"), ".submitButton-customizable {}");
    EXPECT_EQ(get().at("CSS"), ".banner-customizable {background: navy}");

    f_.call("DeleteUserPoolClient", {{"UserPoolId", pool_}, {"ClientId", client_.id}});
    auto const reader = f_.store.read();
    auto const seq = reader->find_user_pool(pool_)->seq;
    EXPECT_FALSE(reader->find_pool_object(seq, "ui_customization", client_.id));
}

TEST_F(ui_customization, a_logo_becomes_a_data_url_and_only_images_are_taken)
{
    f_.call("CreateUserPoolDomain", {{"UserPoolId", pool_}, {"Domain", "ui-login"}});
    std::string const png =
        cognitod::auth::base64_encode(std::string{"\x89PNG\r\n\x1a\n", 8} + "rest");
    EXPECT_EQ(set({{"ImageFile", png}}).at("ImageUrl"), "data:image/png;base64," + png);
    EXPECT_AWS_ERROR(
        f_,
        "SetUICustomization",
        (json{{"UserPoolId", pool_}, {"ImageFile", cognitod::auth::base64_encode("GIF89a")}}),
        "InvalidParameterException",
        "The image file must be a PNG or JPEG image."
    );
    EXPECT_AWS_ERROR(
        f_,
        "GetUICustomization",
        (json{{"UserPoolId", pool_}, {"ClientId", "nosuchclient"}}),
        "ResourceNotFoundException",
        "User pool client nosuchclient does not exist."
    );
}

} // namespace
