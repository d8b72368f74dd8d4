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
