#!/usr/bin/env python3
"""Writes the seed corpora (fuzz/corpus/) and the dictionaries (fuzz/*.dict).

    fuzz/make_corpus.py build/test/fuzz/request_fuzzer

The token_* request inputs start with alice's InitiateAuth and reuse the tokens it returns; the
fuzzer's fixed keys, clock and ids make those the same on every run, so they are read from the
fuzzer itself (COGNITOD_FUZZ_TRACE). Run this again when the fuzzer's seed, its keys or the way ids
are taken change. Validator inputs start with the operation's index among the model's operations
that take input, so they follow schema/cognito-idp.json.
"""
import base64
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
model = json.load(open(os.path.join(here, "..", "schema", "cognito-idp.json")))

P1, P2 = "us-east-1_FuzzPool1", "us-east-1_FuzzPool2"
C1, C2, C3 = ("fuzzclient000000000000000" + n for n in "123")
D1 = "us-east-1_0b8f4c1e-5a4f-4c1b-9a53-6d2d3c1f7a10"
D2 = "us-east-1_ddc96700-fb23-4532-9680-3fd01ea3bc1b"


def aws(op, body, extra="", version="1.1"):
    data = (body if isinstance(body, str) else json.dumps(body, separators=(",", ":"))).encode()
    head = (
        f"POST / HTTP/{version}\r\nHost: localhost:9229\r\n"
        "Content-Type: application/x-amz-json-1.1\r\n"
        f"X-Amz-Target: AWSCognitoIdentityProviderService.{op}\r\n{extra}"
        f"Content-Length: {len(data)}\r\n\r\n"
    )
    return head.encode() + data


def get(path, extra=""):
    return f"GET {path} HTTP/1.1\r\nHost: localhost:9229\r\n{extra}\r\n".encode()


