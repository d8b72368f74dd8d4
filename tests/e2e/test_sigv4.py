"""--auth sigv4: requests signed by the real signers of boto3 (botocore) and the aws CLI, and the
same requests tampered with, each answered with AWS's exception and message. The JS SDK v3 rows
of the matrix are in tests/e2e/js/sigv4.test.js."""

import datetime
import json
import re
from unittest import mock

import boto3
import botocore.auth
import pytest
from botocore import UNSIGNED
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from cognitod_e2e import (
    ACCOUNT_ID,
    ALICE_PHONE,
    AMZ_JSON,
    DEVICES_SEED,
    POOL_A,
    REGION,
    TARGET_PREFIX,
    raw_request,
)

ADMIN = ("AKIDCOGNITODADMIN001", "admin-secret-0001")
TEMPORARY = ("ASIACOGNITODTEMP0002", "temporary-secret-0002", "session-token-0002")
READER = ("AKIDCOGNITODREADER03", "reader-secret-0003")
CREDENTIALS = {
    "Credentials": [
        {"AccessKeyId": ADMIN[0], "SecretAccessKey": ADMIN[1], "Name": "admin"},
        {"AccessKeyId": TEMPORARY[0], "SecretAccessKey": TEMPORARY[1], "SessionToken": TEMPORARY[2]},
        {
            "AccessKeyId": READER[0],
            "SecretAccessKey": READER[1],
            "Name": "reader",
            "AllowedOperations": ["AdminGetDevice", "AdminListDevices"],
        },
    ]
}

MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check your AWS "
    "Secret Access Key and signing method. Consult the service documentation for details."
)
UNRECOGNIZED = "The security token included in the request is invalid."
MISSING = "Missing Authentication Token"
EXPIRED = re.compile(r"Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)")
NOT_YET = re.compile(r"Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)")

LIST_ALICE = {"UserPoolId": POOL_A, "Username": "alice"}


@pytest.fixture(scope="module")
def signed_server(module_launcher, tmp_path_factory):
    path = tmp_path_factory.mktemp("sigv4") / "credentials.json"
    path.write_text(json.dumps(CREDENTIALS))
    return module_launcher.start(seed=DEVICES_SEED, args=["--auth", "sigv4", "--credentials", str(path)])


def boto3_client(url, key=None, secret=None, token=None, unsigned=False, region=REGION):
    config = Config(retries={"total_max_attempts": 1}, parameter_validation=False)
    if unsigned:
        config = config.merge(Config(signature_version=UNSIGNED))
    return boto3.client(
        "cognito-idp", endpoint_url=url, region_name=region, config=config,
        aws_access_key_id=key or "unused", aws_secret_access_key=secret or "unused", aws_session_token=token,
    )


class shifted_clock:
    """Patches botocore's signer clock by offset (a timedelta) while signing."""

    def __init__(self, offset):
        real = datetime.datetime

        class Shifted(real):
            @classmethod
            def utcnow(cls):
                return real.utcnow() + offset

        self._patch = mock.patch.object(botocore.auth.datetime, "datetime", Shifted)

    def __enter__(self):
        self._patch.start()

    def __exit__(self, *exc):
        self._patch.stop()


def botocore_signed(url, operation, body, key, secret, token=None, service="cognito-idp", region=REGION, offset=None):
    """A request signed by botocore's own SigV4 signer (the one boto3 uses): (headers, body)."""
    data = json.dumps(body).encode()
    request = AWSRequest(
        method="POST", url=url + "/", data=data,
        headers={"Content-Type": AMZ_JSON, "X-Amz-Target": TARGET_PREFIX + operation},
    )
    signer = botocore.auth.SigV4Auth(Credentials(key, secret, token), service, region)
    if offset is None:
        signer.add_auth(request)
    else:
        with shifted_clock(offset):
            signer.add_auth(request)
    return dict(request.headers.items()), data


def send(url, headers, body):
    status, response_headers, data = raw_request(url, body=body, headers=headers)
    payload = json.loads(data) if data else {}
    return status, response_headers, payload


def expect(url, headers, body, code, message):
    status, response_headers, payload = send(url, headers, body)
    assert status == 400, payload
    assert payload["__type"] == code, payload
    assert response_headers["x-amzn-errortype"] == f"{code}:"
    if isinstance(message, re.Pattern):
        assert message.fullmatch(payload["message"]), payload["message"]
    else:
        assert payload["message"] == message


def client_error(call):
    with pytest.raises(ClientError) as info:
        call()
    error = info.value.response["Error"]
    return error["Code"], error["Message"], info.value.response["ResponseMetadata"]["HTTPStatusCode"]


# boto3 × tampering.

def test_boto3_signed_admin_call_is_accepted(signed_server):
    client = boto3_client(signed_server.url, *ADMIN)
    assert [d["DeviceKey"] for d in client.admin_list_devices(**LIST_ALICE)["Devices"]]


