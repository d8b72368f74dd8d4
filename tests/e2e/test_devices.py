"""The admin device API on seeded devices: AdminListDevices, AdminGetDevice, AdminUpdateDeviceStatus
and AdminForgetDevice, with every AdminForgetDevice error AWS answers."""

import threading
from datetime import datetime

import pytest

from cognitod_e2e import (
    ACCOUNT_ID,
    ALICE_EMAIL,
    ALICE_LAPTOP,
    ALICE_PHONE,
    BOB_KIOSK,
    BOB_TABLET,
    DEVICE_ATTRIBUTE_ORDER,
    DEVICE_KEY_PATTERN,
    EMAIL_USERNAME_SEED,
    FRANK_EMAIL,
    FRANK_LAPTOP,
    FRANK_PHONE,
    OTHER_ALICE_PHONE,
    PAGER_DEVICES,
    POOL_A,
    POOL_B,
    POOL_ID_PATTERN,
    POOL_MAIL,
    RACER_PHONE,
    REGION,
    UNKNOWN_DEVICE,
    UNKNOWN_POOL,
    USERNAME_PATTERN,
    UUID4_RE,
    all_device_pages,
    attrs,
    device_keys,
    expect_error,
    make_client,
    null_violation,
    pattern_violation,
    validation_message,
)

DEVICE_GONE = "Device does not exist."
USER_GONE = "User does not exist."


def pool_gone(pool_id):
    return f"User pool {pool_id} does not exist."


def get_device(client, pool, username, key):
    return client.admin_get_device(UserPoolId=pool, Username=username, DeviceKey=key)["Device"]


def assert_attribute_order(device):
    names = [a["Name"] for a in device["DeviceAttributes"]]
    unknown = [n for n in names if n not in DEVICE_ATTRIBUTE_ORDER]
    assert not unknown, f"attributes AWS never prints: {unknown}"
    assert names == sorted(names, key=DEVICE_ATTRIBUTE_ORDER.index), f"attribute order {names}"


def assert_seeded_device(device, key, username, pool, name, status, ip=None):
    assert device["DeviceKey"] == key
    assert_attribute_order(device)
    values = attrs(device["DeviceAttributes"])
    assert values["device_name"] == name
    assert values["dev:device_remembered_status"] == status
    assert values["dev:device_owner"] == f"{username}.{pool}"
    assert values["dev:device_arn"] == (
        f"arn:aws:cognito-idp:{REGION}:{ACCOUNT_ID}:owner/{username}.{pool}/device/{key}"
    )
    assert values.get("device_status", "valid") == "valid"
    if ip is not None:
        assert values["last_ip_used"] == ip
    for stamp in ("DeviceCreateDate", "DeviceLastModifiedDate"):
        assert isinstance(device[stamp], datetime), f"{stamp} missing or not an epoch number"
    assert device["DeviceLastModifiedDate"] >= device["DeviceCreateDate"]


# --- reading seeded devices ---------------------------------------------------------------------


def test_list_and_get_return_the_seeded_devices_with_aws_attributes(shared_client):
    listed = shared_client.admin_list_devices(UserPoolId=POOL_A, Username="alice")
    assert "PaginationToken" not in listed
    by_key = {d["DeviceKey"]: d for d in listed["Devices"]}
    assert sorted(by_key) == sorted([ALICE_PHONE, ALICE_LAPTOP])
    assert_seeded_device(by_key[ALICE_PHONE], ALICE_PHONE, "alice", POOL_A, "alice-phone", "remembered", "192.0.2.1")
    assert_seeded_device(by_key[ALICE_LAPTOP], ALICE_LAPTOP, "alice", POOL_A, "alice-laptop", "remembered", "192.0.2.2")

    # A device seeded with a name and an IP carries every attribute, in AWS's order.
    assert [a["Name"] for a in by_key[ALICE_PHONE]["DeviceAttributes"]] == DEVICE_ATTRIBUTE_ORDER
    got = get_device(shared_client, POOL_A, "alice", ALICE_PHONE)
    assert got == by_key[ALICE_PHONE]


def test_get_reports_a_seeded_not_remembered_device(shared_client):
    device = get_device(shared_client, POOL_A, "bob", BOB_KIOSK)
    assert_seeded_device(device, BOB_KIOSK, "bob", POOL_A, "bob-kiosk", "not_remembered", "198.51.100.8")
    # Listing shows remembered devices only (aws-behaviour.md, Devices).
    assert device_keys(shared_client, POOL_A, "bob") == [BOB_TABLET]


