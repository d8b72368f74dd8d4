"""Sign-in as apps drive it: app clients, the password, refresh and NEW_PASSWORD_REQUIRED flows
with every error AWS answers, the tokens (verified with python3-jwt against jwks.json), and
GetUser, GlobalSignOut, AdminUserGlobalSignOut and RevokeToken."""

import base64
import json
import re
import time
import urllib.error
import urllib.request
from datetime import datetime

import jwt
import pytest
from cryptography.hazmat.primitives import hashes, serialization

from cognitod_e2e import (
    UNKNOWN_POOL,
    UUID4_RE,
    attrs,
    expect_error,
    make_client,
    raw_request,
)
from sign_in_e2e import (
    ADMIN_SCOPE,
    ALL_FLOWS,
    BAD_VALIDITY,
    CLIENT_ID_RE,
    INVALID_ACCESS,
    INVALID_REFRESH,
    INVALID_SESSION,
    PASSWORD,
    REFRESH_HEADER,
    REVOKED_ACCESS,
    REVOKED_REFRESH,
    USER_DISABLED,
    USER_GONE,
    WRONG_PASSWORD,
    admin_sign_in,
    claims_of,
    client_gone,
    get_json,
    issuer,
    jwks_url,
    new_app_client,
    new_pool,
    new_user,
    pool_gone,
    refresh,
    secret_hash,
    segment,
    user_sign_in,
    verify,
    wait_next_second,
)

ACCESS_CLAIMS = {"sub", "iss", "client_id", "origin_jti", "event_id", "token_use", "scope", "auth_time",
                 "exp", "iat", "jti", "username"}
ID_BASE_CLAIMS = {"sub", "iss", "cognito:username", "origin_jti", "aud", "event_id", "token_use",
                  "auth_time", "exp", "iat", "jti"}
NOT_ENABLED = "{} flow not enabled for this client"
ADMIN_NOT_ENABLED = "Auth flow not enabled for this client"
# docs/fidelity.md: a weak NEW_PASSWORD answers with AdminSetUserPassword's wording.
NEW_PASSWORD_POLICY = "Password does not conform to policy: "


@pytest.fixture(scope="module")
def auth_server(module_launcher):
    """One server without a seed; every test makes its own pool, so tests never share state."""
    return module_launcher.start()


@pytest.fixture(scope="module")
def idp(auth_server):
    return make_client(auth_server.url)


@pytest.fixture
def app(idp):
    """A pool with one client allowing the password and refresh flows, and a confirmed user."""
    pool = new_pool(idp)
    client_id = new_app_client(idp, pool)["ClientId"]
    sub = new_user(idp, pool, "carol", attributes=[
        {"Name": "email", "Value": "carol@e2e.example"}, {"Name": "email_verified", "Value": "true"},
        {"Name": "name", "Value": "Carol Example"},
    ])
    return {"pool": pool, "client_id": client_id, "sub": sub, "username": "carol"}


def result_of(response):
    assert response["ChallengeParameters"] == {}
    assert "ChallengeName" not in response and "Session" not in response
    return response["AuthenticationResult"]


def get_user_error(idp, token, message):
    return expect_error(idp, "NotAuthorizedException", message, "get_user", AccessToken=token)


# --- app clients ---------------------------------------------------------------------------------


def test_create_client_answers_aws_defaults(idp):
    pool = new_pool(idp)
    created = idp.create_user_pool_client(UserPoolId=pool, ClientName="web")["UserPoolClient"]
    assert CLIENT_ID_RE.fullmatch(created["ClientId"]), created["ClientId"]
    assert created["UserPoolId"] == pool
    assert created["ClientName"] == "web"
    assert created["RefreshTokenValidity"] == 30
    assert created["TokenValidityUnits"] == {}
    assert created["AllowedOAuthFlowsUserPoolClient"] is False
    assert created["EnableTokenRevocation"] is True
    assert created["EnablePropagateAdditionalUserContextData"] is False
    assert created["AuthSessionValidity"] == 3
    # Absent unless set (aws-auth-research.md §6).
    for absent in ("ClientSecret", "ExplicitAuthFlows", "PreventUserExistenceErrors", "AccessTokenValidity",
                   "IdTokenValidity", "ReadAttributes", "WriteAttributes"):
        assert absent not in created, absent
    assert isinstance(created["CreationDate"], datetime)
    assert created["CreationDate"] == created["LastModifiedDate"]

    described = idp.describe_user_pool_client(UserPoolId=pool, ClientId=created["ClientId"])["UserPoolClient"]
    assert described == created
    listed = idp.list_user_pool_clients(UserPoolId=pool, MaxResults=60)["UserPoolClients"]
    assert listed == [{"ClientId": created["ClientId"], "UserPoolId": pool, "ClientName": "web"}]


def test_client_ids_and_secrets_have_aws_formats(idp):
    pool = new_pool(idp)
    made = [new_app_client(idp, pool, GenerateSecret=True, name=f"c{i}") for i in range(3)]
    ids = [c["ClientId"] for c in made]
    secrets = [c["ClientSecret"] for c in made]
    assert len(set(ids)) == 3 and len(set(secrets)) == 3
    for client_id, secret in zip(ids, secrets):
        assert CLIENT_ID_RE.fullmatch(client_id), client_id
        # docs/fidelity.md: 52 characters of [0-9a-z] (the model allows 24-64 of [\w+]).
        assert re.fullmatch(r"[0-9a-z]{52}", secret), secret
    described = idp.describe_user_pool_client(UserPoolId=pool, ClientId=ids[0])["UserPoolClient"]
    assert described["ClientSecret"] == secrets[0]


def test_client_settings_are_echoed_and_read_attributes_sorted(idp):
    pool = new_pool(idp)
    created = new_app_client(
        idp, pool,
        flows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"],
        PreventUserExistenceErrors="ENABLED",
        AccessTokenValidity=30, IdTokenValidity=2, RefreshTokenValidity=12,
        TokenValidityUnits={"AccessToken": "minutes", "IdToken": "hours", "RefreshToken": "hours"},
        ReadAttributes=["name", "email", "address", "email_verified"],
        WriteAttributes=["name", "email"],
        EnableTokenRevocation=False,
        AuthSessionValidity=10,
    )
    # Flows in the order given; ReadAttributes as a sorted set.
    assert created["ExplicitAuthFlows"] == [
        "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"]
    assert created["ReadAttributes"] == ["address", "email", "email_verified", "name"]
    assert created["WriteAttributes"] == ["name", "email"]
    assert created["PreventUserExistenceErrors"] == "ENABLED"
    assert (created["AccessTokenValidity"], created["IdTokenValidity"], created["RefreshTokenValidity"]) == (30, 2, 12)
    assert created["TokenValidityUnits"] == {"AccessToken": "minutes", "IdToken": "hours", "RefreshToken": "hours"}
    assert created["EnableTokenRevocation"] is False
    assert created["AuthSessionValidity"] == 10
    assert idp.describe_user_pool_client(UserPoolId=pool, ClientId=created["ClientId"])["UserPoolClient"] == created


