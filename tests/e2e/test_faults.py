"""Fault injection (/_cognitod/faults), request-rate quotas (--throttle aws) and the control
endpoints' switches (--control off, --control-token), driven through boto3 and raw HTTP."""

import concurrent.futures
import json
import subprocess
import time
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from cognitod_e2e import (
    ALICE_PHONE,
    DEVICES_SEED,
    POOL_A,
    REGION,
    make_client,
    raw_request,
)

# The seven exceptions the model lists for AdminForgetDevice, and the status each travels with.
ADMIN_FORGET_DEVICE_ERRORS = [
    ("ResourceNotFoundException", 400),
    ("InvalidParameterException", 400),
    ("InvalidUserPoolConfigurationException", 400),
    ("TooManyRequestsException", 400),
    ("NotAuthorizedException", 400),
    ("UserNotFoundException", 400),
    ("InternalErrorException", 500),
]


def add_rule(url, rule, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["X-Cognitod-Control-Token"] = token
    status, _, body = raw_request(url, body=rule, path="/_cognitod/faults", headers=headers)
    assert status == 200, body
    return json.loads(body)


def rules(url):
    status, _, body = raw_request(url, method="GET", path="/_cognitod/faults")
    assert status == 200, body
    return json.loads(body)["Rules"]


def forget_alice_phone(client):
    return client.admin_forget_device(UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE)


def test_boto3_model_lists_the_seven_exceptions(shared_client):
    operation = shared_client.meta.service_model.operation_model("AdminForgetDevice")
    assert sorted(e.name for e in operation.error_shapes) == sorted(n for n, _ in ADMIN_FORGET_DEVICE_ERRORS)


@pytest.mark.parametrize("error,status", ADMIN_FORGET_DEVICE_ERRORS)
def test_each_admin_forget_device_exception_is_raised_as_its_modelled_class(server, error, status):
    # One attempt in all: botocore would retry a 500 or a throttle, and the spent rule would let
    # the retry through.
    client = boto3.client(
        "cognito-idp", endpoint_url=server.url, region_name=REGION,
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"total_max_attempts": 1}),
    )
    message = f"Injected {error} for the test."
    rule = add_rule(server.url, {"Operation": "AdminForgetDevice", "Error": error, "Message": message, "Count": 1})
    assert rule["Remaining"] == 1

    exception_class = getattr(client.exceptions, error)
    with pytest.raises(exception_class) as info:
        forget_alice_phone(client)
    response = info.value.response
    assert response["Error"] == {"Code": error, "Message": message}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"] == f"{error}:"

    # Nothing changed: the device is still there, and the spent rule is gone.
    device = client.admin_get_device(UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE)
    assert device["Device"]["DeviceKey"] == ALICE_PHONE
    assert rules(server.url) == []
    forget_alice_phone(client)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.admin_get_device(UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE)


def test_a_rule_matches_only_its_pool_and_user(server, client):
    add_rule(server.url, {"Operation": "AdminListDevices", "Error": "NotAuthorizedException", "Match": {"UserPoolId": POOL_A, "Username": "bob"}})
    assert client.admin_list_devices(UserPoolId=POOL_A, Username="alice")["Devices"]
    with pytest.raises(client.exceptions.NotAuthorizedException):
        client.admin_list_devices(UserPoolId=POOL_A, Username="bob")
    assert rules(server.url)[0]["Hits"] == 1


def test_a_delay_holds_the_answer_back_without_blocking_other_calls(server, client):
    add_rule(server.url, {"Operation": "AdminGetDevice", "DelayMs": 700, "Count": 1})
    started = time.monotonic()
    device = client.admin_get_device(UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE)
    assert time.monotonic() - started >= 0.7
    assert device["Device"]["DeviceKey"] == ALICE_PHONE
    # A delay with an error: the SDK's read timeout fires first.
    add_rule(server.url, {"Operation": "AdminGetDevice", "Error": "InternalErrorException", "DelayMs": 3000})
    impatient = boto3.client(
        "cognito-idp", endpoint_url=server.url, region_name=REGION,
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}, read_timeout=1),
    )
    with pytest.raises(Exception) as info:
        impatient.admin_get_device(UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE)
    assert "timeout" in type(info.value).__name__.lower() or "timed out" in str(info.value)


def test_a_held_answer_does_not_hold_other_calls_back(server, client):
    # One call held for 8 s; another, made while it waits, is answered first. The order is the
    # test: no figure of this machine's speed is asserted, and 8 s is far beyond any slow call.
    add_rule(server.url, {"Operation": "AdminGetDevice", "DelayMs": 8000, "Count": 1})
    held = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    pending = held.submit(
        make_client(server.url).admin_get_device,
        UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE,
    )
    deadline = time.monotonic() + 30
    while rules(server.url):  # its one use taken: the held call has reached the server
        assert time.monotonic() < deadline, "the held call never arrived"
        time.sleep(0.02)
    assert client.admin_list_devices(UserPoolId=POOL_A, Username="alice")["Devices"]
    assert not pending.done(), "the held call was answered before the other one"
    assert pending.result(timeout=60)["Device"]["DeviceKey"] == ALICE_PHONE
    held.shutdown()


def test_probability_zero_never_fires_and_delete_removes_rules(server, client):
    add_rule(server.url, {"Operation": "*", "Error": "InternalErrorException", "Probability": 0})
    for _ in range(20):
        client.admin_get_device(UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE)
    status, _, body = raw_request(server.url, method="DELETE", path="/_cognitod/faults")
    assert status == 200 and json.loads(body) == {"Removed": 1}
    assert rules(server.url) == []


