"""User pool domains and resource servers through boto3 and the aws CLI, as an IaC stack creates them
before its app clients."""

from cognitod_e2e import expect_error
from sign_in_e2e import new_pool

CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d"
SERVICE_ERROR_EXITS = (254, 255)


def test_domains_through_boto3(empty_server, empty_client):
    idp = empty_client
    pool = new_pool(idp)
    # Debian's botocore predates ManagedLoginVersion: the unit tests cover it.
    assert "CloudFrontDomain" not in idp.create_user_pool_domain(Domain="shop-login", UserPoolId=pool)
    custom = idp.create_user_pool_domain(Domain="auth.shop.example", UserPoolId=pool,
                                         CustomDomainConfig={"CertificateArn": CERTIFICATE})
    assert custom["CloudFrontDomain"].endswith(".cloudfront.net")
    described = idp.describe_user_pool(UserPoolId=pool)["UserPool"]
    assert described["Domain"] == "shop-login" and described["CustomDomain"] == "auth.shop.example"
    prefix = idp.describe_user_pool_domain(Domain="shop-login")["DomainDescription"]
    assert {k: prefix[k] for k in ("UserPoolId", "Domain", "Status", "AWSAccountId")} == {
        "UserPoolId": pool, "Domain": "shop-login", "Status": "ACTIVE", "AWSAccountId": "123456789012"}
    assert idp.describe_user_pool_domain(Domain="auth.shop.example")["DomainDescription"][
        "CustomDomainConfig"] == {"CertificateArn": CERTIFICATE}
    assert idp.describe_user_pool_domain(Domain="nobody-here")["DomainDescription"] == {}

    other = new_pool(idp)
    expect_error(idp, "InvalidParameterException", "Domain already associated with another user pool.",
                 "create_user_pool_domain", Domain="shop-login", UserPoolId=other)
    expect_error(idp, "InvalidParameterException", "Domain cannot contain reserved word: cognito",
                 "create_user_pool_domain", Domain="shop-cognito", UserPoolId=other)
    expect_error(idp, "InvalidParameterException",
                 "User pool should have a custom domain associated, failed to update the certificate.",
                 "update_user_pool_domain", Domain="shop-login", UserPoolId=pool,
                 CustomDomainConfig={"CertificateArn": CERTIFICATE})
    renewed = CERTIFICATE + "-renewed"
    assert idp.update_user_pool_domain(Domain="auth.shop.example", UserPoolId=pool,
                                       CustomDomainConfig={"CertificateArn": renewed})["CloudFrontDomain"] == \
        custom["CloudFrontDomain"]
    assert idp.describe_user_pool_domain(Domain="auth.shop.example")["DomainDescription"][
        "CustomDomainConfig"] == {"CertificateArn": renewed}
    expect_error(idp, "InvalidParameterException", "No such domain or user pool exists.",
                 "delete_user_pool_domain", Domain="shop-login", UserPoolId=other)
    idp.delete_user_pool_domain(Domain="shop-login", UserPoolId=pool)
    assert "Domain" not in idp.describe_user_pool(UserPoolId=pool)["UserPool"]
    idp.create_user_pool_domain(Domain="shop-login", UserPoolId=other)
    assert idp.describe_user_pool(UserPoolId=other)["UserPool"]["Domain"] == "shop-login"


