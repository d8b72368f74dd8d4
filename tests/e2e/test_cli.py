"""The device lifecycle through Debian's aws CLI v2 (/usr/bin/aws), as a user at a shell would run it."""

from cognitod_e2e import ALICE_EMAIL, ALICE_LAPTOP, ALICE_PHONE, POOL_A, UNKNOWN_POOL

# aws CLI v2 exits 254 when the service answered an error (255 for other failures).
SERVICE_ERROR_EXITS = (254, 255)


def test_admin_forget_device_through_the_cli(server, aws_cli):
    cli = aws_cli(server.url)
    where = ["--user-pool-id", POOL_A, "--username", "alice"]

    listed = cli.json("admin-list-devices", *where)
    assert sorted(d["DeviceKey"] for d in listed["Devices"]) == sorted([ALICE_PHONE, ALICE_LAPTOP])
    got = cli.json("admin-get-device", *where, "--device-key", ALICE_PHONE)
    names = {a["Name"]: a["Value"] for a in got["Device"]["DeviceAttributes"]}
    assert names["dev:device_remembered_status"] == "remembered"

    forgotten = cli.run("admin-forget-device", *where, "--device-key", ALICE_PHONE)
    assert forgotten.returncode == 0, forgotten.stderr
    assert forgotten.stdout.strip() == ""  # no output shape

    listed = cli.json("admin-list-devices", *where)
    assert [d["DeviceKey"] for d in listed["Devices"]] == [ALICE_LAPTOP]

    again = cli.run("admin-forget-device", *where, "--device-key", ALICE_PHONE)
    assert again.returncode in SERVICE_ERROR_EXITS, (again.returncode, again.stderr)
    assert "ResourceNotFoundException" in again.stderr
    assert "AdminForgetDevice" in again.stderr
    assert "Device does not exist." in again.stderr


def test_cli_reports_an_unknown_pool(shared_server, aws_cli):
    result = aws_cli(shared_server.url).run(
        "admin-forget-device", "--user-pool-id", UNKNOWN_POOL, "--username", "alice", "--device-key", ALICE_PHONE
    )
    assert result.returncode in SERVICE_ERROR_EXITS
    assert "ResourceNotFoundException" in result.stderr
    assert f"User pool {UNKNOWN_POOL} does not exist." in result.stderr


def test_cli_follows_list_users_pagination_tokens(shared_server, aws_cli):
    cli = aws_cli(shared_server.url)
    # --page-size 2 makes the CLI fetch several pages and join them, following PaginationToken.
    paged = cli.json("list-users", "--user-pool-id", POOL_A, "--page-size", "2")
    names = [u["Username"] for u in paged["Users"]]
    assert sorted(names) == ["alice", "bob", "dan", "pager", "racer", "tess"]

    filtered = cli.json("list-users", "--user-pool-id", POOL_A, "--filter", f'email = "{ALICE_EMAIL}"')
    assert [u["Username"] for u in filtered["Users"]] == ["alice"]
