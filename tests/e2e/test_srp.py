"""USER_SRP_AUTH through boto3, in the user and the admin form: the client side computed here the
way amazon-cognito-identity-js computes it (tests/e2e/js drives the library itself)."""
import pytest

from cognitod_e2e import expect_error, make_client
from sign_in_e2e import PASSWORD, WRONG_PASSWORD, claims_of, new_app_client, new_pool, new_user
from srp_verifier import claim_key, claim_signature, new_ephemeral, private_key, timestamp_now

SRP_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


@pytest.fixture
def idp(empty_server):
    return make_client(empty_server.url)


def srp_sign_in(idp, client_id, pool, username, password, admin=False):
    """USER_SRP_AUTH then PASSWORD_VERIFIER; returns the final response."""
    a, A = new_ephemeral()
    params = {"USERNAME": username, "SRP_A": format(A, "x")}
    if admin:
        challenge = idp.admin_initiate_auth(UserPoolId=pool, ClientId=client_id, AuthFlow="USER_SRP_AUTH",
                                            AuthParameters=params)
    else:
        challenge = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=params)
    assert challenge["ChallengeName"] == "PASSWORD_VERIFIER"
    p = challenge["ChallengeParameters"]
    assert set(p) == {"SALT", "SECRET_BLOCK", "SRP_B", "USERNAME", "USER_ID_FOR_SRP"}
    user_id = p["USER_ID_FOR_SRP"]
    x = private_key(int(p["SALT"], 16), pool.split("_", 1)[1], user_id, password)
    key = claim_key(a, A, int(p["SRP_B"], 16), x)
    stamp = timestamp_now()
    answers = {
        "USERNAME": user_id,
        "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"],
        "PASSWORD_CLAIM_SIGNATURE": claim_signature(key, pool.split("_", 1)[1], user_id, p["SECRET_BLOCK"], stamp),
        "TIMESTAMP": stamp,
    }
    request = {"ClientId": client_id, "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": answers}
    if admin:
        return idp.admin_respond_to_auth_challenge(UserPoolId=pool, **request)
    return idp.respond_to_auth_challenge(**request)


@pytest.mark.parametrize("admin", [False, True], ids=["InitiateAuth", "AdminInitiateAuth"])
def test_srp_sign_in_issues_tokens(idp, admin):
    pool = new_pool(idp)
    client_id = new_app_client(idp, pool, flows=SRP_FLOWS)["ClientId"]
    sub = new_user(idp, pool, "sara")
    result = srp_sign_in(idp, client_id, pool, "sara", PASSWORD, admin=admin)["AuthenticationResult"]
    claims = claims_of(result["AccessToken"])
    assert claims["sub"] == sub and claims["username"] == "sara"


@pytest.mark.parametrize("admin", [False, True], ids=["InitiateAuth", "AdminInitiateAuth"])
def test_srp_with_a_wrong_password_is_refused(idp, admin):
    pool = new_pool(idp)
    client_id = new_app_client(idp, pool, flows=SRP_FLOWS)["ClientId"]
    new_user(idp, pool, "sara")
    with pytest.raises(idp.exceptions.NotAuthorizedException) as refused:
        srp_sign_in(idp, client_id, pool, "sara", "Not-" + PASSWORD, admin=admin)
    assert refused.value.response["Error"]["Message"] == WRONG_PASSWORD


def test_a_forged_claim_and_a_replayed_secret_block_are_refused(idp):
    pool = new_pool(idp)
    client_id = new_app_client(idp, pool, flows=SRP_FLOWS)["ClientId"]
    new_user(idp, pool, "sara")
    a, A = new_ephemeral()
    challenge = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_SRP_AUTH",
                                  AuthParameters={"USERNAME": "sara", "SRP_A": format(A, "x")})
    block = challenge["ChallengeParameters"]["SECRET_BLOCK"]
    forged = {"USERNAME": "sara", "PASSWORD_CLAIM_SECRET_BLOCK": block,
              "PASSWORD_CLAIM_SIGNATURE": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "TIMESTAMP": timestamp_now()}
    expect_error(idp, "NotAuthorizedException", WRONG_PASSWORD, "respond_to_auth_challenge",
                 ClientId=client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=forged)
    # A SECRET_BLOCK cognitod never issued opens no exchange.
    forged["PASSWORD_CLAIM_SECRET_BLOCK"] = "bm90IGEgYmxvY2sgY29nbml0b2QgaXNzdWVk"
    expect_error(idp, "NotAuthorizedException", "Invalid session for the user.", "respond_to_auth_challenge",
                 ClientId=client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=forged)


def test_srp_needs_the_flow_and_srp_a(idp):
    pool = new_pool(idp)
    password_only = new_app_client(idp, pool, flows=["ALLOW_USER_PASSWORD_AUTH"])["ClientId"]
    srp = new_app_client(idp, pool, flows=SRP_FLOWS)["ClientId"]
    new_user(idp, pool, "sara")
    expect_error(idp, "InvalidParameterException", "USER_SRP_AUTH flow not enabled for this client",
                 "initiate_auth", ClientId=password_only, AuthFlow="USER_SRP_AUTH",
                 AuthParameters={"USERNAME": "sara", "SRP_A": "abc"})
    expect_error(idp, "InvalidParameterException", "Missing required parameter SRP_A",
                 "initiate_auth", ClientId=srp, AuthFlow="USER_SRP_AUTH", AuthParameters={"USERNAME": "sara"})
    expect_error(idp, "InvalidParameterException", "SRP_A is not a valid hexadecimal number.",
                 "initiate_auth", ClientId=srp, AuthFlow="USER_SRP_AUTH",
                 AuthParameters={"USERNAME": "sara", "SRP_A": "xyz"})
