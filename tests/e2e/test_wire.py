"""AWS JSON 1.1 on the wire, with raw http.client: headers, error bodies, malformed input."""

import http.client
import json

import boto3
from botocore.config import Config

from cognitod_e2e import (
    AMZ_JSON,
    POOL_A,
    UNKNOWN_POOL,
    UUID_RE,
    null_violation,
    raw_request,
    validation_message,
)


def body_json(data):
    parsed = json.loads(data)
    assert isinstance(parsed, dict), data
    return parsed


def assert_request_id(headers):
    assert UUID_RE.fullmatch(headers.get("x-amzn-requestid", "")), headers


def assert_error(status, headers, data, code, message=None, message_key="message"):
    assert status == 400, (status, data)
    assert headers.get("x-amzn-errortype") == f"{code}:", headers
    assert headers.get("content-type", "").startswith(AMZ_JSON), headers
    assert_request_id(headers)
    body = body_json(data)
    assert body["__type"] == code, body
    if message is not None:
        assert body[message_key] == message, body
    return body


def test_success_carries_request_id_and_content_type(shared_server):
    status, headers, data = raw_request(shared_server.url, "DescribeUserPool", {"UserPoolId": POOL_A})
    assert status == 200, data
    assert headers.get("content-type", "").startswith(AMZ_JSON)
    assert_request_id(headers)
    assert "x-amzn-errortype" not in headers
    pool = body_json(data)["UserPool"]
    assert pool["Id"] == POOL_A
    # Timestamps travel as epoch seconds (JSON numbers), never strings.
    for stamp in ("CreationDate", "LastModifiedDate"):
        assert isinstance(pool[stamp], (int, float)) and not isinstance(pool[stamp], bool), pool[stamp]
        assert pool[stamp] > 1_600_000_000


def test_request_ids_differ_between_requests(shared_server):
    ids = set()
    for _ in range(5):
        _, headers, _ = raw_request(shared_server.url, "ListUserPools", {"MaxResults": 1})
        ids.add(headers["x-amzn-requestid"])
    _, headers, _ = raw_request(shared_server.url, "DescribeUserPool", {"UserPoolId": UNKNOWN_POOL})
    ids.add(headers["x-amzn-requestid"])
    assert len(ids) == 6


def test_error_headers_and_body(shared_server):
    status, headers, data = raw_request(shared_server.url, "DescribeUserPool", {"UserPoolId": UNKNOWN_POOL})
    message = f"User pool {UNKNOWN_POOL} does not exist."
    assert_error(status, headers, data, "ResourceNotFoundException", message)
    assert headers.get("x-amzn-errormessage") == message


def test_validation_error_on_the_wire(shared_server):
    status, headers, data = raw_request(
        shared_server.url, "AdminForgetDevice", {"UserPoolId": POOL_A, "Username": "alice"}
    )
    assert_error(status, headers, data, "InvalidParameterException", validation_message(null_violation("deviceKey")))


def test_malformed_json_is_a_serialization_exception(shared_server):
    status, headers, data = raw_request(shared_server.url, "DescribeUserPool", b'{"UserPoolId": ')
    body = assert_error(status, headers, data, "SerializationException")
    assert "Message" in body, body  # capital M for this one


def test_wrongly_typed_member_is_a_serialization_exception(shared_server):
    status, headers, data = raw_request(shared_server.url, "ListUserPools", {"MaxResults": "ten"})
    assert_error(status, headers, data, "SerializationException")


def test_unknown_target_is_an_unknown_operation(shared_server):
    status, headers, data = raw_request(shared_server.url, "AWSCognitoIdentityProviderService.FlyToTheMoon")
    assert_error(status, headers, data, "UnknownOperationException")


def test_missing_target_is_a_client_error(shared_server):
    status, headers, data = raw_request(shared_server.url, None, {"MaxResults": 1})
    assert status == 400, (status, data)
    assert_request_id(headers)
    assert body_json(data) == {"__type": "UnknownOperationException"}


def test_an_operation_not_implemented_yet_names_itself(shared_server):
    status, headers, data = raw_request(
        shared_server.url, "StartUserImportJob", {"UserPoolId": POOL_A, "JobId": "import-0123456789ab"}
    )
    assert status == 501, data
    assert_request_id(headers)
    assert body_json(data) == {"__type": "NotImplementedException",
                               "message": "cognitod does not implement StartUserImportJob yet."}


def test_get_of_an_unknown_path_is_404_json(shared_server):
    status, headers, data = raw_request(shared_server.url, method="GET", path="/unknown")
    assert status == 404, data
    body_json(data)


def test_plain_application_json_and_keep_alive(shared_server):
    conn = http.client.HTTPConnection(shared_server.url.split("://", 1)[1], timeout=30)
    try:
        for target, payload in [("ListUserPools", {"MaxResults": 60}),
                                ("DescribeUserPool", {"UserPoolId": UNKNOWN_POOL}),
                                ("AdminGetUser", {"UserPoolId": POOL_A, "Username": "alice"})]:
            status, headers, data = raw_request(
                shared_server.url, target, payload, headers={"Content-Type": "application/json"}, connection=conn
            )
            assert status in (200, 400), data
            assert_request_id(headers)
            body_json(data)
        assert status == 200 and body_json(data)["Username"] == "alice"
    finally:
        conn.close()


def test_region_comes_from_the_signature(empty_server):
    client = boto3.client(
        "cognito-idp", endpoint_url=empty_server.url, region_name="eu-west-3",
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(parameter_validation=False, retries={"max_attempts": 1}),
    )
    pool = client.create_user_pool(PoolName="paris")["UserPool"]
    assert pool["Id"].startswith("eu-west-3_"), pool["Id"]
    assert pool["Arn"].startswith("arn:aws:cognito-idp:eu-west-3:"), pool["Arn"]
    assert client.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]["Name"] == "paris"
