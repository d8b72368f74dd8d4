"""What a web browser may do with cognitod, over raw HTTP: a page on another origin calls the AWS
endpoint (POST /) as it calls cognito-idp, with CORS; the control endpoints (/_cognitod/) answer
only their own origin, under a Host that names cognitod, and take POSTs that declare JSON.
The same in headless Chromium: tests/e2e/js/console.test.js and cors.test.js."""

import json

from cognitod_e2e import (
    ALICE_PHONE,
    DEVICES_SEED,
    POOL_A,
    make_client,
    raw_request,
)

EXPOSED = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date"
FOREIGN_ORIGIN = "http://127.0.0.1:1"


def state(url):
    status, _, body = raw_request(url, method="GET", path="/_cognitod/ui/api/state")
    assert status == 200, body
    return json.loads(body)


def test_a_rebound_name_reads_nothing_and_changes_nothing(launcher):
    # DNS rebinding: the attacker's name now resolves to 127.0.0.1, and the browser sends it as Host.
    server = launcher.start(seed=DEVICES_SEED)
    before = state(server.url)
    for host in ("rebind.example", f"rebind.example:{server.port}"):
        for method, path in (
            ("GET", "/_cognitod/messages"),
            ("GET", "/_cognitod/ui/api/state"),
            ("GET", "/_cognitod/faults"),
            ("POST", "/_cognitod/reset"),
            ("POST", "/_cognitod/ui/api/forget-device"),
        ):
            body = {"UserPoolId": POOL_A, "Username": "alice", "DeviceKey": ALICE_PHONE}
            status, headers, data = raw_request(
                server.url, method=method, path=path, body=body, headers={"Host": host}
            )
            assert status == 403, (host, path, data)
            error = json.loads(data)
            assert error["__type"] == "ForbiddenException"
            assert host.split(":")[0] in error["message"]
            assert "access-control-allow-origin" not in headers
    assert state(server.url) == before


def test_health_answers_any_host(launcher):
    server = launcher.start()
    status, _, body = raw_request(
        server.url, method="GET", path="/_cognitod/health", headers={"Host": "cognitod:9229"}
    )
    assert status == 200, body


def test_allowed_hosts_add_names_to_loopback(launcher):
    server = launcher.start(args=["--allowed-hosts", "cognitod, .test.internal"])
    for host, expected in (
        ("cognitod:9229", 200),
        ("COGNITOD", 200),
        ("api.test.internal", 200),
        ("test.internal:80", 200),
        (f"localhost:{server.port}", 200),
        ("cognitod.example", 403),
        ("nottest.internal", 403),
    ):
        status, _, body = raw_request(
            server.url, method="GET", path="/_cognitod/faults", headers={"Host": host}
        )
        assert status == expected, (host, body)


def test_a_post_that_does_not_declare_json_changes_nothing(launcher):
    # What an HTML form or a fetch without a preflight can send: text/plain, a form, no type.
    server = launcher.start(seed=DEVICES_SEED)
    before = state(server.url)
    for content_type in ("text/plain;charset=UTF-8", "application/x-www-form-urlencoded", ""):
        for path, body in (
            ("/_cognitod/reset", b"{}"),
            ("/_cognitod/faults", {"Operation": "*", "Error": "InternalErrorException"}),
            (
                "/_cognitod/ui/api/forget-device",
                {"UserPoolId": POOL_A, "Username": "alice", "DeviceKey": ALICE_PHONE},
            ),
        ):
            status, _, data = raw_request(
                server.url, path=path, body=body, headers={"Content-Type": content_type}
            )
            assert status == 415, (content_type, path, data)
            assert json.loads(data)["__type"] == "UnsupportedMediaTypeException"
    assert state(server.url) == before
    _, _, rules = raw_request(server.url, method="GET", path="/_cognitod/faults")
    assert json.loads(rules)["Rules"] == []


