"""State on disk: restarts, crashes, the seed being applied once per database, --reseed, bad seeds,
and the example seed shipped in docker/."""

import json
import re
import shutil
import sqlite3

import pytest

from cognitod_e2e import (
    ALICE_LAPTOP,
    ALICE_PHONE,
    BOB_KIOSK,
    DEVICES_SEED,
    EXAMPLE_SEED,
    OTHER_ALICE_PHONE,
    POOL_A,
    POOL_B,
    attrs,
    device_keys,
    expect_error,
    make_client,
)

DEVICE_GONE = "Device does not exist."


def forget(client, key, username="alice", pool=POOL_A):
    client.admin_forget_device(UserPoolId=pool, Username=username, DeviceKey=key)


def remembered_status(client, username, key, pool=POOL_A):
    device = client.admin_get_device(UserPoolId=pool, Username=username, DeviceKey=key)["Device"]
    return attrs(device["DeviceAttributes"])["dev:device_remembered_status"]


def assert_forgotten(client, key, username="alice", pool=POOL_A):
    expect_error(client, "ResourceNotFoundException", DEVICE_GONE, "admin_get_device",
                 UserPoolId=pool, Username=username, DeviceKey=key)
    assert key not in device_keys(client, pool, username)


def dump(db):
    """The database's logical content (SQLite's own dump), independent of WAL checkpoints."""
    connection = sqlite3.connect(db)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def usernames(client, pool):
    return sorted(u["Username"] for u in client.list_users(UserPoolId=pool)["Users"])