# --- the lifecycle ------------------------------------------------------------------------------


def test_update_status_and_forget_lifecycle(client):
    before = get_device(client, POOL_A, "alice", ALICE_PHONE)
    assert attrs(before["DeviceAttributes"])["dev:device_remembered_status"] == "remembered"

    response = client.admin_update_device_status(
        UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE, DeviceRememberedStatus="not_remembered"
    )
    assert set(response) == {"ResponseMetadata"}
    hidden = get_device(client, POOL_A, "alice", ALICE_PHONE)
    assert_attribute_order(hidden)
    changed = {
        name
        for name, value in attrs(hidden["DeviceAttributes"]).items()
        if attrs(before["DeviceAttributes"]).get(name) != value
    }
    assert changed == {"dev:device_remembered_status"}
    assert attrs(hidden["DeviceAttributes"])["dev:device_remembered_status"] == "not_remembered"
    assert hidden["DeviceCreateDate"] == before["DeviceCreateDate"]
    assert hidden["DeviceLastModifiedDate"] >= before["DeviceLastModifiedDate"]
    # Listing shows remembered devices only (aws-behaviour.md, Devices).
    assert device_keys(client, POOL_A, "alice") == [ALICE_LAPTOP]

    client.admin_update_device_status(
        UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE, DeviceRememberedStatus="remembered"
    )
    again = get_device(client, POOL_A, "alice", ALICE_PHONE)
    assert_attribute_order(again)
    assert attrs(again["DeviceAttributes"]) == attrs(before["DeviceAttributes"])
    assert sorted(device_keys(client, POOL_A, "alice")) == sorted([ALICE_PHONE, ALICE_LAPTOP])

    response = client.admin_forget_device(UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE)
    assert set(response) == {"ResponseMetadata"}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200

    # Gone from every device operation, and only that device is gone.
    assert device_keys(client, POOL_A, "alice") == [ALICE_LAPTOP]
    expect_error(client, "ResourceNotFoundException", DEVICE_GONE, "admin_get_device",
                 UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE)
    expect_error(client, "ResourceNotFoundException", DEVICE_GONE, "admin_update_device_status",
                 UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE, DeviceRememberedStatus="remembered")
    expect_error(client, "ResourceNotFoundException", DEVICE_GONE, "admin_forget_device",
                 UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE)
    assert get_device(client, POOL_A, "alice", ALICE_LAPTOP)["DeviceKey"] == ALICE_LAPTOP


def test_update_device_status_rejects_a_value_outside_the_enum(shared_client):
    expect_error(
        shared_client, "InvalidParameterException",
        validation_message(
            "Value 'forgotten' at 'deviceRememberedStatus' failed to satisfy constraint: "
            "Member must satisfy enum value set: [remembered, not_remembered]"
        ),
        "admin_update_device_status",
        UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE, DeviceRememberedStatus="forgotten",
    )
    device = get_device(shared_client, POOL_A, "alice", ALICE_PHONE)
    assert attrs(device["DeviceAttributes"])["dev:device_remembered_status"] == "remembered"


# --- AdminForgetDevice errors -------------------------------------------------------------------

TOO_LONG_KEY = "us-east-1_" + "0123456789abcdef" * 2 + "0123456789abcd"  # 56 chars, pattern ok
assert len(TOO_LONG_KEY) == 56