def test_resource_servers_through_boto3(empty_server, empty_client):
    idp = empty_client
    pool = new_pool(idp)
    scopes = [{"ScopeName": "read", "ScopeDescription": "Read orders"},
              {"ScopeName": "write", "ScopeDescription": "Write orders"}]
    made = idp.create_resource_server(UserPoolId=pool, Identifier="https://orders.example", Name="orders",
                                      Scopes=scopes)["ResourceServer"]
    assert made == {"UserPoolId": pool, "Identifier": "https://orders.example", "Name": "orders", "Scopes": scopes}
    for n in range(3):
        idp.create_resource_server(UserPoolId=pool, Identifier=f"api-{n}", Name=f"api {n}")
    paginator = idp.get_paginator("list_resource_servers")
    pages = list(paginator.paginate(UserPoolId=pool, PaginationConfig={"PageSize": 3}))
    assert len(pages) == 2
    assert [s["Identifier"] for p in pages for s in p["ResourceServers"]] == [
        "https://orders.example", "api-0", "api-1", "api-2"]
    expect_error(idp, "InvalidParameterException", f"api-0 already exists in user pool {pool}.",
                 "create_resource_server", UserPoolId=pool, Identifier="api-0", Name="again")
    updated = idp.update_resource_server(UserPoolId=pool, Identifier="api-0", Name="renamed",
                                         Scopes=scopes[:1])["ResourceServer"]
    assert updated["Name"] == "renamed" and updated["Scopes"] == scopes[:1]
    idp.delete_resource_server(UserPoolId=pool, Identifier="api-0")
    expect_error(idp, "ResourceNotFoundException", "Resource server api-0 does not exist.",
                 "describe_resource_server", UserPoolId=pool, Identifier="api-0")


def test_domain_and_resource_server_through_the_cli(empty_server, empty_client, aws_cli):
    cli = aws_cli(empty_server.url)
    pool = new_pool(empty_client)
    made = cli.run("create-user-pool-domain", "--domain", "cli-login", "--user-pool-id", pool)
    assert made.returncode == 0, made.stderr
    assert cli.json("describe-user-pool-domain", "--domain", "cli-login")["DomainDescription"]["UserPoolId"] == pool
    server = cli.json("create-resource-server", "--user-pool-id", pool, "--identifier", "https://api.example",
                      "--name", "api", "--scopes", "ScopeName=read,ScopeDescription=Reads")["ResourceServer"]
    assert server["Scopes"] == [{"ScopeName": "read", "ScopeDescription": "Reads"}]
    listed = cli.json("list-resource-servers", "--user-pool-id", pool, "--max-results", "10")
    assert [s["Identifier"] for s in listed["ResourceServers"]] == ["https://api.example"]
    again = cli.run("create-user-pool-domain", "--domain", "cli-login", "--user-pool-id", pool)
    assert again.returncode in SERVICE_ERROR_EXITS
    assert "Domain already associated with another user pool." in again.stderr
    deleted = cli.run("delete-user-pool-domain", "--domain", "cli-login", "--user-pool-id", pool)
    assert deleted.returncode == 0, deleted.stderr


def test_identity_providers_through_boto3(empty_server, empty_client):
    idp = empty_client
    pool = new_pool(idp)
    details = {"client_id": "corp-app", "client_secret": "s3cret", "attributes_request_method": "GET",
               "oidc_issuer": "https://idp.corp.example", "authorize_scopes": "openid email"}
    made = idp.create_identity_provider(UserPoolId=pool, ProviderName="corp", ProviderType="OIDC",
                                        ProviderDetails=details, IdpIdentifiers=["corp.example"])["IdentityProvider"]
    assert made["ProviderDetails"] == {**details, "attributes_url_add_attributes": "false"}
    assert made["AttributeMapping"] == {"username": "sub"}
    idp.create_identity_provider(UserPoolId=pool, ProviderName="Google", ProviderType="Google",
                                 ProviderDetails={"client_id": "g", "client_secret": "s", "authorize_scopes": "email"})
    assert [p["ProviderName"] for p in idp.list_identity_providers(UserPoolId=pool, MaxResults=10)["Providers"]] == [
        "corp", "Google"]
    found = idp.get_identity_provider_by_identifier(UserPoolId=pool, IdpIdentifier="corp.example")
    assert found["IdentityProvider"]["ProviderName"] == "corp"
    expect_error(idp, "DuplicateProviderException", f"corp already exists in user pool {pool}",
                 "create_identity_provider", UserPoolId=pool, ProviderName="corp", ProviderType="OIDC",
                 ProviderDetails=details)
    expect_error(idp, "InvalidParameterException", "Provider Corp cannot be of type Facebook.",
                 "create_identity_provider", UserPoolId=pool, ProviderName="Corp", ProviderType="Facebook",
                 ProviderDetails=details)
    updated = idp.update_identity_provider(UserPoolId=pool, ProviderName="corp",
                                           AttributeMapping={"email": "email"})["IdentityProvider"]
    assert updated["AttributeMapping"] == {"email": "email"} and updated["ProviderDetails"]["client_id"] == "corp-app"
    idp.delete_identity_provider(UserPoolId=pool, ProviderName="corp")
    expect_error(idp, "ResourceNotFoundException", f"Identity provider corp for tenantId {pool} does not exist.",
                 "describe_identity_provider", UserPoolId=pool, ProviderName="corp")