def request_inputs(fuzzer):
    yield "health", get("/_cognitod/health")
    yield "head_health", b"HEAD /_cognitod/health HTTP/1.1\r\nHost: localhost\r\n\r\n"
    yield "jwks", get(f"/{P1}/.well-known/jwks.json")
    yield "openid_configuration", get(
        f"/{P1}/.well-known/openid-configuration", "X-Forwarded-Proto: https\r\n"
    )
    device = {"UserPoolId": P1, "Username": "alice", "DeviceKey": D1}
    yield "admin_get_device", aws("AdminGetDevice", device)
    yield "admin_list_devices", aws(
        "AdminListDevices", {"UserPoolId": P1, "Username": "alice", "Limit": 1}
    )
    yield "admin_forget_device_then_get", aws("AdminForgetDevice", device) + aws(
        "AdminGetDevice", device
    )
    yield "admin_update_device_status", aws(
        "AdminUpdateDeviceStatus",
        {"UserPoolId": P1, "Username": "alice", "DeviceKey": D2,
         "DeviceRememberedStatus": "remembered"},
    )
    password_auth = {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": C1,
                     "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Passw0rd!"}}
    yield "initiate_auth", aws("InitiateAuth", password_auth)
    yield "initiate_auth_device_forwarded", aws(
        "InitiateAuth",
        {**password_auth,
         "AuthParameters": {**password_auth["AuthParameters"], "DEVICE_KEY": D1}},
        "X-Forwarded-For: 203.0.113.7, 10.0.0.1\r\n",
    )
    yield "initiate_auth_srp", aws(
        "InitiateAuth",
        {"AuthFlow": "USER_SRP_AUTH", "ClientId": C1,
         "AuthParameters": {"USERNAME": "alice", "SRP_A": "a1b2c3d4e5f6" * 8}},
    )
    yield "admin_initiate_auth_new_password", aws(
        "AdminInitiateAuth",
        {"UserPoolId": P1, "ClientId": C1, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
         "AuthParameters": {"USERNAME": "bob", "PASSWORD": "Temp0rary!"}},
    )
    yield "initiate_auth_email_pool", aws(
        "InitiateAuth",
        {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": C3,
         "AuthParameters": {"USERNAME": "DAVE@example.com", "PASSWORD": "wrong"}},
    )
    yield "malformed_json", aws("AdminListDevices", '{"UserPoolId": "us-east-1_FuzzPool1", "Username": ')
    yield "validation_errors", aws(
        "AdminCreateUser",
        {"UserPoolId": "bad pool", "Username": "", "MessageAction": "SHOUT",
         "UserAttributes": [{"Name": "email"}]},
    )
    body = json.dumps({"UserPoolId": P1, "Username": "alice"}).encode()
    yield "chunked_body", (
        b"POST / HTTP/1.1\r\nHost: localhost\r\n"
        b"X-Amz-Target: AWSCognitoIdentityProviderService.AdminListDevices\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
        + b"a\r\n" + body[:10] + b"\r\n" + b"%x\r\n" % (len(body) - 10) + body[10:] + b"\r\n0\r\n\r\n"
    )
    yield "http10_then_ignored", aws("ListUserPools", {"MaxResults": 2}, version="1.0") + get(
        "/_cognitod/health"
    )
    yield "signed_region", aws(
        "CreateUserPool",
        {"PoolName": "west"},
        "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-west-2/cognito-idp/"
        "aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=abc\r\n"
        "X-Amz-Date: 20261126T000000Z\r\n",
    )
    yield "create_user_then_set_password", (
        aws("AdminCreateUser",
            {"UserPoolId": P1, "Username": "erin", "MessageAction": "SUPPRESS",
             "UserAttributes": [{"Name": "email", "Value": "erin@example.com"}]})
        + aws("AdminSetUserPassword",
              {"UserPoolId": P1, "Username": "erin", "Password": "Passw0rd!", "Permanent": True})
        + aws("AdminGetUser", {"UserPoolId": P1, "Username": "erin"})
    )
    yield "describe_and_list", (
        aws("DescribeUserPool", {"UserPoolId": P1})
        + aws("ListUsers", {"UserPoolId": P1, "Filter": 'email ^= "al"'})
        + aws("DescribeUserPoolClient", {"UserPoolId": P1, "ClientId": C2})
    )
    seed = json.dumps(
        {"UserPools": [{"Id": "us-east-1_Seeded01", "PoolName": "seeded",
                        "Users": [{"Username": "zed"}]}]}
    ).encode()
    yield "control_seed_and_messages", (
        b"POST /_cognitod/seed HTTP/1.1\r\nHost: localhost\r\nContent-Length: %d\r\n\r\n" % len(seed)
        + seed
        + get(f"/_cognitod/messages?pool={P1}&username=al%69ce")
    )
    yield "unknown_and_unimplemented", aws("ListIdentityPools", {}).replace(
        b"AWSCognitoIdentityProviderService.", b"AWSCognitoIdentityService."
    ) + aws("SignUp", {"ClientId": C1, "Username": "x", "Password": "p"})

    # Inputs that carry tokens: the first request signs alice in; the rest use what it returned.
    first = aws("InitiateAuth", password_auth)
    with tempfile.NamedTemporaryFile(suffix=".http") as f:
        f.write(first)
        f.flush()
        trace = subprocess.run(
            [fuzzer, f.name], env={**os.environ, "COGNITOD_FUZZ_TRACE": "1"},
            capture_output=True, text=True, check=True,
        ).stderr
    result = next(
        json.loads(line) for line in trace.splitlines() if line.startswith('{"AuthenticationResult"')
    )["AuthenticationResult"]
    access, refresh = result["AccessToken"], result["RefreshToken"]
    new_device = result["NewDeviceMetadata"]["DeviceKey"]
    b64 = lambda data: base64.b64encode(data).decode()
    yield "token_get_user", first + aws("GetUser", {"AccessToken": access})
    yield "token_device_lifecycle", (
        first
        + aws("ConfirmDevice",
              {"AccessToken": access, "DeviceKey": new_device, "DeviceName": "fuzz phone",
               "DeviceSecretVerifierConfig": {"PasswordVerifier": b64(b"\x07" * 384),
                                              "Salt": b64(b"\x01" * 16)}})
        + aws("UpdateDeviceStatus", {"AccessToken": access, "DeviceKey": new_device,
                                     "DeviceRememberedStatus": "remembered"})
        + aws("ListDevices", {"AccessToken": access, "Limit": 10})
        + aws("GetDevice", {"AccessToken": access, "DeviceKey": new_device})
        + aws("ForgetDevice", {"AccessToken": access, "DeviceKey": D1})
    )
    yield "token_refresh", (
        first
        + aws("InitiateAuth",
              {"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": C1,
               "AuthParameters": {"REFRESH_TOKEN": refresh, "DEVICE_KEY": new_device}})
        + aws("GetTokensFromRefreshToken", {"RefreshToken": refresh, "ClientId": C1})
    )
    yield "token_sign_out", (
        first
        + aws("GlobalSignOut", {"AccessToken": access})
        + aws("GetUser", {"AccessToken": access})
        + aws("RevokeToken", {"Token": refresh, "ClientId": C1})
    )
    yield "token_software_mfa", (
        first
        + aws("AssociateSoftwareToken", {"AccessToken": access})
        + aws("VerifySoftwareToken", {"AccessToken": access, "UserCode": "123456"})
        + aws("SetUserMFAPreference",
              {"AccessToken": access,
               "SoftwareTokenMfaSettings": {"Enabled": True, "PreferredMfa": True}})
    )
    yield "token_device_srp", (
        first
        + aws("RespondToAuthChallenge",
              {"ChallengeName": "DEVICE_SRP_AUTH", "ClientId": C1,
               "ChallengeResponses": {"USERNAME": "alice", "DEVICE_KEY": new_device,
                                      "SRP_A": "0f" * 64}})
    )