# Several violations are listed sorted by member path (docs/fidelity.md: a captured SignUp error
# names 'password' before 'username').
FORGET_ERRORS = [
    pytest.param(
        dict(UserPoolId=UNKNOWN_POOL, Username="alice", DeviceKey=ALICE_PHONE),
        "ResourceNotFoundException", pool_gone(UNKNOWN_POOL), id="unknown-pool",
    ),
    pytest.param(
        dict(UserPoolId=UNKNOWN_POOL, Username="nobody", DeviceKey=UNKNOWN_DEVICE),
        "ResourceNotFoundException", pool_gone(UNKNOWN_POOL), id="unknown-pool-before-unknown-user",
    ),
    pytest.param(
        dict(UserPoolId=POOL_A, Username="nobody", DeviceKey=ALICE_PHONE),
        "UserNotFoundException", USER_GONE, id="unknown-user",
    ),
    pytest.param(
        dict(UserPoolId=POOL_A, Username="nobody", DeviceKey=UNKNOWN_DEVICE),
        "UserNotFoundException", USER_GONE, id="unknown-user-before-unknown-device",
    ),
    pytest.param(
        dict(UserPoolId=POOL_A, Username="alice", DeviceKey=UNKNOWN_DEVICE),
        "ResourceNotFoundException", DEVICE_GONE, id="unknown-device",
    ),
    pytest.param(
        dict(UserPoolId=POOL_A, Username="alice", DeviceKey=OTHER_ALICE_PHONE),
        "ResourceNotFoundException", DEVICE_GONE, id="device-of-same-named-user-in-another-pool",
    ),
    pytest.param(
        dict(UserPoolId=POOL_A, Username="alice"),
        "InvalidParameterException", validation_message(null_violation("deviceKey")), id="missing-device-key",
    ),
    pytest.param(
        dict(UserPoolId="us-east-1 bad", Username="alice", DeviceKey=ALICE_PHONE),
        "InvalidParameterException",
        validation_message(pattern_violation("userPoolId", "us-east-1 bad", POOL_ID_PATTERN)),
        id="bad-pool-id-pattern",
    ),
    pytest.param(
        dict(UserPoolId=POOL_A, Username="alice", DeviceKey="us-east-1_NOT-HEX"),
        "InvalidParameterException",
        validation_message(pattern_violation("deviceKey", "us-east-1_NOT-HEX", DEVICE_KEY_PATTERN)),
        id="bad-device-key-pattern",
    ),
    pytest.param(
        dict(UserPoolId=POOL_A, Username="alice", DeviceKey=TOO_LONG_KEY),
        "InvalidParameterException",
        validation_message(
            f"Value '{TOO_LONG_KEY}' at 'deviceKey' failed to satisfy constraint: "
            "Member must have length less than or equal to 55"
        ),
        id="device-key-too-long",
    ),
    pytest.param(
        # Username is sensitive: the message never echoes its value.
        dict(UserPoolId=POOL_A, Username="alice smith", DeviceKey=ALICE_PHONE),
        "InvalidParameterException",
        validation_message(pattern_violation("username", None, USERNAME_PATTERN)),
        id="username-pattern-value-not-echoed",
    ),
    pytest.param(
        dict(UserPoolId="x y", Username="alice"),
        "InvalidParameterException",
        validation_message(null_violation("deviceKey"), pattern_violation("userPoolId", "x y", POOL_ID_PATTERN)),
        id="two-violations",
    ),
    pytest.param(
        dict(UserPoolId=UNKNOWN_POOL, DeviceKey=TOO_LONG_KEY),
        "InvalidParameterException",
        validation_message(
            f"Value '{TOO_LONG_KEY}' at 'deviceKey' failed to satisfy constraint: "
            "Member must have length less than or equal to 55",
            null_violation("username"),
        ),
        id="validation-before-pool-lookup",
    ),
    pytest.param(
        dict(),
        "InvalidParameterException",
        validation_message(null_violation("deviceKey"), null_violation("userPoolId"), null_violation("username")),
        id="three-missing-members",
    ),
]


@pytest.mark.parametrize("params, code, message", FORGET_ERRORS)
def test_forget_device_errors(shared_client, params, code, message):
    expect_error(shared_client, code, message, "admin_forget_device", **params)
    # No error may have cost alice a device.
    assert sorted(device_keys(shared_client, POOL_A, "alice")) == sorted([ALICE_PHONE, ALICE_LAPTOP])


def test_forget_device_of_another_user_in_the_same_pool_leaves_it_alone(shared_client):
    expect_error(shared_client, "ResourceNotFoundException", DEVICE_GONE, "admin_forget_device",
                 UserPoolId=POOL_A, Username="alice", DeviceKey=BOB_TABLET)
    expect_error(shared_client, "ResourceNotFoundException", DEVICE_GONE, "admin_get_device",
                 UserPoolId=POOL_A, Username="alice", DeviceKey=BOB_TABLET)
    expect_error(shared_client, "ResourceNotFoundException", DEVICE_GONE, "admin_update_device_status",
                 UserPoolId=POOL_A, Username="alice", DeviceKey=BOB_TABLET, DeviceRememberedStatus="not_remembered")
    # A device of the user with the same name in another pool is not reachable through this pool either.
    expect_error(shared_client, "ResourceNotFoundException", DEVICE_GONE, "admin_forget_device",
                 UserPoolId=POOL_B, Username="alice", DeviceKey=ALICE_PHONE)

    device = get_device(shared_client, POOL_A, "bob", BOB_TABLET)
    assert attrs(device["DeviceAttributes"])["dev:device_remembered_status"] == "remembered"
    assert BOB_TABLET in device_keys(shared_client, POOL_A, "bob")
    assert device_keys(shared_client, POOL_B, "alice") == [OTHER_ALICE_PHONE]