def test_a_request_from_another_origin_changes_nothing(launcher):
    server = launcher.start(seed=DEVICES_SEED)
    before = state(server.url)
    status, headers, data = raw_request(
        server.url, path="/_cognitod/reset", body=b"{}", headers={"Origin": FOREIGN_ORIGIN}
    )
    assert status == 403, data
    assert FOREIGN_ORIGIN in json.loads(data)["message"]
    assert "access-control-allow-origin" not in headers
    assert state(server.url) == before
    # Its own origin, as the console's page sends it, is answered.
    status, _, data = raw_request(
        server.url, path="/_cognitod/reset", body=b"{}", headers={"Origin": server.url}
    )
    assert status == 200, data
    assert state(server.url)["UserPools"] == []


def test_the_aws_endpoint_answers_a_preflight_as_cognito_idp_does(server):
    requested = "content-type,x-amz-target,x-amz-user-agent,amz-sdk-invocation-id,amz-sdk-request"
    status, headers, data = raw_request(
        server.url,
        method="OPTIONS",
        body=None,
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": requested,
        },
    )
    assert (status, data) == (200, b"")
    assert headers["access-control-allow-origin"] == "*"
    assert headers["access-control-allow-methods"] == "POST"
    assert headers["access-control-allow-headers"] == requested
    assert headers["access-control-expose-headers"] == EXPOSED
    assert headers["access-control-max-age"] == "172800"
    assert headers["x-amzn-requestid"]


def test_the_aws_endpoints_answers_and_errors_are_readable_across_origins(server):
    origin = {"Origin": "http://localhost:3000"}
    status, headers, _ = raw_request(server.url, target="ListUserPools", body={"MaxResults": 1}, headers=origin)
    assert status == 200
    assert headers["access-control-allow-origin"] == "*"
    assert headers["access-control-expose-headers"] == EXPOSED
    status, headers, _ = raw_request(
        server.url, target="DescribeUserPool", body={"UserPoolId": "us-east-1_NoSuchPool"}, headers=origin
    )
    assert status == 400
    assert headers["x-amzn-errortype"].startswith("ResourceNotFoundException")
    assert headers["access-control-allow-origin"] == "*"
    assert headers["access-control-expose-headers"] == EXPOSED


def test_control_endpoints_send_no_cors_headers(server):
    for method, path in (
        ("OPTIONS", "/_cognitod/reset"),
        ("OPTIONS", "/_cognitod/ui/api/forget-device"),
        ("GET", "/_cognitod/health"),
        ("GET", "/_cognitod/ui/api/state"),
    ):
        _, headers, _ = raw_request(
            server.url,
            method=method,
            path=path,
            body=None,
            headers={"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
        )
        assert not [h for h in headers if h.startswith("access-control-")], (method, path, headers)



def test_with_auth_off_a_site_elsewhere_cannot_call_what_aws_signs(launcher):
    # CORS lets any page call; with nothing signed, only the Origin tells a site elsewhere (or a
    # page under a rebound name) from the developer's own.
    server = launcher.start(seed=DEVICES_SEED)
    for origin in ("https://elsewhere.example", f"http://rebind.example:{server.port}", "null"):
        status, headers, data = raw_request(
            server.url, target="DeleteUserPool", body={"UserPoolId": POOL_A}, headers={"Origin": origin}
        )
        assert status == 400, (origin, data)
        assert headers["x-amzn-errortype"] == "AccessDeniedException:"
        assert headers["access-control-allow-origin"] == "*"
        assert "--auth" in json.loads(data)["message"]
    status, _, data = raw_request(
        server.url, target="ListUserPools", body={"MaxResults": 10}, headers={"Origin": "http://localhost:3000"}
    )
    assert status == 200, data
    assert POOL_A in [p["Id"] for p in json.loads(data)["UserPools"]]
    # What a web app's sign-in calls is unsigned on AWS too, and is answered.
    status, headers, _ = raw_request(
        server.url,
        target="InitiateAuth",
        body={"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "nope", "AuthParameters": {"USERNAME": "a", "PASSWORD": "b"}},
        headers={"Origin": "https://elsewhere.example"},
    )
    assert status == 400
    assert headers["x-amzn-errortype"] != "AccessDeniedException:"
