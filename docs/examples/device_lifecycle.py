#!/usr/bin/env python3
"""The remembered-device lifecycle against cognitod, step by step, with boto3.

    python3 docs/examples/device_lifecycle.py --endpoint http://127.0.0.1:9229

It creates its own pool (with device tracking), app client and user, then signs in, confirms the
device with an SRP verifier computed as amazon-cognito-identity-js computes it, signs in again on
the remembered device (answering DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER with the device
secret, as the SDK does), lists, updates and forgets devices, and shows that a forgotten device's
refresh token is refused. Each step prints one
line; the first unexpected answer stops the script with exit status 1. The pool is deleted at the
end unless --keep is given. Needs only Python 3 and boto3.
"""

import argparse
import base64
import hashlib
import hmac
import secrets
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

# SRP group used by Cognito: RFC 5054's 3072-bit group (the RFC 3526 prime), g = 2, SHA-256.
N = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
    16,
)
G = 2
USERNAME = "example-user"
PASSWORD = "Ex4mple-Passw0rd!"


class StepFailed(Exception):
    pass


def padded(number):
    """Big-endian bytes with a leading 0x00 when the high bit is set (the SDKs' padHex)."""
    raw = number.to_bytes(max(1, (number.bit_length() + 7) // 8), "big")
    return b"\x00" + raw if raw[0] & 0x80 else raw


def device_verifier(device_key, group_key, random_password, salt_number):
    """DeviceSecretVerifierConfig: x = H(salt || H(group_key + device_key + ":" + password)), v = g^x mod N."""
    inner = hashlib.sha256(f"{group_key}{device_key}:{random_password}".encode()).digest()
    x = int.from_bytes(hashlib.sha256(padded(salt_number) + inner).digest(), "big")
    return {
        "PasswordVerifier": base64.b64encode(padded(pow(G, x, N))).decode(),
        "Salt": base64.b64encode(padded(salt_number)).decode(),
    }


def _hash_int(*parts):
    return int.from_bytes(hashlib.sha256(b"".join(parts)).digest(), "big")


def device_password_claim(device_key, group_key, random_password, challenge_parameters, a, A):
    """The DEVICE_PASSWORD_VERIFIER answer, as amazon-cognito-identity-js computes it:
    u = H(pad(A) || pad(B)), k = H(pad(N) || pad(g)), x as for the verifier,
    S = (B - k*g^x)^(a + u*x) mod N, key = HKDF(salt=pad(u), ikm=pad(S), info="Caldera Derived Key")[:16],
    signature = HMAC(key, group_key + device_key + SECRET_BLOCK bytes + TIMESTAMP)."""
    B = int(challenge_parameters["SRP_B"], 16)
    salt = int(challenge_parameters["SALT"], 16)
    inner = hashlib.sha256(f"{group_key}{device_key}:{random_password}".encode()).digest()
    x = int.from_bytes(hashlib.sha256(padded(salt) + inner).digest(), "big")
    k = _hash_int(padded(N), padded(G))
    u = _hash_int(padded(A), padded(B))
    S = pow((B - k * pow(G, x, N)) % N, a + u * x, N)
    prk = hmac.new(padded(u), padded(S), hashlib.sha256).digest()
    key = hmac.new(prk, b"Caldera Derived Key\x01", hashlib.sha256).digest()[:16]
    now = time.gmtime()
    timestamp = time.strftime(f"%a %b {now.tm_mday} %H:%M:%S UTC %Y", now)  # Wed Nov 26 04:30:32 UTC 2026
    block = challenge_parameters["SECRET_BLOCK"]
    message = group_key.encode() + device_key.encode() + base64.b64decode(block) + timestamp.encode()
    return {
        "USERNAME": challenge_parameters["USERNAME"],
        "DEVICE_KEY": device_key,
        "PASSWORD_CLAIM_SECRET_BLOCK": block,
        "PASSWORD_CLAIM_SIGNATURE": base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode(),
        "TIMESTAMP": timestamp,
    }


def check(condition, what):
    if not condition:
        raise StepFailed(what)


def step(number, text):
    print(f"{number:>2}. {text}")


def expect_client_error(code, call, **params):
    """Runs call(**params), which must fail with code; returns the message."""
    try:
        call(**params)
    except ClientError as e:
        got = e.response["Error"]["Code"]
        check(got == code, f"expected {code}, got {got}: {e.response['Error']['Message']}")
        return e.response["Error"]["Message"]
    raise StepFailed(f"expected {code}, but the call succeeded")


def device_names(devices):
    return [
        next((a["Value"] for a in d["DeviceAttributes"] if a["Name"] == "device_name"), "?") for d in devices
    ]


def run(idp, keep):
    # 1-3: what an administrator sets up once.
    pool = idp.create_user_pool(
        PoolName="device-lifecycle-example",
        DeviceConfiguration={"ChallengeRequiredOnNewDevice": False, "DeviceOnlyRememberedOnUserPrompt": False},
    )["UserPool"]["Id"]
    step(1, f"CreateUserPool with DeviceConfiguration (always remember): {pool}")
    try:
        _run_in_pool(idp, pool)
    finally:
        if not keep:
            idp.delete_user_pool(UserPoolId=pool)
            print(f"    (deleted {pool}; pass --keep to keep it)")


def _run_in_pool(idp, pool):
    client_id = idp.create_user_pool_client(
        UserPoolId=pool, ClientName="example-app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    step(2, f"CreateUserPoolClient: {client_id}")
    idp.admin_create_user(UserPoolId=pool, Username=USERNAME, MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool, Username=USERNAME, Password=PASSWORD, Permanent=True)
    step(3, f"AdminCreateUser + AdminSetUserPassword: {USERNAME}")

    # 4: the app signs in without a device key and is given one.
    result = idp.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": USERNAME, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    check("NewDeviceMetadata" in result, "the sign-in returned no NewDeviceMetadata")
    device_key = result["NewDeviceMetadata"]["DeviceKey"]
    group_key = result["NewDeviceMetadata"]["DeviceGroupKey"]
    access_token, refresh_token = result["AccessToken"], result["RefreshToken"]
    step(4, f"InitiateAuth USER_PASSWORD_AUTH: NewDeviceMetadata DeviceKey={device_key} DeviceGroupKey={group_key}")

    # 5: the app keeps a random device password and sends only the verifier.
    random_password = base64.b64encode(secrets.token_bytes(40)).decode()
    config = device_verifier(device_key, group_key, random_password, int.from_bytes(secrets.token_bytes(16), "big"))
    confirmed = idp.confirm_device(
        AccessToken=access_token, DeviceKey=device_key, DeviceSecretVerifierConfig=config,
        DeviceName="example-laptop",
    )
    check(confirmed["UserConfirmationNecessary"] is False, "an always-remember pool asked for confirmation")
    step(5, f"ConfirmDevice: UserConfirmationNecessary={confirmed['UserConfirmationNecessary']}")

    devices = idp.list_devices(AccessToken=access_token)["Devices"]
    check([d["DeviceKey"] for d in devices] == [device_key], f"ListDevices answered {devices}")
    step(6, f"ListDevices (the user's own): {device_names(devices)}")
    admin_devices = idp.admin_list_devices(UserPoolId=pool, Username=USERNAME)["Devices"]
    status = {a["Name"]: a["Value"] for a in admin_devices[0]["DeviceAttributes"]}["dev:device_remembered_status"]
    check(status == "remembered", f"device is {status}")
    step(7, f"AdminListDevices: {device_names(admin_devices)}, dev:device_remembered_status={status}")

    # 8: refresh needs the device the refresh token was issued to.
    refreshed = idp.initiate_auth(
        ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": refresh_token, "DEVICE_KEY": device_key},
    )["AuthenticationResult"]
    check("AccessToken" in refreshed and "RefreshToken" not in refreshed, "refresh answered oddly")
    message = expect_client_error(
        "NotAuthorizedException", idp.initiate_auth, ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": refresh_token},
    )
    step(8, f"InitiateAuth REFRESH_TOKEN_AUTH with DEVICE_KEY: new tokens; without it: {message}")

    # 9: the next sign-in presents the remembered device, which must prove its secret.
    challenge = idp.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": USERNAME, "PASSWORD": PASSWORD, "DEVICE_KEY": device_key},
    )
    check(challenge.get("ChallengeName") == "DEVICE_SRP_AUTH", f"expected DEVICE_SRP_AUTH, got {challenge}")
    a = int.from_bytes(secrets.token_bytes(128), "big")
    A = pow(G, a, N)
    verifier = idp.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="DEVICE_SRP_AUTH", Session=challenge["Session"],
        ChallengeResponses={"USERNAME": USERNAME, "DEVICE_KEY": device_key, "SRP_A": format(A, "x")},
    )
    check(verifier.get("ChallengeName") == "DEVICE_PASSWORD_VERIFIER",
          f"expected DEVICE_PASSWORD_VERIFIER, got {verifier}")
    again = idp.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="DEVICE_PASSWORD_VERIFIER", Session=verifier["Session"],
        ChallengeResponses=device_password_claim(device_key, group_key, random_password,
                                                 verifier["ChallengeParameters"], a, A),
    )["AuthenticationResult"]
    check("NewDeviceMetadata" not in again, "a sign-in with a known device made a new one")
    step(9, "InitiateAuth with DEVICE_KEY: DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER, then tokens for the "
            "remembered device, no NewDeviceMetadata")

    # 10: the user stops remembering the device, then remembers it again.
    idp.update_device_status(AccessToken=access_token, DeviceKey=device_key, DeviceRememberedStatus="not_remembered")
    hidden = idp.list_devices(AccessToken=access_token)["Devices"]
    check(hidden == [], "a not_remembered device is still listed")
    idp.update_device_status(AccessToken=access_token, DeviceKey=device_key, DeviceRememberedStatus="remembered")
    step(10, "UpdateDeviceStatus not_remembered (ListDevices: []) then remembered")

    # 11: a second device, forgotten by the administrator.
    other = idp.admin_initiate_auth(
        UserPoolId=pool, ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": USERNAME, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    other_key = other["NewDeviceMetadata"]["DeviceKey"]
    idp.admin_forget_device(UserPoolId=pool, Username=USERNAME, DeviceKey=other_key)
    message = expect_client_error("ResourceNotFoundException", idp.admin_get_device, UserPoolId=pool,
                                  Username=USERNAME, DeviceKey=other_key)
    step(11, f"AdminForgetDevice {other_key}: AdminGetDevice now says {message!r}")

    # 12: the user forgets the first device; its refresh token stops working.
    idp.forget_device(AccessToken=access_token, DeviceKey=device_key)
    message = expect_client_error("ResourceNotFoundException", idp.get_device, AccessToken=access_token,
                                  DeviceKey=device_key)
    step(12, f"ForgetDevice: GetDevice now says {message!r}")
    message = expect_client_error(
        "NotAuthorizedException", idp.initiate_auth, ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": refresh_token, "DEVICE_KEY": device_key},
    )
    check(message == "Invalid Refresh Token", f"unexpected message {message!r}")
    step(13, f"REFRESH_TOKEN_AUTH with the forgotten device: NotAuthorizedException {message!r}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", default="http://127.0.0.1:9229", help="cognitod's URL")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--keep", action="store_true", help="keep the pool instead of deleting it")
    args = parser.parse_args(argv)

    session = boto3.session.Session()
    credentials = {}
    if session.get_credentials() is None:
        # cognitod accepts any credentials; boto3 just needs some to sign the admin calls.
        credentials = {"aws_access_key_id": "example", "aws_secret_access_key": "example"}
    idp = session.client(
        "cognito-idp", endpoint_url=args.endpoint, region_name=args.region,
        config=Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=30), **credentials,
    )
    try:
        run(idp, args.keep)
    except StepFailed as e:
        print(f"FAILED: {e}", file=sys.stderr)
        return 1
    except (ClientError, BotoCoreError) as e:
        print(f"FAILED: {e}", file=sys.stderr)
        return 1
    print("device lifecycle completed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