def test_app_client_oauth_settings_through_boto3(empty_server, empty_client):
    idp = empty_client
    pool = new_pool(idp)
    idp.create_resource_server(UserPoolId=pool, Identifier="https://orders.example", Name="orders",
                               Scopes=[{"ScopeName": "read", "ScopeDescription": "Read orders"}])
    web = idp.create_user_pool_client(
        UserPoolId=pool, ClientName="web", AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email", "https://orders.example/read"],
        CallbackURLs=["http://localhost:3000/api/auth/callback/cognito"], SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]
    assert web["AllowedOAuthScopes"] == ["openid", "email", "https://orders.example/read"]
    expect_error(idp, "ScopeDoesNotExistException", "Invalid scope requested: https://orders.example/write",
                 "create_user_pool_client", UserPoolId=pool, ClientName="bad", AllowedOAuthFlows=["code"],
                 AllowedOAuthScopes=["https://orders.example/write"], CallbackURLs=["https://app.example/cb"])
    expect_error(idp, "InvalidOAuthFlowException",
                 "client_credentials flow can not be selected if client does not have a client secret.",
                 "create_user_pool_client", UserPoolId=pool, ClientName="machine",
                 AllowedOAuthFlows=["client_credentials"], AllowedOAuthScopes=["https://orders.example/read"])
    expect_error(idp, "InvalidParameterException", "http://app.example cannot use the HTTP protocol.",
                 "create_user_pool_client", UserPoolId=pool, ClientName="web2", AllowedOAuthFlows=["code"],
                 AllowedOAuthScopes=["openid"], CallbackURLs=["http://app.example"])
    expect_error(idp, "InvalidParameterException", f"The provider Okta does not exist for User Pool {pool}.",
                 "update_user_pool_client", UserPoolId=pool, ClientId=web["ClientId"],
                 SupportedIdentityProviders=["COGNITO", "Okta"])


def test_ui_customization_through_boto3(empty_server, empty_client):
    idp = empty_client
    pool = new_pool(idp, "ui")
    expect_error(idp, "InvalidParameterException", "A domain must be associated with this user pool.",
                 "set_ui_customization", UserPoolId=pool, CSS=".banner-customizable {}")
    assert idp.get_ui_customization(UserPoolId=pool)["UICustomization"] == {}
    idp.create_user_pool_domain(UserPoolId=pool, Domain="ui-e2e")
    client_id = idp.create_user_pool_client(UserPoolId=pool, ClientName="web")["UserPoolClient"]["ClientId"]
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    whole = idp.set_ui_customization(UserPoolId=pool, CSS=".banner-customizable {background: navy}",
                                     ImageFile=png)["UICustomization"]
    assert whole["ClientId"] == "ALL" and whole["UserPoolId"] == pool
    assert whole["ImageUrl"].startswith("data:image/png;base64,")
    # boto3 reads the dates as datetimes: they are epoch seconds on the wire.
    assert whole["CreationDate"].year >= 2024
    # A client without its own customization is answered the pool's.
    assert idp.get_ui_customization(UserPoolId=pool, ClientId=client_id)["UICustomization"]["ClientId"] == "ALL"
    idp.set_ui_customization(UserPoolId=pool, ClientId=client_id, CSS=".submitButton-customizable {}")
    own = idp.get_ui_customization(UserPoolId=pool, ClientId=client_id)["UICustomization"]
    assert (own["ClientId"], own["CSS"]) == (client_id, ".submitButton-customizable {}")
    expect_error(idp, "InvalidParameterException", "The image file must be a PNG or JPEG image.",
                 "set_ui_customization", UserPoolId=pool, ImageFile=b"GIF89a")