def test_boto3_wrong_secret_is_invalid_signature(signed_server):
    client = boto3_client(signed_server.url, ADMIN[0], "not-the-secret")
    assert client_error(lambda: client.admin_list_devices(**LIST_ALICE)) == ("InvalidSignatureException", MISMATCH, 400)


def test_boto3_unknown_key_is_unrecognized_client(signed_server):
    client = boto3_client(signed_server.url, "AKIDNOSUCHKEY0000000", "whatever")
    assert client_error(lambda: client.admin_list_devices(**LIST_ALICE)) == ("UnrecognizedClientException", UNRECOGNIZED, 400)


def test_boto3_unsigned_admin_call_is_missing_token(signed_server):
    client = boto3_client(signed_server.url, unsigned=True)
    assert client_error(lambda: client.admin_list_devices(**LIST_ALICE)) == ("MissingAuthenticationTokenException", MISSING, 400)


def test_boto3_session_token_must_match(signed_server):
    good = boto3_client(signed_server.url, *TEMPORARY)
    assert good.admin_list_devices(**LIST_ALICE)["Devices"]
    missing = boto3_client(signed_server.url, TEMPORARY[0], TEMPORARY[1])
    assert client_error(lambda: missing.admin_list_devices(**LIST_ALICE)) == ("UnrecognizedClientException", UNRECOGNIZED, 400)
    wrong = boto3_client(signed_server.url, TEMPORARY[0], TEMPORARY[1], "another-token")
    assert client_error(lambda: wrong.admin_list_devices(**LIST_ALICE)) == ("UnrecognizedClientException", UNRECOGNIZED, 400)


def test_boto3_operation_outside_the_keys_list_is_access_denied(signed_server):
    client = boto3_client(signed_server.url, *READER)
    assert client.admin_list_devices(**LIST_ALICE)["Devices"]
    code, message, status = client_error(
        lambda: client.admin_forget_device(UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE)
    )
    assert (code, status) == ("AccessDeniedException", 400)
    assert message.startswith(f"User: arn:aws:iam::{ACCOUNT_ID}:user/reader is not authorized to perform: cognito-idp:AdminForgetDevice")
    # Refused before the handler: the device is still there.
    assert client.admin_get_device(UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE)["Device"]


def test_botocore_signature_verifies_and_replays(signed_server):
    headers, body = botocore_signed(signed_server.url, "AdminListDevices", LIST_ALICE, *ADMIN)
    status, _, payload = send(signed_server.url, headers, body)
    assert status == 200, payload
    # The same signed request again is still valid within its five minutes, as on AWS.
    assert send(signed_server.url, headers, body)[0] == 200


def test_botocore_altered_body_is_invalid_signature(signed_server):
    headers, body = botocore_signed(signed_server.url, "AdminListDevices", LIST_ALICE, *ADMIN)
    altered = body.replace(b"alice", b"bob")
    expect(signed_server.url, headers, altered, "InvalidSignatureException", MISMATCH)


def test_botocore_altered_signature_is_invalid_signature(signed_server):
    headers, body = botocore_signed(signed_server.url, "AdminListDevices", LIST_ALICE, *ADMIN)
    auth = headers["Authorization"]
    last = auth[-1]
    headers["Authorization"] = auth[:-1] + ("0" if last != "0" else "1")
    expect(signed_server.url, headers, body, "InvalidSignatureException", MISMATCH)


def test_botocore_altered_signed_header_is_invalid_signature(signed_server):
    headers, body = botocore_signed(signed_server.url, "AdminGetDevice", {**LIST_ALICE, "DeviceKey": ALICE_PHONE}, *ADMIN)
    headers["X-Amz-Target"] = TARGET_PREFIX + "AdminForgetDevice"
    expect(signed_server.url, headers, body, "InvalidSignatureException", MISMATCH)


def test_botocore_other_key_in_the_credential_is_invalid_signature(signed_server):
    headers, body = botocore_signed(signed_server.url, "AdminListDevices", LIST_ALICE, *ADMIN)
    headers["Authorization"] = headers["Authorization"].replace(ADMIN[0], READER[0])
    expect(signed_server.url, headers, body, "InvalidSignatureException", MISMATCH)


def test_botocore_six_minutes_old_is_expired(signed_server):
    headers, body = botocore_signed(signed_server.url, "AdminListDevices", LIST_ALICE, *ADMIN, offset=datetime.timedelta(minutes=-6))
    expect(signed_server.url, headers, body, "InvalidSignatureException", EXPIRED)


def test_botocore_six_minutes_ahead_is_not_yet_current(signed_server):
    headers, body = botocore_signed(signed_server.url, "AdminListDevices", LIST_ALICE, *ADMIN, offset=datetime.timedelta(minutes=6))
    expect(signed_server.url, headers, body, "InvalidSignatureException", NOT_YET)