def validator_inputs():
    with_input = [name for name, op in model["operations"].items() if op.get("input")]

    def case(op, value, member=0):
        text = value if isinstance(value, (str, bytes)) else json.dumps(value)
        return bytes([with_input.index(op), member]) + (
            text if isinstance(text, bytes) else text.encode()
        )

    device = {"UserPoolId": P1, "Username": "alice", "DeviceKey": D1}
    yield "admin_forget_device", case("AdminForgetDevice", device)
    yield "admin_get_device_bad_key", case("AdminGetDevice", {**device, "DeviceKey": "no-underscore"})
    yield "admin_list_devices_limit", case(
        "AdminListDevices", {"UserPoolId": P1, "Username": "alice", "Limit": 61, "PaginationToken": ""}
    )
    yield "admin_update_device_status_enum", case(
        "AdminUpdateDeviceStatus", {**device, "DeviceRememberedStatus": "maybe"}
    )
    yield "admin_create_user_everything_wrong", case(
        "AdminCreateUser",
        {"UserPoolId": "x y", "Username": "", "MessageAction": "SHOUT", "TemporaryPassword": "p",
         "UserAttributes": [{"Name": "email"}, None, {"Name": "", "Value": "v" * 2049}],
         "DesiredDeliveryMediums": ["SMS", "PIGEON"], "ClientMetadata": {"": "x", "k": None}},
    )
    yield "initiate_auth_map", case(
        "InitiateAuth",
        {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "c",
         "AuthParameters": {"USERNAME": "alice", "DEVICE_KEY": None}},
    )
    yield "create_user_pool_nested", case(
        "CreateUserPool",
        {"PoolName": "p",
         "Policies": {"PasswordPolicy": {"MinimumLength": 5, "TemporaryPasswordValidityDays": 400}},
         "Schema": [{"Name": "custom:x", "AttributeDataType": "Number",
                     "NumberAttributeConstraints": {"MinValue": "1"}}],
         "UserPoolTags": {"a": "b"}, "LambdaConfig": {"PreSignUp": "arn"}},
    )
    yield "wrong_types", case("AdminListDevices", {"UserPoolId": 5, "Username": ["alice"], "Limit": "ten"})
    yield "integer_out_of_range", case("ListUserPools", '{"MaxResults": 1e300}')
    yield "fractional_integer", case("ListUsers", '{"UserPoolId": "us-east-1_a", "Limit": 5.0}')
    yield "blob_not_base64", case(
        "ConfirmDevice",
        {"AccessToken": "t", "DeviceKey": D1,
         "DeviceSecretVerifierConfig": {"PasswordVerifier": "###", "Salt": "AAA="}},
    )
    yield "unicode_username", case("AdminGetUser", {"UserPoolId": P1, "Username": "élève\U0001F600"})
    yield "raw_text_as_member", case("AdminGetDevice", b"not json \xff\xfe at all", member=2)
    yield "array_body", case("AdminListDevices", "[]")
    yield "null_body", case("ListUserPools", "null")
    yield "long_pattern_value", case(
        "CreateUserPool",
        {"PoolName": "p",
         "VerificationMessageTemplate": {"EmailMessageByLink": "{##a##}" * 300 + "\u0001"}},
    )