def test_update_replaces_settings_and_keeps_id_and_secret(idp):
    pool = new_pool(idp)
    created = new_app_client(idp, pool, GenerateSecret=True, PreventUserExistenceErrors="ENABLED",
                             AccessTokenValidity=10, TokenValidityUnits={"AccessToken": "minutes"})
    time.sleep(0.01)
    updated = idp.update_user_pool_client(
        UserPoolId=pool, ClientId=created["ClientId"], ClientName="renamed",
        ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    assert updated["ClientId"] == created["ClientId"]
    assert updated["ClientSecret"] == created["ClientSecret"]
    assert updated["ClientName"] == "renamed"
    assert updated["ExplicitAuthFlows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]
    # Update, like Create, resets what it omits (the documented UpdateUserPoolClient behaviour).
    for reset in ("PreventUserExistenceErrors", "AccessTokenValidity"):
        assert reset not in updated, reset
    assert updated["TokenValidityUnits"] == {}
    assert updated["CreationDate"] == created["CreationDate"]
    assert updated["LastModifiedDate"] > created["LastModifiedDate"]
    assert idp.describe_user_pool_client(UserPoolId=pool, ClientId=created["ClientId"])["UserPoolClient"] == updated
    # The reset flows apply at once: the password flow is gone.
    new_user(idp, pool, "dave")
    expect_error(idp, "InvalidParameterException", NOT_ENABLED.format("USER_PASSWORD_AUTH"), "initiate_auth",
                 ClientId=created["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": "dave", "PASSWORD": PASSWORD,
                                 "SECRET_HASH": secret_hash(created["ClientSecret"], "dave", created["ClientId"])})


def test_deleted_or_foreign_client_does_not_exist(idp, app):
    other_pool = new_pool(idp, "other")
    # A client named with the wrong pool is "not found", as a deleted one is.
    expect_error(idp, "ResourceNotFoundException", client_gone(app["client_id"]), "describe_user_pool_client",
                 UserPoolId=other_pool, ClientId=app["client_id"])
    expect_error(idp, "ResourceNotFoundException", client_gone(app["client_id"]), "admin_initiate_auth",
                 UserPoolId=other_pool, ClientId=app["client_id"], AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD})
    expect_error(idp, "ResourceNotFoundException", pool_gone(UNKNOWN_POOL), "admin_initiate_auth",
                 UserPoolId=UNKNOWN_POOL, ClientId=app["client_id"], AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD})

    tokens = result_of(user_sign_in(idp, app["client_id"], "carol"))
    response = idp.delete_user_pool_client(UserPoolId=app["pool"], ClientId=app["client_id"])
    assert set(response) == {"ResponseMetadata"}
    for operation, params in [
        ("describe_user_pool_client", {"UserPoolId": app["pool"], "ClientId": app["client_id"]}),
        ("delete_user_pool_client", {"UserPoolId": app["pool"], "ClientId": app["client_id"]}),
        ("initiate_auth", {"ClientId": app["client_id"], "AuthFlow": "USER_PASSWORD_AUTH",
                           "AuthParameters": {"USERNAME": "carol", "PASSWORD": PASSWORD}}),
    ]:
        expect_error(idp, "ResourceNotFoundException", client_gone(app["client_id"]), operation, **params)
    assert idp.list_user_pool_clients(UserPoolId=app["pool"], MaxResults=10)["UserPoolClients"] == []
    # The sessions of a deleted client go with it.
    get_user_error(idp, tokens["AccessToken"], INVALID_ACCESS)


@pytest.mark.parametrize("validity", [
    {"AccessTokenValidity": 4, "TokenValidityUnits": {"AccessToken": "minutes"}},
    {"AccessTokenValidity": 2, "TokenValidityUnits": {"AccessToken": "days"}},
    {"IdTokenValidity": 25},
    {"IdTokenValidity": 299, "TokenValidityUnits": {"IdToken": "seconds"}},
    {"RefreshTokenValidity": 59, "TokenValidityUnits": {"RefreshToken": "minutes"}},
    {"RefreshTokenValidity": 3651},
    # A unit without its value reads the default value in that unit: 1 minute.
    {"TokenValidityUnits": {"AccessToken": "minutes"}},
], ids=["access-4min", "access-2days", "id-25h", "id-299s", "refresh-59min", "refresh-3651days", "unit-only"])
def test_token_validity_out_of_range(idp, validity):
    pool = new_pool(idp)
    expect_error(idp, "InvalidParameterException", BAD_VALIDITY, "create_user_pool_client",
                 UserPoolId=pool, ClientName="app", **validity)
    client_id = new_app_client(idp, pool)["ClientId"]
    expect_error(idp, "InvalidParameterException", BAD_VALIDITY, "update_user_pool_client",
                 UserPoolId=pool, ClientId=client_id, **validity)


@pytest.mark.parametrize("validity", [
    {"AccessTokenValidity": 5, "TokenValidityUnits": {"AccessToken": "minutes"}},
    {"AccessTokenValidity": 1, "TokenValidityUnits": {"AccessToken": "days"}},
    {"IdTokenValidity": 86400, "TokenValidityUnits": {"IdToken": "seconds"}},
    {"RefreshTokenValidity": 60, "TokenValidityUnits": {"RefreshToken": "minutes"}},
    {"RefreshTokenValidity": 3650},
], ids=["access-5min", "access-1day", "id-86400s", "refresh-60min", "refresh-3650days"])
def test_token_validity_bounds_are_accepted(idp, validity):
    pool = new_pool(idp)
    created = idp.create_user_pool_client(UserPoolId=pool, ClientName="app", **validity)["UserPoolClient"]
    for member, value in validity.items():
        assert created[member] == value


def test_refresh_validity_zero_means_thirty_days(idp):
    pool = new_pool(idp)
    created = idp.create_user_pool_client(UserPoolId=pool, ClientName="app", RefreshTokenValidity=0)
    assert created["UserPoolClient"]["RefreshTokenValidity"] == 30