def test_botocore_four_minutes_old_is_accepted(signed_server):
    headers, body = botocore_signed(signed_server.url, "AdminListDevices", LIST_ALICE, *ADMIN, offset=datetime.timedelta(minutes=-4))
    assert send(signed_server.url, headers, body)[0] == 200


def test_botocore_other_service_in_the_scope_is_refused(signed_server):
    headers, body = botocore_signed(signed_server.url, "AdminListDevices", LIST_ALICE, *ADMIN, service="cognito-identity")
    expect(signed_server.url, headers, body, "InvalidSignatureException", "Credential should be scoped to correct service: 'cognito-idp'. ")


def test_botocore_region_comes_from_the_scope(signed_server):
    headers, body = botocore_signed(signed_server.url, "ListUserPools", {"MaxResults": 1}, *ADMIN, region="eu-west-1")
    assert send(signed_server.url, headers, body)[0] == 200


def test_unsigned_operations_need_no_signature(signed_server):
    """InitiateAuth, GetDevice and the other operations AWS leaves unsigned are exempt."""
    client = boto3_client(signed_server.url, unsigned=True)
    admin = boto3_client(signed_server.url, *ADMIN)
    client_id = admin.create_user_pool_client(
        UserPoolId=POOL_A, ClientName="sigv4-exempt", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    result = client.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "bob", "PASSWORD": "Sunflower-42"}
    )["AuthenticationResult"]
    devices = client.list_devices(AccessToken=result["AccessToken"])["Devices"]
    assert devices
    # Even with a bad signature: AWS does not check one on these operations.
    wrong = boto3_client(signed_server.url, ADMIN[0], "not-the-secret")
    assert wrong.get_user(AccessToken=result["AccessToken"])["Username"] == "bob"


def test_control_endpoints_are_not_signed_operations(signed_server):
    status, _, _ = raw_request(signed_server.url, method="GET", path="/_cognitod/health")
    assert status == 200


# The aws CLI × tampering.

def cli_env(aws_cli, url, key, secret):
    cli = aws_cli(url)
    cli.env["AWS_ACCESS_KEY_ID"] = key
    cli.env["AWS_SECRET_ACCESS_KEY"] = secret
    return cli


def test_cli_signed_admin_call_is_accepted(signed_server, aws_cli):
    cli = cli_env(aws_cli, signed_server.url, *ADMIN)
    out = cli.json("admin-list-devices", "--user-pool-id", POOL_A, "--username", "alice")
    assert out["Devices"]


@pytest.mark.parametrize(
    "key,secret,extra,code,message",
    [
        (ADMIN[0], "not-the-secret", [], "InvalidSignatureException", MISMATCH),
        ("AKIDNOSUCHKEY0000000", "whatever", [], "UnrecognizedClientException", UNRECOGNIZED),
        (ADMIN[0], ADMIN[1], ["--no-sign-request"], "MissingAuthenticationTokenException", MISSING),
    ],
    ids=["wrong-secret", "unknown-key", "unsigned"],
)
def test_cli_tampering(signed_server, aws_cli, key, secret, extra, code, message):
    cli = cli_env(aws_cli, signed_server.url, key, secret)
    result = cli.run("admin-list-devices", "--user-pool-id", POOL_A, "--username", "alice", *extra)
    assert result.returncode == 254, result.stderr
    # The CLI notes the retry budget for errors it may retry (a signature error may be clock skew).
    expected = re.compile(
        rf"An error occurred \({code}\) when calling the AdminListDevices operation"
        rf"( \(reached max retries: \d+\))?: {re.escape(message)}"
    )
    assert expected.search(result.stderr), result.stderr


def test_cli_operation_outside_the_keys_list_is_access_denied(signed_server, aws_cli):
    cli = cli_env(aws_cli, signed_server.url, *READER)
    result = cli.run("admin-update-device-status", "--user-pool-id", POOL_A, "--username", "alice",
                     "--device-key", ALICE_PHONE, "--device-remembered-status", "not_remembered")
    assert result.returncode == 254
    assert re.search(
        r"\(AccessDeniedException\) when calling the AdminUpdateDeviceStatus operation"
        r"( \(reached max retries: \d+\))?: User: arn:aws:iam::123456789012:user/reader is not authorized "
        r"to perform: cognito-idp:AdminUpdateDeviceStatus on resource: "
        r"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_E2eDevA1 because no "
        r"identity-based policy allows the cognito-idp:AdminUpdateDeviceStatus action",
        result.stderr,
    ), result.stderr


def test_cognitod_refuses_to_start_with_bad_credentials(launcher, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"Credentials":[{"AccessKeyId":"AKID"}]}')
    code, _, stderr = launcher.run_to_exit(args=["--auth", "sigv4", "--credentials", str(bad)])
    assert code != 0
    assert stderr.startswith("cognitod: --credentials:"), stderr
    assert len(stderr.strip().splitlines()) == 1