def test_throttling_is_retried_by_boto3_standard_mode(launcher):
    server = launcher.start(seed=DEVICES_SEED, args=["--throttle", "aws", "--throttle-rates", "UserResourceRead=2"])
    no_retry = make_client(server.url)
    for _ in range(2):
        no_retry.admin_get_device(UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE)
    with pytest.raises(no_retry.exceptions.TooManyRequestsException) as info:
        no_retry.admin_get_device(UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE)
    assert info.value.response["Error"]["Message"] == "Rate exceeded"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400

    retrying = boto3.client(
        "cognito-idp", endpoint_url=server.url, region_name=REGION,
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"mode": "standard", "max_attempts": 10}),
    )
    attempts = []
    for _ in range(4):
        response = retrying.admin_get_device(UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE)
        assert response["Device"]["DeviceKey"] == ALICE_PHONE
        attempts.append(response["ResponseMetadata"]["RetryAttempts"])
    # At 2 a second, four calls in a row cannot all pass first time: boto3 retried and succeeded.
    assert sum(attempts) > 0, attempts


def test_the_per_user_quota_limits_one_user_not_the_others(launcher):
    server = launcher.start(seed=DEVICES_SEED, args=["--throttle", "aws", "--throttle-rates", "PerUserRead=3"])
    client = make_client(server.url)
    for _ in range(3):
        client.admin_list_devices(UserPoolId=POOL_A, Username="alice")
    with pytest.raises(client.exceptions.TooManyRequestsException):
        client.admin_list_devices(UserPoolId=POOL_A, Username="alice")
    assert client.admin_list_devices(UserPoolId=POOL_A, Username="bob")["Devices"]


def test_reset_wipes_the_state_and_the_rules(server, client):
    add_rule(server.url, {"Operation": "ListUserPools", "DelayMs": 10})
    status, _, _ = raw_request(server.url, path="/_cognitod/reset", body=b"")
    assert status == 200
    assert client.list_user_pools(MaxResults=10)["UserPools"] == []
    assert rules(server.url) == []


def test_control_off_hides_every_control_endpoint(launcher):
    server = launcher.start(seed=DEVICES_SEED, args=["--control", "off"])
    for method, path in [("GET", "/_cognitod/health"), ("POST", "/_cognitod/reset"), ("GET", "/_cognitod/faults"), ("POST", "/_cognitod/faults")]:
        status, _, body = raw_request(server.url, method=method, path=path, body=b"{}")
        assert status == 404, (path, body)
        assert json.loads(body)["__type"] == "NotFoundException"
    assert make_client(server.url).admin_list_devices(UserPoolId=POOL_A, Username="alice")["Devices"]


def test_control_token_is_required_when_set(launcher):
    server = launcher.start(seed=DEVICES_SEED, args=["--control-token", "let-me-in"])
    status, headers, body = raw_request(server.url, path="/_cognitod/reset", body=b"")
    assert status == 401
    assert headers["www-authenticate"] == "Bearer"
    assert json.loads(body)["__type"] == "UnauthorizedException"
    status, _, _ = raw_request(server.url, method="GET", path="/_cognitod/health", headers={"Authorization": "Bearer nope"})
    assert status == 401
    # Still seeded: the refused reset did nothing.
    client = make_client(server.url)
    assert client.admin_list_devices(UserPoolId=POOL_A, Username="alice")["Devices"]
    add_rule(server.url, {"Operation": "AdminListDevices", "Error": "InternalErrorException"}, token="let-me-in")
    with pytest.raises(client.exceptions.InternalErrorException):
        client.admin_list_devices(UserPoolId=POOL_A, Username="alice")
    status, _, _ = raw_request(server.url, method="GET", path="/_cognitod/health", headers={"Authorization": "Bearer let-me-in"})
    assert status == 200


def test_listening_beyond_loopback_with_auth_off_logs_a_warning(cognitod_bin, tmp_path):
    proc = subprocess.Popen(
        [str(cognitod_bin), "--host", "0.0.0.0", "--port", "0", "--db", ":memory:", "--log-level", "warn"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={"PATH": "/usr/bin:/bin"},
    )
    try:
        line = proc.stdout.readline().decode()
        assert line.startswith("cognitod listening on http://0.0.0.0:"), line
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert "beyond loopback, with --auth off" in err.decode()


def test_default_bind_is_loopback_and_quiet(cognitod_bin):
    proc = subprocess.Popen(
        [str(cognitod_bin), "--port", "0", "--db", ":memory:", "--log-level", "warn"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={"PATH": "/usr/bin:/bin"},
    )
    try:
        line = proc.stdout.readline().decode()
        assert line.startswith("cognitod listening on http://127.0.0.1:"), line
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "beyond loopback" not in err.decode()


def test_docs_example_provokes_all_seven_exceptions(launcher):
    server = launcher.start(args=["--control-token", "example-token"])
    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "forget_device_faults.py"
    result = subprocess.run(
        ["/usr/bin/python3", str(example), "--endpoint", server.url, "--control-token", "example-token"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    for name, status in ADMIN_FORGET_DEVICE_ERRORS:
        assert f"raised botocore.errorfactory.{name} (HTTP {status}); device untouched: True" in result.stdout