def test_client_configuration_errors(idp):
    pool = new_pool(idp)
    expect_error(idp, "InvalidParameterException",
                 "ExplicitAuthFlows cannot mix legacy values with values that begin with ALLOW_.",
                 "create_user_pool_client", UserPoolId=pool, ClientName="app",
                 ExplicitAuthFlows=["ADMIN_NO_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    expect_error(idp, "InvalidParameterException", "Invalid read attributes specified while creating a client",
                 "create_user_pool_client", UserPoolId=pool, ClientName="app", ReadAttributes=["email", "shoe_size"])
    expect_error(idp, "InvalidParameterException", "Invalid write attributes specified while creating a client",
                 "create_user_pool_client", UserPoolId=pool, ClientName="app", WriteAttributes=["shoe_size"])
    # An enum violation inside the list (captured wording: aws-research.md §1).
    response = expect_error(idp, "InvalidParameterException", None, "create_user_pool_client",
                            UserPoolId=pool, ClientName="app", ExplicitAuthFlows=["ADMIN_USER_PASSWORD_AUTH"])
    assert response["Error"]["Message"].startswith(
        "1 validation error detected: Value '[ADMIN_USER_PASSWORD_AUTH]' at 'explicitAuthFlows' failed to satisfy "
        "constraint: Member must satisfy constraint: [Member must satisfy enum value set: ["
    ), response["Error"]["Message"]
    expect_error(idp, "ResourceNotFoundException", pool_gone(UNKNOWN_POOL), "create_user_pool_client",
                 UserPoolId=UNKNOWN_POOL, ClientName="app")
    assert idp.list_user_pool_clients(UserPoolId=pool, MaxResults=10)["UserPoolClients"] == []


def test_list_clients_pages(idp):
    pool = new_pool(idp)
    made = [new_app_client(idp, pool, name=f"c{i}")["ClientId"] for i in range(5)]
    seen, token, pages = [], None, 0
    while True:
        params = {"UserPoolId": pool, "MaxResults": 2}
        if token:
            params["NextToken"] = token
        response = idp.list_user_pool_clients(**params)
        pages += 1
        assert len(response["UserPoolClients"]) <= 2
        seen += [c["ClientId"] for c in response["UserPoolClients"]]
        token = response.get("NextToken")
        if not token:
            break
        assert pages < 10
    assert pages == 3
    assert sorted(seen) == sorted(made)


# --- password flows ------------------------------------------------------------------------------


def test_user_password_auth_returns_aws_shaped_tokens(idp, app):
    response = user_sign_in(idp, app["client_id"], "carol")
    result = result_of(response)
    assert set(result) == {"AccessToken", "ExpiresIn", "TokenType", "RefreshToken", "IdToken"}
    assert result["ExpiresIn"] == 3600
    assert result["TokenType"] == "Bearer"
    # No DeviceConfiguration on the pool: no device.
    assert "NewDeviceMetadata" not in result
    assert "device_key" not in claims_of(result["AccessToken"])
    # The refresh token looks like Cognito's five-part JWE.
    parts = result["RefreshToken"].split(".")
    assert len(parts) == 5 and parts[0] == REFRESH_HEADER
    assert [len(segment(result["RefreshToken"], i)) for i in (1, 2, 4)] == [256, 12, 16]


@pytest.mark.parametrize("flow", ["ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"])
def test_admin_password_flows_sign_in(idp, auth_server, app, flow):
    result = result_of(admin_sign_in(idp, app["pool"], app["client_id"], "carol", flow=flow))
    claims = verify(auth_server.url, app["pool"], app["client_id"], result["AccessToken"], "access")
    assert claims["username"] == "carol"
    assert claims["sub"] == app["sub"]
    assert result["ExpiresIn"] == 3600


def test_aws_cli_admin_initiate_auth(auth_server, aws_cli, app):
    cli = aws_cli(auth_server.url)
    out = cli.json("admin-initiate-auth", "--user-pool-id", app["pool"], "--client-id", app["client_id"],
                   "--auth-flow", "ADMIN_USER_PASSWORD_AUTH",
                   "--auth-parameters", f"USERNAME=carol,PASSWORD={PASSWORD}")
    assert out["ChallengeParameters"] == {}
    result = out["AuthenticationResult"]
    verify(auth_server.url, app["pool"], app["client_id"], result["IdToken"], "id")
    user = cli.json("get-user", "--access-token", result["AccessToken"])
    assert user["Username"] == "carol"

    wrong = cli.run("admin-initiate-auth", "--user-pool-id", app["pool"], "--client-id", app["client_id"],
                    "--auth-flow", "ADMIN_USER_PASSWORD_AUTH", "--auth-parameters", "USERNAME=carol,PASSWORD=nope")
    assert wrong.returncode in (254, 255)
    assert "NotAuthorizedException" in wrong.stderr and WRONG_PASSWORD in wrong.stderr


def test_flows_the_client_does_not_allow(idp, app):
    pool = app["pool"]
    admin_only = new_app_client(idp, pool, flows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"])["ClientId"]
    user_only = new_app_client(idp, pool, flows=["ALLOW_USER_PASSWORD_AUTH"])["ClientId"]
    defaults = new_app_client(idp, pool, flows=None)["ClientId"]  # SRP, refresh, custom

    for client_id in (admin_only, defaults):
        expect_error(idp, "InvalidParameterException", NOT_ENABLED.format("USER_PASSWORD_AUTH"), "initiate_auth",
                     ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                     AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD})
    for client_id in (user_only, defaults):
        for flow in ("ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"):
            expect_error(idp, "InvalidParameterException", ADMIN_NOT_ENABLED, "admin_initiate_auth",
                         UserPoolId=pool, ClientId=client_id, AuthFlow=flow,
                         AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD})
    # A client without ALLOW_REFRESH_TOKEN_AUTH refuses refresh, before looking at the token.
    tokens = result_of(user_sign_in(idp, user_only, "carol"))
    for flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
        expect_error(idp, "InvalidParameterException", NOT_ENABLED.format(flow), "initiate_auth",
                     ClientId=user_only, AuthFlow=flow, AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})
    expect_error(idp, "InvalidParameterException", ADMIN_NOT_ENABLED, "admin_initiate_auth",
                 UserPoolId=pool, ClientId=user_only, AuthFlow="REFRESH_TOKEN_AUTH",
                 AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})
    # The allowed flows of the same clients work.
    result_of(admin_sign_in(idp, pool, admin_only, "carol"))
    # An admin flow sent to InitiateAuth (docs/fidelity.md).
    all_flows = app["client_id"]
    expect_error(idp, "InvalidParameterException", "Initiate Auth method not supported.", "initiate_auth",
                 ClientId=all_flows, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD})


def test_legacy_flow_values_keep_their_meaning(idp, app):
    pool = app["pool"]
    legacy_admin = new_app_client(idp, pool, flows=["ADMIN_NO_SRP_AUTH"])["ClientId"]
    legacy_user = new_app_client(idp, pool, flows=["USER_PASSWORD_AUTH"])["ClientId"]
    tokens = result_of(admin_sign_in(idp, pool, legacy_admin, "carol", flow="ADMIN_NO_SRP_AUTH"))
    # Refresh stays allowed on legacy clients.
    assert "AccessToken" in result_of(refresh(idp, legacy_admin, tokens["RefreshToken"]))
    expect_error(idp, "InvalidParameterException", NOT_ENABLED.format("USER_PASSWORD_AUTH"), "initiate_auth",
                 ClientId=legacy_admin, AuthFlow="USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD})
    result_of(user_sign_in(idp, legacy_user, "carol"))
    expect_error(idp, "InvalidParameterException", ADMIN_NOT_ENABLED, "admin_initiate_auth",
                 UserPoolId=pool, ClientId=legacy_user, AuthFlow="ADMIN_NO_SRP_AUTH",
                 AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD})


def test_wrong_password_and_unknown_user(idp, app):
    pool = app["pool"]
    enabled = new_app_client(idp, pool, PreventUserExistenceErrors="ENABLED")["ClientId"]
    legacy = new_app_client(idp, pool, PreventUserExistenceErrors="LEGACY")["ClientId"]
    for client_id in (app["client_id"], enabled, legacy):
        expect_error(idp, "NotAuthorizedException", WRONG_PASSWORD, "initiate_auth", ClientId=client_id,
                     AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "carol", "PASSWORD": "Wr0ng-Passw0rd!"})
        expect_error(idp, "NotAuthorizedException", WRONG_PASSWORD, "admin_initiate_auth", UserPoolId=pool,
                     ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                     AuthParameters={"USERNAME": "carol", "PASSWORD": "Wr0ng-Passw0rd!"})
    # Unset (LEGACY) and LEGACY reveal that the user does not exist; ENABLED does not.
    for client_id in (app["client_id"], legacy):
        expect_error(idp, "UserNotFoundException", USER_GONE, "initiate_auth", ClientId=client_id,
                     AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "nobody", "PASSWORD": PASSWORD})
        expect_error(idp, "UserNotFoundException", USER_GONE, "admin_initiate_auth", UserPoolId=pool,
                     ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                     AuthParameters={"USERNAME": "nobody", "PASSWORD": PASSWORD})
    expect_error(idp, "NotAuthorizedException", WRONG_PASSWORD, "initiate_auth", ClientId=enabled,
                 AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "nobody", "PASSWORD": PASSWORD})
    expect_error(idp, "NotAuthorizedException", WRONG_PASSWORD, "admin_initiate_auth", UserPoolId=pool,
                 ClientId=enabled, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": "nobody", "PASSWORD": PASSWORD})
    # The username is case-sensitive by default: another case is another (unknown) user.
    expect_error(idp, "UserNotFoundException", USER_GONE, "initiate_auth", ClientId=app["client_id"],
                 AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "CAROL", "PASSWORD": PASSWORD})


def test_disabled_user_cannot_sign_in(idp, app):
    pool, client_id = app["pool"], app["client_id"]
    tokens = result_of(user_sign_in(idp, client_id, "carol"))
    idp.admin_disable_user(UserPoolId=pool, Username="carol")
    expect_error(idp, "NotAuthorizedException", USER_DISABLED, "initiate_auth", ClientId=client_id,
                 AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD})
    expect_error(idp, "NotAuthorizedException", USER_DISABLED, "admin_initiate_auth", UserPoolId=pool,
                 ClientId=client_id, AuthFlow="ADMIN_NO_SRP_AUTH",
                 AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD})
    # The password is checked first: a wrong one does not reveal that the user is disabled.
    expect_error(idp, "NotAuthorizedException", WRONG_PASSWORD, "initiate_auth", ClientId=client_id,
                 AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "carol", "PASSWORD": "Wr0ng-Passw0rd!"})
    # Disabling revokes the user's tokens (docs/fidelity.md), and refresh is refused.
    get_user_error(idp, tokens["AccessToken"], REVOKED_ACCESS)
    expect_error(idp, "NotAuthorizedException", USER_DISABLED, "initiate_auth", ClientId=client_id,
                 AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})

    idp.admin_enable_user(UserPoolId=pool, Username="carol")
    result_of(user_sign_in(idp, client_id, "carol"))