def test_state_survives_sigterm_and_restart_with_the_same_seed(launcher, tmp_path):
    server = launcher.start(db=tmp_path / "state.db", seed=DEVICES_SEED)
    client = make_client(server.url)
    forget(client, ALICE_PHONE)
    client.admin_update_device_status(
        UserPoolId=POOL_A, Username="bob", DeviceKey=BOB_KIOSK, DeviceRememberedStatus="remembered"
    )
    client.admin_delete_user(UserPoolId=POOL_A, Username="tess")
    client.delete_user_pool(UserPoolId=POOL_B)
    pool = client.create_user_pool(
        PoolName="made-at-runtime",
        DeviceConfiguration={"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True},
    )["UserPool"]
    user = client.admin_create_user(
        UserPoolId=pool["Id"], Username="zoe", TemporaryPassword="Temp-Passw0rd!", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "zoe@e2e.example"}],
    )["User"]
    users_before = usernames(client, POOL_A)

    assert server.stop() == 0, f"SIGTERM should stop cognitod cleanly\n{server.stderr_text()}"
    server.start()
    client = make_client(server.url)

    # The seed was already applied to this database: nothing seeded comes back.
    assert_forgotten(client, ALICE_PHONE)
    assert device_keys(client, POOL_A, "alice") == [ALICE_LAPTOP]
    assert remembered_status(client, "bob", BOB_KIOSK) == "remembered"
    assert usernames(client, POOL_A) == users_before
    assert "tess" not in users_before
    expect_error(client, "ResourceNotFoundException", f"User pool {POOL_B} does not exist.",
                 "describe_user_pool", UserPoolId=POOL_B)

    described = client.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
    assert described["Name"] == "made-at-runtime"
    assert described["DeviceConfiguration"] == pool["DeviceConfiguration"]
    assert described["CreationDate"] == pool["CreationDate"]
    got = client.admin_get_user(UserPoolId=pool["Id"], Username="zoe")
    assert got["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert attrs(got["UserAttributes"]) == attrs(user["Attributes"])


def test_sigterm_stops_an_idle_server_promptly(launcher):
    server = launcher.start(seed=DEVICES_SEED)
    make_client(server.url).list_user_pools(MaxResults=1)  # leaves an idle keep-alive connection
    assert server.stop() == 0
    # An idle keep-alive connection is closed at once; had it been left to the 5 s drain limit,
    # cognitod would say it cut it. Judged by its log, not by the clock of a busy machine.
    log = server.stderr_text()
    assert "cutting them" not in log, log


def test_acknowledged_forget_survives_sigkill(launcher, tmp_path):
    server = launcher.start(db=tmp_path / "state.db", seed=DEVICES_SEED)
    client = make_client(server.url)
    forget(client, ALICE_PHONE)
    created = client.create_user_pool(PoolName="written-before-crash")["UserPool"]
    forget(client, OTHER_ALICE_PHONE, pool=POOL_B)  # the last acknowledged write before the crash

    assert server.kill() == -9
    server.start()
    client = make_client(server.url)
    assert_forgotten(client, ALICE_PHONE)
    assert_forgotten(client, OTHER_ALICE_PHONE, pool=POOL_B)
    assert client.describe_user_pool(UserPoolId=created["Id"])["UserPool"]["Name"] == "written-before-crash"


def test_reseed_brings_back_forgotten_seeded_devices_and_leaves_the_rest(launcher, tmp_path):
    server = launcher.start(db=tmp_path / "state.db", seed=DEVICES_SEED)
    client = make_client(server.url)
    original = client.admin_get_device(UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE)["Device"]
    alice_sub = attrs(client.admin_get_user(UserPoolId=POOL_A, Username="alice")["UserAttributes"])["sub"]
    forget(client, ALICE_PHONE)
    client.admin_update_device_status(
        UserPoolId=POOL_A, Username="bob", DeviceKey=BOB_KIOSK, DeviceRememberedStatus="remembered"
    )
    kept = client.create_user_pool(PoolName="kept-across-reseed")["UserPool"]
    users_before = usernames(client, POOL_A)

    assert server.stop() == 0
    server.start(extra_args=["--reseed"])
    client = make_client(server.url)

    back = client.admin_get_device(UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE)["Device"]
    assert attrs(back["DeviceAttributes"]) == attrs(original["DeviceAttributes"])
    assert sorted(device_keys(client, POOL_A, "alice")) == sorted([ALICE_PHONE, ALICE_LAPTOP])
    # What exists is left as it is: no duplicate users, bob's changed device keeps its change,
    # alice keeps her sub, and a pool made at run time survives.
    assert usernames(client, POOL_A) == users_before
    assert remembered_status(client, "bob", BOB_KIOSK) == "remembered"
    assert attrs(client.admin_get_user(UserPoolId=POOL_A, Username="alice")["UserAttributes"])["sub"] == alice_sub
    assert client.describe_user_pool(UserPoolId=kept["Id"])["UserPool"]["Name"] == "kept-across-reseed"


def test_a_changed_seed_file_is_applied_again(launcher, tmp_path):
    seed = tmp_path / "seed.json"
    shutil.copyfile(DEVICES_SEED, seed)
    server = launcher.start(db=tmp_path / "state.db", seed=seed)
    client = make_client(server.url)
    forget(client, ALICE_PHONE)
    assert server.stop() == 0

    content = json.loads(seed.read_text())
    content["UserPools"][1]["Users"].append({"Username": "newcomer", "Password": "N3w-Comer!"})
    seed.write_text(json.dumps(content, indent=2))
    server.start()
    client = make_client(server.url)
    assert ALICE_PHONE in device_keys(client, POOL_A, "alice")
    assert client.admin_get_user(UserPoolId=POOL_B, Username="newcomer")["UserStatus"] == "CONFIRMED"


# --- bad seeds ----------------------------------------------------------------------------------


def seed_without_bobs_username(path):
    content = json.loads(DEVICES_SEED.read_text())
    del content["UserPools"][0]["Users"][1]["Username"]
    # A valid pool after the bad user: it must not be created either (one transaction).
    content["UserPools"].append({"Id": "us-east-1_E2eBad9", "PoolName": "never-created"})
    path.write_text(json.dumps(content, indent=2))
    return re.escape("$.UserPools[0].Users[1].Username") + r".*Member must not be null"


def seed_with_broken_json(path):
    text = DEVICES_SEED.read_text()
    path.write_text(text[: len(text) // 2])  # cut off mid-document
    return None


@pytest.mark.parametrize("make_bad_seed", [seed_without_bobs_username, seed_with_broken_json],
                         ids=["missing-username", "broken-json"])
def test_a_bad_seed_stops_startup_and_leaves_the_database_untouched(launcher, tmp_path, make_bad_seed):
    db = tmp_path / "state.db"
    server = launcher.start(db=db, seed=DEVICES_SEED)
    client = make_client(server.url)
    forget(client, ALICE_PHONE)
    assert server.stop() == 0
    before = dump(db)

    bad = tmp_path / "bad-seed.json"
    detail = make_bad_seed(bad)
    rc, out, err = launcher.run_to_exit(db=db, seed=bad)
    assert rc != 0
    assert "listening" not in out
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got:\n{err}"
    prefix = f"cognitod: seed {bad}: "
    assert lines[0].startswith(prefix), lines[0]
    if detail is not None:
        assert re.search(detail, lines[0][len(prefix):]), lines[0]

    assert dump(db) == before, "the failed start changed the database"
    server = launcher.start(db=db, seed=DEVICES_SEED)
    client = make_client(server.url)
    assert_forgotten(client, ALICE_PHONE)
    expect_error(client, "ResourceNotFoundException", "User pool us-east-1_E2eBad9 does not exist.",
                 "describe_user_pool", UserPoolId="us-east-1_E2eBad9")


def test_a_seed_password_must_satisfy_the_pool_policy(launcher, tmp_path):
    content = json.loads(DEVICES_SEED.read_text())
    content["UserPools"][1]["Users"][0]["Password"] = "short"
    bad = tmp_path / "weak.json"
    bad.write_text(json.dumps(content))
    rc, out, err = launcher.run_to_exit(seed=bad)
    assert rc != 0
    # The path names the Password member; the problem is the pool's policy, in Cognito's words.
    assert err.strip() == (
        f"cognitod: seed {bad}: $.UserPools[1].Users[0].Password: InvalidPasswordException: "
        "Password did not conform with password policy: Password not long enough"
    ), err


# --- the example seed ---------------------------------------------------------------------------


def test_the_docker_example_seed_loads_as_documented(launcher):
    client = make_client(launcher.start(seed=EXAMPLE_SEED).url)
    shop = client.describe_user_pool(UserPoolId="us-east-1_DemoShop1")["UserPool"]
    bank = client.describe_user_pool(UserPoolId="us-east-1_DemoBank2")["UserPool"]
    assert (shop["Name"], bank["Name"]) == ("demo-shop", "demo-bank")
    assert bank["DeviceConfiguration"] == {
        "ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True,
    }
    assert bank["AliasAttributes"] == ["email"]
    assert usernames(client, "us-east-1_DemoShop1") == ["alice", "bob", "carol", "dave"]
    assert usernames(client, "us-east-1_DemoBank2") == ["erin", "frank"]

    status = {u["Username"]: (u["UserStatus"], u["Enabled"])
              for u in client.list_users(UserPoolId="us-east-1_DemoShop1")["Users"]}
    assert status == {
        "alice": ("CONFIRMED", True), "bob": ("CONFIRMED", True),
        "carol": ("CONFIRMED", False), "dave": ("FORCE_CHANGE_PASSWORD", True),
    }
    assert len(device_keys(client, "us-east-1_DemoShop1", "bob")) == 2
    kiosk = client.admin_get_device(
        UserPoolId="us-east-1_DemoShop1", Username="alice",
        DeviceKey="us-east-1_ddc96700-fb23-4532-9680-3fd01ea3bc1b",
    )["Device"]
    assert attrs(kiosk["DeviceAttributes"])["dev:device_remembered_status"] == "not_remembered"
    # demo-bank: case-insensitive usernames and email aliases.
    assert len(device_keys(client, "us-east-1_DemoBank2", "ERIN")) == 2
    assert len(device_keys(client, "us-east-1_DemoBank2", "erin@example.org")) == 2


def test_a_second_cognitod_cannot_open_a_database_in_use(launcher, tmp_path):
    """The file is locked to the cognitod that has it open (unix-excl): a second one on the same
    file gives up after SQLite's busy timeout, and the first goes on unharmed."""
    db = tmp_path / "state.db"
    server = launcher.start(db=db, seed=DEVICES_SEED)
    client = make_client(server.url)
    forget(client, ALICE_PHONE)

    rc, out, err = launcher.run_to_exit(db=db, timeout=30)
    assert rc != 0
    assert "listening" not in out
    assert "database is locked" in err, err

    assert_forgotten(client, ALICE_PHONE)
    assert device_keys(client, POOL_A, "alice") == [ALICE_LAPTOP]
    assert server.stop() == 0
    # Once cognitod is gone, any SQLite opens the file.
    assert any("devices" in line for line in dump(db))
