"""MFA through boto3: the pool's and the user's settings, software tokens (RFC 6238) and SMS codes
read from cognitod's outbox (GET /_cognitod/messages)."""
import base64
import hashlib
import hmac
import json
import struct
import time
import urllib.request

import pytest

from cognitod_e2e import expect_error, make_client
from sign_in_e2e import new_app_client, new_pool, new_user, user_sign_in

CODE_MISMATCH = "Invalid code received for user"


def totp(secret_b32, at=None):
    """The 6-digit code an authenticator app shows for SecretCode (HMAC-SHA1, 30 s steps)."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1000000:06d}"


def outbox(url, **query):
    suffix = "&".join(f"{k}={v}" for k, v in query.items())
    with urllib.request.urlopen(f"{url}/_cognitod/messages?{suffix}") as response:
        return json.load(response)["Messages"]


@pytest.fixture
def idp(empty_server):
    return make_client(empty_server.url)


def totp_user(idp, pool, client_id, username):
    """A user with a verified software token, enabled and preferred. Returns its secret."""
    new_user(idp, pool, username)
    tokens = user_sign_in(idp, client_id, username)["AuthenticationResult"]
    secret = idp.associate_software_token(AccessToken=tokens["AccessToken"])["SecretCode"]
    assert idp.verify_software_token(AccessToken=tokens["AccessToken"], UserCode=totp(secret))["Status"] == "SUCCESS"
    idp.set_user_mfa_preference(AccessToken=tokens["AccessToken"],
                                SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    return secret


def test_pool_mfa_configuration_round_trips(idp):
    pool = new_pool(idp)
    answer = idp.set_user_pool_mfa_config(UserPoolId=pool, MfaConfiguration="OPTIONAL",
                                          SoftwareTokenMfaConfiguration={"Enabled": True})
    assert answer["MfaConfiguration"] == "OPTIONAL"
    assert answer["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    got = idp.get_user_pool_mfa_config(UserPoolId=pool)
    assert got["MfaConfiguration"] == "OPTIONAL" and got["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    described = idp.describe_user_pool(UserPoolId=pool)["UserPool"]
    assert described["MfaConfiguration"] == "OPTIONAL"
    assert "SoftwareTokenMfaConfiguration" not in described


def test_software_token_setup_and_sign_in(idp):
    pool = new_pool(idp)
    idp.set_user_pool_mfa_config(UserPoolId=pool, MfaConfiguration="OPTIONAL",
                                 SoftwareTokenMfaConfiguration={"Enabled": True})
    client_id = new_app_client(idp, pool)["ClientId"]
    new_user(idp, pool, "tina")
    # OPTIONAL MFA and nothing chosen yet: a plain sign-in.
    tokens = user_sign_in(idp, client_id, "tina")["AuthenticationResult"]
    secret = idp.associate_software_token(AccessToken=tokens["AccessToken"])["SecretCode"]
    assert len(secret) == 32 and secret.isalnum()
    wrong = f"{(int(totp(secret)) + 1) % 1000000:06d}"
    expect_error(idp, "EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA",
                 "verify_software_token", AccessToken=tokens["AccessToken"], UserCode=wrong)
    # Enabling before a verified token is refused.
    expect_error(idp, "InvalidParameterException", "User has not verified software token mfa",
                 "set_user_mfa_preference", AccessToken=tokens["AccessToken"],
                 SoftwareTokenMfaSettings={"Enabled": True})
    assert idp.verify_software_token(AccessToken=tokens["AccessToken"], UserCode=totp(secret))["Status"] == "SUCCESS"
    idp.set_user_mfa_preference(AccessToken=tokens["AccessToken"],
                                SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    user = idp.admin_get_user(UserPoolId=pool, Username="tina")
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    assert user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"

    challenge = user_sign_in(idp, client_id, "tina")
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA" and "AuthenticationResult" not in challenge
    answer = dict(ClientId=client_id, ChallengeName="SOFTWARE_TOKEN_MFA", Session=challenge["Session"])
    expect_error(idp, "CodeMismatchException", CODE_MISMATCH, "respond_to_auth_challenge",
                 ChallengeResponses={"USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": wrong}, **answer)
    # A wrong code leaves the Session usable until it expires.
    done = idp.respond_to_auth_challenge(
        ChallengeResponses={"USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": totp(secret)}, **answer)
    assert done["AuthenticationResult"]["TokenType"] == "Bearer"


def test_sms_mfa_codes_go_to_the_outbox(idp, empty_server):
    pool = new_pool(idp, MfaConfiguration="ON")
    client_id = new_app_client(idp, pool)["ClientId"]
    new_user(idp, pool, "sam", attributes=[{"Name": "phone_number", "Value": "+15555550100"}])
    urllib.request.urlopen(urllib.request.Request(f"{empty_server.url}/_cognitod/messages", method="DELETE"))

    challenge = user_sign_in(idp, client_id, "sam")
    assert challenge["ChallengeName"] == "SMS_MFA"
    assert challenge["ChallengeParameters"] == {"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
                                                "CODE_DELIVERY_DESTINATION": "+*******0100"}
    messages = outbox(empty_server.url, pool=pool, username="sam")
    assert len(messages) == 1
    sent = messages[0]
    assert sent["Destination"] == "+15555550100" and sent["DeliveryMedium"] == "SMS"
    assert len(sent["Code"]) == 6 and sent["Code"] in sent["Message"]
    assert outbox(empty_server.url, pool=pool, username="nobody") == []

    answer = dict(ClientId=client_id, ChallengeName="SMS_MFA", Session=challenge["Session"])
    wrong = f"{(int(sent['Code']) + 1) % 1000000:06d}"
    expect_error(idp, "CodeMismatchException", CODE_MISMATCH, "respond_to_auth_challenge",
                 ChallengeResponses={"USERNAME": "sam", "SMS_MFA_CODE": wrong}, **answer)
    done = idp.respond_to_auth_challenge(ChallengeResponses={"USERNAME": "sam", "SMS_MFA_CODE": sent["Code"]},
                                         **answer)
    assert "AccessToken" in done["AuthenticationResult"]
    # Answered once, the Session is spent.
    expect_error(idp, "NotAuthorizedException", "Invalid session for the user, session can only be used once.",
                 "respond_to_auth_challenge",
                 ChallengeResponses={"USERNAME": "sam", "SMS_MFA_CODE": sent["Code"]}, **answer)


def test_a_user_with_two_factors_and_no_preference_chooses(idp):
    pool = new_pool(idp, MfaConfiguration="OPTIONAL")
    client_id = new_app_client(idp, pool)["ClientId"]
    secret = totp_user(idp, pool, client_id, "una")
    idp.admin_update_user_attributes(UserPoolId=pool, Username="una",
                                     UserAttributes=[{"Name": "phone_number", "Value": "+15555550111"}])
    idp.admin_set_user_mfa_preference(UserPoolId=pool, Username="una",
                                      SMSMfaSettings={"Enabled": True, "PreferredMfa": False},
                                      SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": False})
    assert sorted(idp.admin_get_user(UserPoolId=pool, Username="una")["UserMFASettingList"]) == [
        "SMS_MFA", "SOFTWARE_TOKEN_MFA"]

    select = user_sign_in(idp, client_id, "una")
    assert select["ChallengeName"] == "SELECT_MFA_TYPE"
    assert json.loads(select["ChallengeParameters"]["MFAS_CAN_CHOOSE"]) == ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    chosen = idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="SELECT_MFA_TYPE",
                                           Session=select["Session"],
                                           ChallengeResponses={"USERNAME": "una", "ANSWER": "SOFTWARE_TOKEN_MFA"})
    assert chosen["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    done = idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="SOFTWARE_TOKEN_MFA",
                                         Session=chosen["Session"],
                                         ChallengeResponses={"USERNAME": "una", "SOFTWARE_TOKEN_MFA_CODE": totp(secret)})
    assert "IdToken" in done["AuthenticationResult"]


def test_mfa_off_asks_nothing_even_with_a_token(idp):
    pool = new_pool(idp, MfaConfiguration="OPTIONAL")
    client_id = new_app_client(idp, pool)["ClientId"]
    totp_user(idp, pool, client_id, "vic")
    assert user_sign_in(idp, client_id, "vic")["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    idp.set_user_pool_mfa_config(UserPoolId=pool, MfaConfiguration="OFF")
    assert "AuthenticationResult" in user_sign_in(idp, client_id, "vic")