def test_tokens_revoked_by_disabling_stay_revoked_after_enabling(idp, app):
    """AdminDisableUser "deactivates a user and revokes all access tokens for the user" (API reference)."""
    tokens = result_of(user_sign_in(idp, app["client_id"], "carol"))
    idp.admin_disable_user(UserPoolId=app["pool"], Username="carol")
    idp.admin_enable_user(UserPoolId=app["pool"], Username="carol")
    get_user_error(idp, tokens["AccessToken"], REVOKED_ACCESS)


def test_sign_in_names_the_user_as_the_pool_allows(idp, auth_server):
    url = auth_server.url
    # Case-insensitive usernames: any case signs in; tokens carry the username as stored.
    pool = new_pool(idp, "ci", UsernameConfiguration={"CaseSensitive": False})
    client_id = new_app_client(idp, pool)["ClientId"]
    new_user(idp, pool, "MixedCase")
    for spelled in ("mixedcase", "MIXEDCASE"):
        access = verify(url, pool, client_id, result_of(user_sign_in(idp, client_id, spelled))["AccessToken"], "access")
        assert access["username"] == "MixedCase"

    # Email as username: the username (and the token's username claims) is the sub.
    pool = new_pool(idp, "email", UsernameAttributes=["email"])
    client_id = new_app_client(idp, pool)["ClientId"]
    sub = new_user(idp, pool, "zed@e2e.example")
    result = result_of(user_sign_in(idp, client_id, "zed@e2e.example"))
    access = verify(url, pool, client_id, result["AccessToken"], "access")
    id_claims = verify(url, pool, client_id, result["IdToken"], "id")
    assert access["username"] == access["sub"] == sub
    assert id_claims["cognito:username"] == sub and id_claims["email"] == "zed@e2e.example"
    assert idp.get_user(AccessToken=result["AccessToken"])["Username"] == sub

    # A verified email alias signs in; an unverified one is not an alias.
    pool = new_pool(idp, "alias", AliasAttributes=["email"])
    client_id = new_app_client(idp, pool)["ClientId"]
    new_user(idp, pool, "yan", attributes=[{"Name": "email", "Value": "yan@e2e.example"},
                                           {"Name": "email_verified", "Value": "true"}])
    new_user(idp, pool, "xu", attributes=[{"Name": "email", "Value": "xu@e2e.example"}])
    assert claims_of(result_of(user_sign_in(idp, client_id, "yan@e2e.example"))["AccessToken"])["username"] == "yan"
    expect_error(idp, "UserNotFoundException", USER_GONE, "initiate_auth", ClientId=client_id,
                 AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "xu@e2e.example", "PASSWORD": PASSWORD})


def test_missing_auth_parameters(idp, app):
    client_id = app["client_id"]
    cases = [
        ("USER_PASSWORD_AUTH", {"PASSWORD": PASSWORD}, "USERNAME"),
        ("USER_PASSWORD_AUTH", {"USERNAME": "carol"}, "PASSWORD"),
        ("REFRESH_TOKEN_AUTH", {}, "REFRESH_TOKEN"),
        ("REFRESH_TOKEN", {"DEVICE_KEY": PASSWORD}, "REFRESH_TOKEN"),
    ]
    for flow, params, name in cases:
        expect_error(idp, "InvalidParameterException", f"Missing required parameter {name}", "initiate_auth",
                     ClientId=client_id, AuthFlow=flow, AuthParameters=params)
    expect_error(idp, "InvalidParameterException", "Missing required parameter PASSWORD", "admin_initiate_auth",
                 UserPoolId=app["pool"], ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": "carol"})
    expect_error(idp, "ResourceNotFoundException", client_gone("0" * 26), "initiate_auth",
                 ClientId="0" * 26, AuthFlow="USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD})


def test_null_auth_parameters_are_treated_as_absent(idp, app):
    """amazon-cognito-identity-js sends DEVICE_KEY: null when it has no device (CognitoUser.js), and AWS
    accepts it (aws-auth-research.md §3)."""
    result = result_of(user_sign_in(idp, app["client_id"], "carol", DEVICE_KEY=None))
    assert "AccessToken" in result
    expect_error(idp, "InvalidParameterException", "Missing required parameter USERNAME", "initiate_auth",
                 ClientId=app["client_id"], AuthFlow="USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": None, "PASSWORD": PASSWORD})
    # CognitoUser.js also answers challenges with DEVICE_KEY: null.
    new_user(idp, app["pool"], "nora", permanent=False)
    challenge = user_sign_in(idp, app["client_id"], "nora", password="Temp-Passw0rd!")
    result_of(idp.respond_to_auth_challenge(
        ClientId=app["client_id"], ChallengeName="NEW_PASSWORD_REQUIRED", Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "nora", "NEW_PASSWORD": "N3w-Passw0rd!", "DEVICE_KEY": None}))


def test_client_secret_requires_secret_hash(idp, auth_server, app):
    pool = app["pool"]
    made = new_app_client(idp, pool, GenerateSecret=True)
    client_id, secret = made["ClientId"], made["ClientSecret"]
    good = secret_hash(secret, "carol", client_id)

    expect_error(idp, "NotAuthorizedException",
                 f"Client {client_id} is configured with secret but SECRET_HASH was not received",
                 "initiate_auth", ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD})
    expect_error(idp, "NotAuthorizedException",
                 f"Client {client_id} is configured with secret but SECRET_HASH was not received",
                 "admin_initiate_auth", UserPoolId=pool, ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD})
    wrong_hashes = (secret_hash(secret, "carol2", client_id), secret_hash(("y" if secret[0] == "x" else "x") + secret[1:], "carol", client_id),
                    "bm9wZQ==")
    for wrong in wrong_hashes:
        expect_error(idp, "NotAuthorizedException", f"Unable to verify secret hash for client {client_id}",
                     "initiate_auth", ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                     AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD, "SECRET_HASH": wrong})
    # The secret is checked before the user: an unknown user with a bad hash learns nothing.
    expect_error(idp, "NotAuthorizedException", f"Unable to verify secret hash for client {client_id}",
                 "initiate_auth", ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": "nobody", "PASSWORD": PASSWORD, "SECRET_HASH": good})

    tokens = result_of(user_sign_in(idp, client_id, "carol", SECRET_HASH=good))
    verify(auth_server.url, pool, client_id, tokens["IdToken"], "id")
    result_of(admin_sign_in(idp, pool, client_id, "carol", SECRET_HASH=good))

    # Refresh needs the hash too; it may be computed over the username or the sub.
    expect_error(idp, "NotAuthorizedException",
                 f"Client {client_id} is configured with secret but SECRET_HASH was not received",
                 "initiate_auth", ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                 AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})
    expect_error(idp, "NotAuthorizedException", f"Unable to verify secret hash for client {client_id}",
                 "initiate_auth", ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                 AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"],
                                 "SECRET_HASH": secret_hash(secret, "mallory", client_id)})
    for over in ("carol", app["sub"]):
        refreshed = result_of(refresh(idp, client_id, tokens["RefreshToken"],
                                      SECRET_HASH=secret_hash(secret, over, client_id)))
        assert "AccessToken" in refreshed


