"""Helpers for the sign-in and device-lifecycle e2e tests: pools, app clients and users made the
way an app's setup script makes them, sign-in calls, SECRET_HASH, and token verification with an
independent JWT library (Debian's python3-jwt) against cognitod's own jwks.json."""

import base64
import hashlib
import hmac
import json
import re
import time
import urllib.request

import jwt

from cognitod_e2e import REGION

PASSWORD = "Corr3ct-Horse!"
ALL_FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
# DeviceConfiguration: "Always" remembers a confirmed device at once, "User opt-in" waits for the
# app to call UpdateDeviceStatus.
TRACKING_ALWAYS = {"ChallengeRequiredOnNewDevice": False, "DeviceOnlyRememberedOnUserPrompt": False}
TRACKING_OPT_IN = {"ChallengeRequiredOnNewDevice": False, "DeviceOnlyRememberedOnUserPrompt": True}
ADMIN_SCOPE = "aws.cognito.signin.user.admin"

CLIENT_ID_RE = re.compile(r"[0-9a-z]{26}")
DEVICE_KEY_RE = re.compile(re.escape(REGION) + r"_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
DEVICE_GROUP_KEY_RE = re.compile(r"-[0-9A-Za-z]{9}")
REFRESH_HEADER = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ"

# Messages (aws-auth-research.md §3; [real] unless docs/fidelity.md says cognitod chose them).
WRONG_PASSWORD = "Incorrect username or password."
USER_GONE = "User does not exist."
USER_DISABLED = "User is disabled."
INVALID_ACCESS = "Invalid Access Token"
REVOKED_ACCESS = "Access Token has been revoked"
INVALID_REFRESH = "Invalid Refresh Token"
REVOKED_REFRESH = "Refresh Token has been revoked"
INVALID_SESSION = "Invalid session for the user."
DEVICE_GONE = "Device does not exist."
BAD_DEVICE_KEY = "Invalid device key given."
BAD_VALIDITY = "Invalid range for token validity."


def client_gone(client_id):
    return f"User pool client {client_id} does not exist."


def pool_gone(pool_id):
    return f"User pool {pool_id} does not exist."


def new_pool(client, name="app-pool", **params):
    return client.create_user_pool(PoolName=name, **params)["UserPool"]["Id"]


def new_app_client(client, pool, flows=ALL_FLOWS, name="app", **params):
    """CreateUserPoolClient; flows=None leaves ExplicitAuthFlows out. Returns the UserPoolClient."""
    if flows is not None:
        params["ExplicitAuthFlows"] = flows
    return client.create_user_pool_client(UserPoolId=pool, ClientName=name, **params)["UserPoolClient"]


def new_user(client, pool, username, password=PASSWORD, attributes=(), permanent=True):
    """AdminCreateUser (no message) and, by default, a permanent password. Returns the sub."""
    user = client.admin_create_user(
        UserPoolId=pool, Username=username, TemporaryPassword="Temp-Passw0rd!",
        UserAttributes=list(attributes), MessageAction="SUPPRESS",
    )["User"]
    if permanent:
        client.admin_set_user_password(UserPoolId=pool, Username=username, Password=password, Permanent=True)
    return {a["Name"]: a["Value"] for a in user["Attributes"]}["sub"]


def admin_sign_in(client, pool, client_id, username, password=PASSWORD, flow="ADMIN_USER_PASSWORD_AUTH", **extra):
    """AdminInitiateAuth with a password; extra goes into AuthParameters. Returns the whole response."""
    params = {"USERNAME": username, "PASSWORD": password, **extra}
    return client.admin_initiate_auth(UserPoolId=pool, ClientId=client_id, AuthFlow=flow, AuthParameters=params)


def user_sign_in(client, client_id, username, password=PASSWORD, **extra):
    """InitiateAuth USER_PASSWORD_AUTH; extra goes into AuthParameters. Returns the whole response."""
    params = {"USERNAME": username, "PASSWORD": password, **extra}
    return client.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=params)


def refresh(client, client_id, refresh_token, flow="REFRESH_TOKEN_AUTH", **extra):
    params = {"REFRESH_TOKEN": refresh_token, **extra}
    return client.initiate_auth(ClientId=client_id, AuthFlow=flow, AuthParameters=params)


def secret_hash(secret, username, client_id):
    """base64(HMAC-SHA256(client secret, username + client id)), as every SDK computes it."""
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def issuer(url, pool):
    return f"{url}/{pool}"


def jwks_url(url, pool):
    return f"{url}/{pool}/.well-known/jwks.json"


def get_json(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


def verify(url, pool, client_id, token, token_use):
    """Verifies a token the way a resource server does: signature against the pool's jwks.json
    (found by kid), RS256 only, exp, iss, then aud (ID token) or client_id (access token) and
    token_use. Returns the claims; any failure raises."""
    signing_key = jwt.PyJWKClient(jwks_url(url, pool)).get_signing_key_from_jwt(token)
    required = ["sub", "iss", "exp", "iat", "auth_time", "jti", "origin_jti", "token_use"]
    if token_use == "id":
        claims = jwt.decode(
            token, signing_key.key, algorithms=["RS256"], audience=client_id, issuer=issuer(url, pool),
            options={"require": required + ["aud"]},
        )
    else:
        claims = jwt.decode(
            token, signing_key.key, algorithms=["RS256"], issuer=issuer(url, pool),
            options={"require": required + ["client_id", "scope"], "verify_aud": False},
        )
        assert claims["client_id"] == client_id, claims
    assert claims["token_use"] == token_use, claims
    return claims


def segment(token, index):
    """The raw bytes of one base64url segment of a compact token."""
    part = token.split(".")[index]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def claims_of(token):
    return json.loads(segment(token, 1))


def wait_next_second():
    """Cognito revokes by whole seconds (a sign-in in the second of a sign-out is revoked too);
    tests that sign in again after a sign-out step past that second first."""
    now = time.time()
    time.sleep(int(now) + 1.05 - now)


def add_forwarded_for(client, value):
    """Makes every request of this boto3 client carry X-Forwarded-For, as a proxy in front of
    cognitod would."""

    def hook(request, **_):
        request.headers["X-Forwarded-For"] = value

    client.meta.events.register("before-send.cognito-idp.*", hook)
    return client