@pytest.mark.parametrize("operation", ["admin_get_device", "admin_list_devices"])
def test_reading_devices_of_unknown_pool_or_user(shared_client, operation):
    params = {"DeviceKey": ALICE_PHONE} if operation == "admin_get_device" else {}
    expect_error(shared_client, "ResourceNotFoundException", pool_gone(UNKNOWN_POOL), operation,
                 UserPoolId=UNKNOWN_POOL, Username="alice", **params)
    expect_error(shared_client, "UserNotFoundException", USER_GONE, operation,
                 UserPoolId=POOL_A, Username="nobody", **params)


# --- looking users up by alias and by sub -------------------------------------------------------


def test_alias_email_reaches_the_devices_of_its_user(client):
    assert sorted(device_keys(client, POOL_A, ALICE_EMAIL)) == sorted([ALICE_PHONE, ALICE_LAPTOP])
    device = get_device(client, POOL_A, ALICE_EMAIL, ALICE_PHONE)
    # The owner is the user's real name, whatever name found it.
    assert attrs(device["DeviceAttributes"])["dev:device_owner"] == f"alice.{POOL_A}"

    client.admin_update_device_status(
        UserPoolId=POOL_A, Username=ALICE_EMAIL, DeviceKey=ALICE_LAPTOP, DeviceRememberedStatus="not_remembered"
    )
    device = get_device(client, POOL_A, "alice", ALICE_LAPTOP)
    assert attrs(device["DeviceAttributes"])["dev:device_remembered_status"] == "not_remembered"

    client.admin_forget_device(UserPoolId=POOL_A, Username=ALICE_EMAIL, DeviceKey=ALICE_PHONE)
    expect_error(client, "ResourceNotFoundException", DEVICE_GONE, "admin_get_device",
                 UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE)
    # Bob's device stays out of reach through alice's alias.
    expect_error(client, "ResourceNotFoundException", DEVICE_GONE, "admin_forget_device",
                 UserPoolId=POOL_A, Username=ALICE_EMAIL, DeviceKey=BOB_TABLET)


def test_email_username_pool_finds_users_by_email_and_by_sub(launcher):
    client = make_client(launcher.start(seed=EMAIL_USERNAME_SEED).url)
    user = client.admin_get_user(UserPoolId=POOL_MAIL, Username=FRANK_EMAIL)
    values = attrs(user["UserAttributes"])
    sub = values["sub"]
    assert UUID4_RE.fullmatch(sub)
    assert user["Username"] == sub  # with UsernameAttributes, the stored username is the sub
    assert values["email"] == FRANK_EMAIL

    assert sorted(device_keys(client, POOL_MAIL, sub)) == sorted([FRANK_PHONE, FRANK_LAPTOP])
    device = get_device(client, POOL_MAIL, FRANK_EMAIL, FRANK_PHONE)
    assert attrs(device["DeviceAttributes"])["dev:device_owner"] == f"{sub}.{POOL_MAIL}"

    client.admin_forget_device(UserPoolId=POOL_MAIL, Username=sub, DeviceKey=FRANK_PHONE)
    client.admin_forget_device(UserPoolId=POOL_MAIL, Username=FRANK_EMAIL, DeviceKey=FRANK_LAPTOP)
    assert device_keys(client, POOL_MAIL, FRANK_EMAIL) == []
    expect_error(client, "ResourceNotFoundException", DEVICE_GONE, "admin_forget_device",
                 UserPoolId=POOL_MAIL, Username=sub, DeviceKey=FRANK_PHONE)


# --- paging -------------------------------------------------------------------------------------