def test_password_policy_is_enforced(idp):
    pool = new_pool(idp, Policies={"PasswordPolicy": {
        "MinimumLength": 10, "RequireLowercase": True, "RequireUppercase": True, "RequireNumbers": True,
        "RequireSymbols": True}})
    client_id = new_app_client(idp, pool)["ClientId"]
    new_user(idp, pool, "erin", permanent=False)
    challenge = admin_sign_in(idp, pool, client_id, "erin", password="Temp-Passw0rd!")
    cases = [
        ("Sh0rt-pw!", "Password not long enough"),
        ("NOLOWERCASE-12", "Password must have lowercase characters"),
        ("nouppercase-12", "Password must have uppercase characters"),
        ("No-Numbers-Here", "Password must have numeric characters"),
        ("NoSymbols12345", "Password must have symbol characters"),
    ]
    for password, rule in cases:
        expect_error(idp, "InvalidPasswordException", NEW_PASSWORD_POLICY + rule, "admin_respond_to_auth_challenge",
                     UserPoolId=pool, ClientId=client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
                     Session=challenge["Session"], ChallengeResponses={"USERNAME": "erin", "NEW_PASSWORD": password})
        expect_error(idp, "InvalidPasswordException", NEW_PASSWORD_POLICY + rule, "admin_set_user_password",
                     UserPoolId=pool, Username="erin", Password=password, Permanent=True)
    # A weak answer leaves the Session usable (docs/fidelity.md).
    done = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool, ClientId=client_id, ChallengeName="NEW_PASSWORD_REQUIRED", Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "erin", "NEW_PASSWORD": "Str0ng-Enough!"})
    assert "AccessToken" in result_of(done)


# --- NEW_PASSWORD_REQUIRED -----------------------------------------------------------------------


def test_new_password_required_with_initiate_auth(idp, auth_server, app):
    pool, client_id = app["pool"], app["client_id"]
    new_user(idp, pool, "frank", permanent=False,
             attributes=[{"Name": "email", "Value": "frank@e2e.example"},
                         {"Name": "email_verified", "Value": "true"}])
    challenge = user_sign_in(idp, client_id, "frank", password="Temp-Passw0rd!")
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert "AuthenticationResult" not in challenge
    assert isinstance(challenge["Session"], str) and len(challenge["Session"]) >= 20
    parameters = challenge["ChallengeParameters"]
    assert set(parameters) == {"USER_ID_FOR_SRP", "requiredAttributes", "userAttributes"}
    assert parameters["USER_ID_FOR_SRP"] == "frank"
    assert json.loads(parameters["requiredAttributes"]) == []
    # userAttributes: a JSON string of string values, without sub.
    assert json.loads(parameters["userAttributes"]) == {"email": "frank@e2e.example", "email_verified": "true"}

    expect_error(idp, "InvalidParameterException", "Missing required parameter NEW_PASSWORD",
                 "respond_to_auth_challenge", ClientId=client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
                 Session=challenge["Session"], ChallengeResponses={"USERNAME": "frank"})
    answered = idp.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="NEW_PASSWORD_REQUIRED", Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "frank", "NEW_PASSWORD": "N3w-Passw0rd!"})
    tokens = result_of(answered)
    claims = verify(auth_server.url, pool, client_id, tokens["IdToken"], "id")
    assert claims["cognito:username"] == "frank"
    assert idp.admin_get_user(UserPoolId=pool, Username="frank")["UserStatus"] == "CONFIRMED"

    # The Session works once.
    expect_error(idp, "NotAuthorizedException", "Invalid session for the user, session can only be used once.",
                 "respond_to_auth_challenge",
                 ClientId=client_id, ChallengeName="NEW_PASSWORD_REQUIRED", Session=challenge["Session"],
                 ChallengeResponses={"USERNAME": "frank", "NEW_PASSWORD": "An0ther-Passw0rd!"})
    # The new password is the password now.
    result_of(user_sign_in(idp, client_id, "frank", password="N3w-Passw0rd!"))
    expect_error(idp, "NotAuthorizedException", WRONG_PASSWORD, "initiate_auth", ClientId=client_id,
                 AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "frank", "PASSWORD": "Temp-Passw0rd!"})


def test_new_password_required_asks_for_missing_required_attributes(idp):
    pool = new_pool(idp, Schema=[{"Name": "name", "AttributeDataType": "String", "Required": True, "Mutable": True}])
    client_id = new_app_client(idp, pool)["ClientId"]
    new_user(idp, pool, "gina", permanent=False)
    challenge = admin_sign_in(idp, pool, client_id, "gina", password="Temp-Passw0rd!")
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert json.loads(challenge["ChallengeParameters"]["requiredAttributes"]) == ["userAttributes.name"]

    expect_error(idp, "InvalidParameterException", "Invalid attributes given, name is missing",
                 "admin_respond_to_auth_challenge", UserPoolId=pool, ClientId=client_id,
                 ChallengeName="NEW_PASSWORD_REQUIRED", Session=challenge["Session"],
                 ChallengeResponses={"USERNAME": "gina", "NEW_PASSWORD": "N3w-Passw0rd!"})
    answered = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool, ClientId=client_id, ChallengeName="NEW_PASSWORD_REQUIRED", Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "gina", "NEW_PASSWORD": "N3w-Passw0rd!", "userAttributes.name": "Gina G"})
    assert claims_of(result_of(answered)["IdToken"])["name"] == "Gina G"
    user = idp.admin_get_user(UserPoolId=pool, Username="gina")
    assert attrs(user["UserAttributes"])["name"] == "Gina G"
    assert user["UserStatus"] == "CONFIRMED"


def test_challenge_sessions_are_bound(idp, app):
    pool, client_id = app["pool"], app["client_id"]
    other_client = new_app_client(idp, pool)["ClientId"]
    new_user(idp, pool, "hank", permanent=False)
    challenge = admin_sign_in(idp, pool, client_id, "hank", password="Temp-Passw0rd!")
    session = challenge["Session"]
    answer = {"USERNAME": "hank", "NEW_PASSWORD": "N3w-Passw0rd!"}
    bad = [
        dict(ClientId=client_id, ChallengeName="NEW_PASSWORD_REQUIRED", Session="bm90LWEtc2Vzc2lvbg==" * 3,
             ChallengeResponses=answer),
        dict(ClientId=other_client, ChallengeName="NEW_PASSWORD_REQUIRED", Session=session, ChallengeResponses=answer),
        dict(ClientId=client_id, ChallengeName="SMS_MFA", Session=session, ChallengeResponses=answer),
        dict(ClientId=client_id, ChallengeName="NEW_PASSWORD_REQUIRED", Session=session,
             ChallengeResponses={"USERNAME": "carol", "NEW_PASSWORD": "N3w-Passw0rd!"}),
    ]
    for params in bad:
        expect_error(idp, "NotAuthorizedException", INVALID_SESSION, "respond_to_auth_challenge", **params)
    expect_error(idp, "NotAuthorizedException", INVALID_SESSION, "admin_respond_to_auth_challenge",
                 UserPoolId=pool, ClientId=other_client, ChallengeName="NEW_PASSWORD_REQUIRED", Session=session,
                 ChallengeResponses=answer)
    # None of that used the Session up.
    result_of(idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
                                            Session=session, ChallengeResponses=answer))


# --- tokens and discovery ------------------------------------------------------------------------