def dictionary_entry(text):
    out = ""
    for ch in text:
        out += {"\r": "\\x0D", "\n": "\\x0A", '"': '\\"', "\\": "\\\\"}.get(ch, ch)
    return f'"{out}"'


def model_words():
    shapes, members, enums, seen = model["shapes"], set(), set(), set()

    def walk(name):
        if name in seen:
            return
        seen.add(name)
        shape = shapes[name]
        for member, ref in shape.get("members", {}).items():
            members.add(member)
            walk(ref["shape"])
        for part in ("member", "key", "value"):
            if part in shape:
                walk(shape[part]["shape"])
        enums.update(shape.get("enum", []))

    for op in model["operations"].values():
        if op.get("input"):
            walk(op["input"]["shape"])
    return [f'"{m}":' for m in sorted(members)] + [f'"{e}"' for e in sorted(enums)]


def write_dictionaries():
    http = [
        "POST / HTTP/1.1\r\n", "GET ", "HEAD ", "DELETE ", " HTTP/1.0\r\n", " HTTP/1.1\r\n",
        "\r\n\r\n", "Host: ", "Content-Length: ", "Transfer-Encoding: chunked\r\n",
        "Connection: close\r\n", "Connection: keep-alive\r\n", "Expect: 100-continue\r\n",
        "Content-Type: application/x-amz-json-1.1\r\n", "Authorization: AWS4-HMAC-SHA256 Credential=",
        "/cognito-idp/aws4_request", "X-Forwarded-For: ", "X-Forwarded-Proto: https\r\n", "0\r\n\r\n",
        "/_cognitod/health", "/_cognitod/seed", "/_cognitod/reset", "/_cognitod/messages?pool=",
        "/.well-known/jwks.json", "/.well-known/openid-configuration", P1, P2, C1, C2, C3, D1, D2,
        "alice", "Passw0rd!", "Temp0rary!", "dave@example.com",
    ]
    targets = [f"X-Amz-Target: AWSCognitoIdentityProviderService.{op}\r\n" for op in sorted(model["operations"])]
    auth = ["USERNAME", "PASSWORD", "SECRET_HASH", "DEVICE_KEY", "REFRESH_TOKEN", "SRP_A", "SRP_B",
            "SALT", "SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK",
            "TIMESTAMP", "NEW_PASSWORD", "SMS_MFA_CODE", "SOFTWARE_TOKEN_MFA_CODE", "USER_ID_FOR_SRP"]
    words = model_words()
    with open(os.path.join(here, "request.dict"), "w") as f:
        f.write("# request_fuzzer: HTTP framing, cognitod's paths and seeded ids, every X-Amz-Target,\n"
                "# and the input shapes' member names and enum values. Written by make_corpus.py.\n")
        for text in http + targets + [f'"{a}"' for a in auth] + words:
            f.write(dictionary_entry(text) + "\n")
    with open(os.path.join(here, "validator.dict"), "w") as f:
        f.write("# validator_fuzzer: the input shapes' member names and enum values. Written by\n"
                "# make_corpus.py.\n")
        for text in words:
            f.write(dictionary_entry(text) + "\n")


def write_corpus(directory, inputs):
    os.makedirs(directory, exist_ok=True)
    for name in os.listdir(directory):
        if not name.startswith("regression_"):  # inputs of past findings are kept
            os.remove(os.path.join(directory, name))
    for name, data in inputs:
        with open(os.path.join(directory, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    write_corpus(os.path.join(here, "corpus", "request"), request_inputs(sys.argv[1]))
    write_corpus(os.path.join(here, "corpus", "validator"), validator_inputs())
    write_dictionaries()