def test_list_devices_pages_five_devices_two_at_a_time(shared_client):
    pages = all_device_pages(shared_client, POOL_A, "pager", limit=2)
    assert [len(p) for p in pages] == [2, 2, 1]
    flat = [key for page in pages for key in page]
    assert sorted(flat) == sorted(PAGER_DEVICES)  # each device exactly once
    # The order is stable: the same walk gives the same pages, and one big page the same sequence.
    assert all_device_pages(shared_client, POOL_A, "pager", limit=2) == pages
    assert device_keys(shared_client, POOL_A, "pager") == flat
    assert all_device_pages(shared_client, POOL_A, "pager", limit=5) == [flat]
    assert [k for p in all_device_pages(shared_client, POOL_A, "pager", limit=3) for k in p] == flat


def test_paging_survives_a_forget_between_pages(client):
    order = device_keys(client, POOL_A, "pager")
    first = client.admin_list_devices(UserPoolId=POOL_A, Username="pager", Limit=2)
    assert [d["DeviceKey"] for d in first["Devices"]] == order[:2]
    # Forget one device already seen and one not yet seen, then go on with the token.
    client.admin_forget_device(UserPoolId=POOL_A, Username="pager", DeviceKey=order[0])
    client.admin_forget_device(UserPoolId=POOL_A, Username="pager", DeviceKey=order[3])
    rest, token = [], first["PaginationToken"]
    while token:
        page = client.admin_list_devices(UserPoolId=POOL_A, Username="pager", Limit=2, PaginationToken=token)
        rest += [d["DeviceKey"] for d in page["Devices"]]
        token = page.get("PaginationToken")
    assert rest == [order[2], order[4]]


@pytest.mark.parametrize(
    "limit, constraint",
    [
        (61, "Member must have value less than or equal to 60"),
        (-1, "Member must have value greater than or equal to 0"),
    ],
)
def test_list_devices_limit_bounds(shared_client, limit, constraint):
    expect_error(
        shared_client, "InvalidParameterException",
        validation_message(f"Value '{limit}' at 'limit' failed to satisfy constraint: {constraint}"),
        "admin_list_devices", UserPoolId=POOL_A, Username="pager", Limit=limit,
    )


def test_list_devices_accepts_the_largest_limit(shared_client):
    response = shared_client.admin_list_devices(UserPoolId=POOL_A, Username="pager", Limit=60)
    assert sorted(d["DeviceKey"] for d in response["Devices"]) == sorted(PAGER_DEVICES)
    assert "PaginationToken" not in response


# --- deleting the owner -------------------------------------------------------------------------


def test_deleting_a_user_deletes_its_devices(client):
    client.admin_delete_user(UserPoolId=POOL_A, Username="bob")
    expect_error(client, "UserNotFoundException", USER_GONE, "admin_forget_device",
                 UserPoolId=POOL_A, Username="bob", DeviceKey=BOB_TABLET)
    # A new user with the same name does not inherit the old devices.
    client.admin_create_user(UserPoolId=POOL_A, Username="bob", MessageAction="SUPPRESS")
    assert device_keys(client, POOL_A, "bob") == []
    expect_error(client, "ResourceNotFoundException", DEVICE_GONE, "admin_get_device",
                 UserPoolId=POOL_A, Username="bob", DeviceKey=BOB_TABLET)


# --- concurrency --------------------------------------------------------------------------------


def test_concurrent_forgets_of_one_device_succeed_exactly_once(server):
    callers = 32
    clients = [make_client(server.url) for _ in range(callers)]
    barrier = threading.Barrier(callers)
    outcomes = [None] * callers

    def forget(index):
        barrier.wait(timeout=30)
        try:
            clients[index].admin_forget_device(UserPoolId=POOL_A, Username="racer", DeviceKey=RACER_PHONE)
            outcomes[index] = ("ok", 200)
        except clients[index].exceptions.ClientError as error:
            outcomes[index] = (error.response["Error"]["Code"], error.response["Error"]["Message"])
        except Exception as error:  # a transport failure is an outcome too
            outcomes[index] = (type(error).__name__, str(error))

    threads = [threading.Thread(target=forget, args=(i,)) for i in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "some AdminForgetDevice calls never returned"

    assert outcomes.count(("ok", 200)) == 1, outcomes
    assert outcomes.count(("ResourceNotFoundException", DEVICE_GONE)) == callers - 1, outcomes
    assert device_keys(clients[0], POOL_A, "racer") == []