def test_tokens_verify_against_jwks_with_cognito_claims(idp, auth_server, app):
    pool, client_id, url = app["pool"], app["client_id"], auth_server.url
    before = int(time.time())
    result = result_of(user_sign_in(idp, client_id, "carol"))
    after = int(time.time())
    access = verify(url, pool, client_id, result["AccessToken"], "access")
    id_claims = verify(url, pool, client_id, result["IdToken"], "id")

    assert set(access) == ACCESS_CLAIMS, set(access) ^ ACCESS_CLAIMS
    assert access["iss"] == issuer(url, pool)
    assert access["scope"] == ADMIN_SCOPE
    assert access["username"] == "carol"
    assert access["sub"] == app["sub"]
    assert before <= access["iat"] <= after and access["auth_time"] == access["iat"]
    assert access["exp"] - access["iat"] == 3600

    assert set(id_claims) == ID_BASE_CLAIMS | {"email", "email_verified", "name"}, set(id_claims)
    assert id_claims["aud"] == client_id
    assert id_claims["cognito:username"] == "carol"
    assert id_claims["sub"] == app["sub"]
    assert id_claims["email"] == "carol@e2e.example"
    assert id_claims["email_verified"] is True  # a JSON boolean, as Cognito writes it
    assert id_claims["name"] == "Carol Example"
    # One sign-in: shared origin_jti, event_id, auth_time, iat, exp; each token its own jti.
    for shared in ("origin_jti", "event_id", "auth_time", "iat", "exp"):
        assert id_claims[shared] == access[shared], shared
    assert id_claims["jti"] != access["jti"]
    for claim in ("origin_jti", "event_id", "jti"):
        assert UUID4_RE.fullmatch(access[claim]), (claim, access[claim])

    # The header is exactly {"kid","alg"}, and the two tokens are signed with different keys.
    access_header = segment(result["AccessToken"], 0)
    id_header = segment(result["IdToken"], 0)
    assert list(json.loads(access_header)) == ["kid", "alg"]
    assert json.loads(access_header)["alg"] == "RS256"
    assert json.loads(access_header)["kid"] != json.loads(id_header)["kid"]
    # Compact JSON with '/' escaped, as Cognito's serializer writes it.
    raw = segment(result["AccessToken"], 1)
    assert b" " not in raw
    assert b'"iss":"' + issuer(url, pool).replace("/", "\\/").encode() + b'"' in raw


def test_jwks_and_openid_configuration(idp, auth_server, app):
    pool, url = app["pool"], auth_server.url
    status, jwks = get_json(jwks_url(url, pool))
    assert status == 200
    keys = jwks["keys"]
    assert len(keys) == 2
    for key in keys:
        assert list(key) == ["alg", "e", "kid", "kty", "n", "use"]
        assert (key["alg"], key["e"], key["kty"], key["use"]) == ("RS256", "AQAB", "RSA", "sig")
        assert "=" not in key["n"] and len(key["n"]) == 342  # RSA-2048, base64url without padding
        # kid = base64(SHA-256(DER SubjectPublicKeyInfo)), as Cognito derives it.
        public = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(key))
        der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        digest = hashes.Hash(hashes.SHA256())
        digest.update(der)
        assert key["kid"] == base64.b64encode(digest.finalize()).decode()
    assert keys[0]["kid"] != keys[1]["kid"]
    # The keys are the pool's own and stay put.
    assert get_json(jwks_url(url, pool))[1] == jwks
    other = new_pool(idp, "other")
    assert {k["kid"] for k in get_json(jwks_url(url, other))[1]["keys"]}.isdisjoint({k["kid"] for k in keys})

    status, config = get_json(f"{url}/{pool}/.well-known/openid-configuration")
    assert status == 200
    # Without a domain, AWS lists the endpoints on the issuer's host, where nothing answers.
    assert config == {
        "authorization_endpoint": issuer(url, pool) + "/authorize",
        "id_token_signing_alg_values_supported": ["RS256"],
        "issuer": issuer(url, pool),
        "jwks_uri": jwks_url(url, pool),
        "response_types_supported": ["code", "token"],
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "subject_types_supported": ["public"],
        "token_endpoint": issuer(url, pool) + "/token",
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "userinfo_endpoint": issuer(url, pool) + "/userInfo",
    }
    # With one, they are the domain's, served on this host under its name.
    idp.create_user_pool_domain(UserPoolId=pool, Domain="discovery-e2e")
    config = get_json(f"{url}/{pool}/.well-known/openid-configuration")[1]
    hosted = f"{url}/discovery-e2e"
    assert {name: config[name] for name in config if name.endswith("_endpoint")} == {
        "authorization_endpoint": hosted + "/oauth2/authorize",
        "end_session_endpoint": hosted + "/logout",
        "revocation_endpoint": hosted + "/oauth2/revoke",
        "token_endpoint": hosted + "/oauth2/token",
        "userinfo_endpoint": hosted + "/oauth2/userInfo",
    }
    assert list(config) == sorted(config)
    # Both documents are GETs on the pool's path; an unknown pool is a 404.
    for document in ("jwks.json", "openid-configuration"):
        with pytest.raises(urllib.error.HTTPError) as info:
            get_json(f"{url}/{UNKNOWN_POOL}/.well-known/{document}")
        assert info.value.code == 404
        assert json.loads(info.value.read())["__type"] == "ResourceNotFoundException"
    status, headers, _ = raw_request(url, method="POST", path=f"/{pool}/.well-known/jwks.json")
    assert status == 405 and headers.get("allow") == "GET"


def test_issuer_follows_the_host_the_client_called(auth_server, app):
    pool, client_id, url = app["pool"], app["client_id"], auth_server.url
    host = "cognito.e2e.example:9229"
    status, _, body = raw_request(url, method="GET", path=f"/{pool}/.well-known/openid-configuration",
                                  headers={"Host": host})
    assert status == 200
    assert json.loads(body)["issuer"] == f"http://{host}/{pool}"
    status, _, body = raw_request(url, method="GET", path=f"/{pool}/.well-known/openid-configuration",
                                  headers={"Host": host, "X-Forwarded-Proto": "https"})
    assert json.loads(body)["issuer"] == f"https://{host}/{pool}"

    status, _, body = raw_request(url, "InitiateAuth", {
        "ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": "carol", "PASSWORD": PASSWORD}}, headers={"Host": host})
    assert status == 200, body
    token = json.loads(body)["AuthenticationResult"]["AccessToken"]
    assert claims_of(token)["iss"] == f"http://{host}/{pool}"
    # Such a token still authorises API calls made through another address.
    status, _, body = raw_request(url, "GetUser", {"AccessToken": token})
    assert status == 200 and json.loads(body)["Username"] == "carol"


def test_tokens_fail_verification_when_tampered_or_checked_against_another_pool(idp, auth_server, app):
    pool, client_id, url = app["pool"], app["client_id"], auth_server.url
    result = result_of(user_sign_in(idp, client_id, "carol"))
    access = result["AccessToken"]

    header, payload, signature = access.split(".")
    claims = claims_of(access)
    claims["username"] = "mallory"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    forged = f"{header}.{forged_payload}.{signature}"
    key = jwt.PyJWKClient(jwks_url(url, pool)).get_signing_key_from_jwt(access).key
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(forged, key, algorithms=["RS256"], options={"verify_aud": False})
    get_user_error(idp, forged, INVALID_ACCESS)

    # Another pool's key set does not hold the kid.
    other = new_pool(idp, "other")
    with pytest.raises(jwt.PyJWKClientError):
        jwt.PyJWKClient(jwks_url(url, other)).get_signing_key_from_jwt(access)
    # The ID token does not verify as the access token's audience check would demand, nor for another client.
    with pytest.raises(jwt.InvalidAudienceError):
        verify(url, pool, "0" * 26, result["IdToken"], "id")
    with pytest.raises(jwt.InvalidIssuerError):
        jwt.decode(access, key, algorithms=["RS256"], issuer=issuer(url, other), options={"verify_aud": False})


def test_validity_settings_shape_the_tokens(idp, auth_server, app):
    pool, url = app["pool"], auth_server.url
    client_id = new_app_client(
        idp, pool, AccessTokenValidity=5, IdTokenValidity=2,
        TokenValidityUnits={"AccessToken": "minutes", "IdToken": "hours"})["ClientId"]
    result = result_of(user_sign_in(idp, client_id, "carol"))
    assert result["ExpiresIn"] == 300
    access = verify(url, pool, client_id, result["AccessToken"], "access")
    id_claims = verify(url, pool, client_id, result["IdToken"], "id")
    assert access["exp"] - access["iat"] == 300
    assert id_claims["exp"] - id_claims["iat"] == 7200

    seconds = new_app_client(idp, pool, AccessTokenValidity=600, IdTokenValidity=900,
                             TokenValidityUnits={"AccessToken": "seconds", "IdToken": "seconds"})["ClientId"]
    result = result_of(user_sign_in(idp, seconds, "carol"))
    assert result["ExpiresIn"] == 600
    assert claims_of(result["IdToken"])["exp"] - claims_of(result["IdToken"])["iat"] == 900


def test_read_attributes_limit_the_id_token(idp, auth_server, app):
    pool, url = app["pool"], auth_server.url
    client_id = new_app_client(idp, pool, ReadAttributes=["email"])["ClientId"]
    result = result_of(user_sign_in(idp, client_id, "carol"))
    id_claims = verify(url, pool, client_id, result["IdToken"], "id")
    assert id_claims["email"] == "carol@e2e.example"
    assert "name" not in id_claims and "email_verified" not in id_claims


def test_get_user_returns_only_readable_attributes(idp, app):
    client_id = new_app_client(idp, app["pool"], ReadAttributes=["email"])["ClientId"]
    token = result_of(user_sign_in(idp, client_id, "carol"))["AccessToken"]
    names = set(attrs(idp.get_user(AccessToken=token)["UserAttributes"]))
    assert "name" not in names
    assert "email" in names


# --- refresh -------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "admin"])
def test_refresh_mints_new_access_and_id_tokens(idp, auth_server, app, how):
    pool, client_id, url = app["pool"], app["client_id"], auth_server.url
    first = result_of(user_sign_in(idp, client_id, "carol"))
    time.sleep(1.05)  # so that iat moves
    if how == "admin":
        response = idp.admin_initiate_auth(UserPoolId=pool, ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                                           AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]})
    else:
        response = refresh(idp, client_id, first["RefreshToken"], flow=how)
    renewed = result_of(response)
    # Only access and ID tokens; no new refresh token, no device.
    assert set(renewed) == {"AccessToken", "ExpiresIn", "TokenType", "IdToken"}
    old = claims_of(first["AccessToken"])
    new = verify(url, pool, client_id, renewed["AccessToken"], "access")
    new_id = verify(url, pool, client_id, renewed["IdToken"], "id")
    assert new["origin_jti"] == old["origin_jti"] == new_id["origin_jti"]
    assert new["auth_time"] == old["auth_time"]  # the original authentication
    assert new["iat"] > old["iat"]
    assert new["jti"] != old["jti"]
    assert new["sub"] == app["sub"]
    assert idp.get_user(AccessToken=renewed["AccessToken"])["Username"] == "carol"
    # The refresh token stays usable.
    result_of(refresh(idp, client_id, first["RefreshToken"]))


def test_bad_refresh_tokens(idp, app):
    pool, client_id = app["pool"], app["client_id"]
    tokens = result_of(user_sign_in(idp, client_id, "carol"))
    other_client = new_app_client(idp, pool)["ClientId"]
    for token in ("garbage", tokens["AccessToken"], tokens["RefreshToken"][:-4] + "AAAA"):
        expect_error(idp, "NotAuthorizedException", INVALID_REFRESH, "initiate_auth", ClientId=client_id,
                     AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": token})
    # A refresh token works only for the client it was issued to.
    expect_error(idp, "NotAuthorizedException", INVALID_REFRESH, "initiate_auth", ClientId=other_client,
                 AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})
    # Deleting the user ends the refresh token.
    idp.admin_delete_user(UserPoolId=pool, Username="carol")
    expect_error(idp, "NotAuthorizedException", INVALID_REFRESH, "initiate_auth", ClientId=client_id,
                 AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})


def test_deleted_users_access_token_answers_user_not_found(idp, app):
    tokens = result_of(user_sign_in(idp, app["client_id"], "carol"))
    idp.admin_delete_user(UserPoolId=app["pool"], Username="carol")
    expect_error(idp, "UserNotFoundException", USER_GONE, "get_user", AccessToken=tokens["AccessToken"])


def get_tokens_from_refresh_token(url, body):
    status, _, data = raw_request(url, "GetTokensFromRefreshToken", body)
    return status, json.loads(data)


def test_get_tokens_from_refresh_token_with_rotation(idp, auth_server, app):
    pool, url = app["pool"], auth_server.url
    plain = app["client_id"]
    tokens = result_of(user_sign_in(idp, plain, "carol"))
    status, body = get_tokens_from_refresh_token(url, {"ClientId": plain, "RefreshToken": tokens["RefreshToken"]})
    assert status == 200, body
    assert set(body["AuthenticationResult"]) == {"AccessToken", "ExpiresIn", "TokenType", "IdToken"}

    # Debian's botocore predates RefreshTokenRotation and GetTokensFromRefreshToken: raw requests.
    status, _, data = raw_request(url, "CreateUserPoolClient", {
        "UserPoolId": pool, "ClientName": "rotating", "ExplicitAuthFlows": ALL_FLOWS,
        "RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}})
    assert status == 200, data
    created = json.loads(data)["UserPoolClient"]
    assert created["RefreshTokenRotation"] == {"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}
    rotating = created["ClientId"]
    first = result_of(user_sign_in(idp, rotating, "carol"))["RefreshToken"]
    status, body = get_tokens_from_refresh_token(url, {"ClientId": rotating, "RefreshToken": first})
    assert status == 200, body
    second = body["AuthenticationResult"]["RefreshToken"]
    assert second != first and second.split(".")[0] == REFRESH_HEADER
    verify(url, pool, rotating, body["AuthenticationResult"]["AccessToken"], "access")
    # The old one is gone at once (no grace period in cognitod); the new one works.
    status, body = get_tokens_from_refresh_token(url, {"ClientId": rotating, "RefreshToken": first})
    assert (status, body["__type"], body["message"]) == (400, "NotAuthorizedException", INVALID_REFRESH)
    status, body = get_tokens_from_refresh_token(url, {"ClientId": rotating, "RefreshToken": second})
    assert status == 200, body


# --- GetUser, sign-out, revocation ---------------------------------------------------------------


def test_get_user_answers_for_the_token(idp, app):
    tokens = result_of(user_sign_in(idp, app["client_id"], "carol"))
    user = idp.get_user(AccessToken=tokens["AccessToken"])
    assert user["Username"] == "carol"
    assert user["UserAttributes"][0] == {"Name": "sub", "Value": app["sub"]}
    assert attrs(user["UserAttributes"]) == {
        "sub": app["sub"], "email": "carol@e2e.example", "email_verified": "true", "name": "Carol Example"}
    for absent in ("MFAOptions", "PreferredMfaSetting", "UserMFASettingList"):
        assert absent not in user
    for bad in ("garbage", "a.b.c", tokens["IdToken"], tokens["RefreshToken"]):
        get_user_error(idp, bad, INVALID_ACCESS)


def test_global_sign_out_revokes_every_token_of_the_user(idp, app):
    pool, client_id = app["pool"], app["client_id"]
    new_user(idp, pool, "ivan")
    phone = result_of(user_sign_in(idp, client_id, "carol"))
    laptop = result_of(admin_sign_in(idp, pool, client_id, "carol"))
    bystander = result_of(user_sign_in(idp, client_id, "ivan"))

    response = idp.global_sign_out(AccessToken=phone["AccessToken"])
    assert set(response) == {"ResponseMetadata"}
    for tokens in (phone, laptop):
        get_user_error(idp, tokens["AccessToken"], REVOKED_ACCESS)
        expect_error(idp, "NotAuthorizedException", REVOKED_ACCESS, "global_sign_out",
                     AccessToken=tokens["AccessToken"])
        expect_error(idp, "NotAuthorizedException", REVOKED_REFRESH, "initiate_auth", ClientId=client_id,
                     AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})
    # Another user keeps their session.
    assert idp.get_user(AccessToken=bystander["AccessToken"])["Username"] == "ivan"
    result_of(refresh(idp, client_id, bystander["RefreshToken"]))
    # A later sign-in works (after the revoked second).
    wait_next_second()
    fresh = result_of(user_sign_in(idp, client_id, "carol"))
    assert idp.get_user(AccessToken=fresh["AccessToken"])["Username"] == "carol"
    result_of(refresh(idp, client_id, fresh["RefreshToken"]))


def test_sign_in_within_the_sign_out_second_is_revoked_too(idp, app):
    """Cognito revokes by whole seconds (aws-sdk-java#2449; docs/fidelity.md)."""
    pool, client_id = app["pool"], app["client_id"]
    for _ in range(5):
        now = time.time()
        if now - int(now) > 0.5:
            time.sleep(int(now) + 1.01 - now)
        start = time.time()
        idp.admin_user_global_sign_out(UserPoolId=pool, Username="carol")
        tokens = result_of(user_sign_in(idp, client_id, "carol"))
        if int(time.time()) == int(start) == claims_of(tokens["AccessToken"])["iat"]:
            get_user_error(idp, tokens["AccessToken"], REVOKED_ACCESS)
            return
    pytest.fail("could not sign out and in within one second")


def test_admin_user_global_sign_out(idp, app):
    pool, client_id = app["pool"], app["client_id"]
    tokens = result_of(user_sign_in(idp, client_id, "carol"))
    response = idp.admin_user_global_sign_out(UserPoolId=pool, Username="carol")
    assert set(response) == {"ResponseMetadata"}
    get_user_error(idp, tokens["AccessToken"], REVOKED_ACCESS)
    expect_error(idp, "NotAuthorizedException", REVOKED_REFRESH, "initiate_auth", ClientId=client_id,
                 AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})
    expect_error(idp, "UserNotFoundException", USER_GONE, "admin_user_global_sign_out",
                 UserPoolId=pool, Username="nobody")
    expect_error(idp, "ResourceNotFoundException", pool_gone(UNKNOWN_POOL), "admin_user_global_sign_out",
                 UserPoolId=UNKNOWN_POOL, Username="carol")


def test_revoke_token_ends_one_sign_in(idp, app):
    pool, client_id = app["pool"], app["client_id"]
    kept = result_of(user_sign_in(idp, client_id, "carol"))
    revoked = result_of(admin_sign_in(idp, pool, client_id, "carol"))
    renewed = result_of(refresh(idp, client_id, revoked["RefreshToken"]))

    response = idp.revoke_token(Token=revoked["RefreshToken"], ClientId=client_id)
    assert set(response) == {"ResponseMetadata"}
    expect_error(idp, "NotAuthorizedException", REVOKED_REFRESH, "initiate_auth", ClientId=client_id,
                 AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": revoked["RefreshToken"]})
    # Every access token minted from that refresh token goes with it...
    get_user_error(idp, revoked["AccessToken"], REVOKED_ACCESS)
    get_user_error(idp, renewed["AccessToken"], REVOKED_ACCESS)
    # ...and nothing else does.
    assert idp.get_user(AccessToken=kept["AccessToken"])["Username"] == "carol"
    result_of(refresh(idp, client_id, kept["RefreshToken"]))
    # Revoking again, or an unknown token, is not an error (RFC 7009; docs/fidelity.md).
    idp.revoke_token(Token=revoked["RefreshToken"], ClientId=client_id)
    idp.revoke_token(Token=kept["RefreshToken"][:-4] + "AAAA", ClientId=client_id)
    result_of(refresh(idp, client_id, kept["RefreshToken"]))


def test_revoke_token_errors(idp, app):
    pool, client_id = app["pool"], app["client_id"]
    tokens = result_of(user_sign_in(idp, client_id, "carol"))
    for jws in (tokens["AccessToken"], tokens["IdToken"]):
        expect_error(idp, "UnsupportedTokenTypeException", "Unsupported token type.", "revoke_token",
                     Token=jws, ClientId=client_id)
    no_revocation = new_app_client(idp, pool, EnableTokenRevocation=False)["ClientId"]
    expect_error(idp, "UnsupportedOperationException", "Token revocation is not enabled for this client.",
                 "revoke_token", Token=tokens["RefreshToken"], ClientId=no_revocation)
    expect_error(idp, "InvalidParameterException", f"Client {'0' * 26} does not exist.", "revoke_token",
                 Token=tokens["RefreshToken"], ClientId="0" * 26)
    # Another client's token.
    other = new_app_client(idp, pool)["ClientId"]
    expect_error(idp, "UnauthorizedException", "The token was not issued to this client.", "revoke_token",
                 Token=tokens["RefreshToken"], ClientId=other)
    # A client with a secret needs it.
    made = new_app_client(idp, pool, GenerateSecret=True)
    secret_tokens = result_of(user_sign_in(idp, made["ClientId"], "carol",
                                           SECRET_HASH=secret_hash(made["ClientSecret"], "carol", made["ClientId"])))
    for wrong in ({}, {"ClientSecret": "x" * 52}):
        expect_error(idp, "UnauthorizedException", "Client authentication failed.", "revoke_token",
                     Token=secret_tokens["RefreshToken"], ClientId=made["ClientId"], **wrong)
    # None of the refused calls revoked anything.
    assert idp.get_user(AccessToken=tokens["AccessToken"])["Username"] == "carol"
    idp.revoke_token(Token=secret_tokens["RefreshToken"], ClientId=made["ClientId"], ClientSecret=made["ClientSecret"])
    get_user_error(idp, secret_tokens["AccessToken"], REVOKED_ACCESS)


def test_access_tokens_of_a_deleted_pool_are_invalid(idp, app):
    tokens = result_of(user_sign_in(idp, app["client_id"], "carol"))
    idp.delete_user_pool(UserPoolId=app["pool"])
    get_user_error(idp, tokens["AccessToken"], INVALID_ACCESS)
    expect_error(idp, "ResourceNotFoundException", client_gone(app["client_id"]), "initiate_auth",
                 ClientId=app["client_id"], AuthFlow="REFRESH_TOKEN_AUTH",
                 AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})


def test_the_test_clock_expires_an_access_token(empty_server, empty_client):
    """POST /_cognitod/clock moves the state's time: an access token of one hour is refused once
    the clock has moved past it, the refresh token still works, and reset puts the time back."""
    pool = new_pool(empty_client)
    client_id = new_app_client(empty_client, pool)["ClientId"]
    new_user(empty_client, pool, "alice")
    tokens = admin_sign_in(empty_client, pool, client_id, "alice")["AuthenticationResult"]
    empty_client.get_user(AccessToken=tokens["AccessToken"])

    def clock(method, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{empty_server.url}/_cognitod/clock", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    before = clock("GET")
    moved = clock("POST", {"advanceSeconds": 3601})
    assert moved["offsetSeconds"] == 3601 and moved["now"] >= before["now"] + 3601
    expect_error(empty_client, "NotAuthorizedException", "Access Token has expired", "get_user",
                 AccessToken=tokens["AccessToken"])
    refreshed = refresh(empty_client, client_id, tokens["RefreshToken"])["AuthenticationResult"]
    claims = claims_of(refreshed["AccessToken"])
    assert claims["iat"] >= moved["now"] - 5
    assert empty_client.get_user(AccessToken=refreshed["AccessToken"])["Username"] == "alice"

    request = urllib.request.Request(f"{empty_server.url}/_cognitod/reset", data=b"", method="POST",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=30).close()
    assert clock("GET")["offsetSeconds"] == 0
