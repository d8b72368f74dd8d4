"""The remembered-device lifecycle as an app drives it: a pool with device tracking, a sign-in that
returns NewDeviceMetadata, ConfirmDevice with a verifier computed as amazon-cognito-identity-js
computes it, the user's and the admin's device calls, and forgetting, after which the device's
refresh token is refused. Every device error, and isolation across users and pools."""

import base64
import importlib.util
import json
import re
import sqlite3
import subprocess
import sys
import time
from datetime import datetime

import pytest

from cognitod_e2e import (
    ACCOUNT_ID,
    DEVICE_KEY_PATTERN,
    REGION,
    REPO_ROOT,
    attrs,
    expect_error,
    make_client,
    null_violation,
    pattern_violation,
    raw_request,
    validation_message,
)
from sign_in_e2e import (
    BAD_DEVICE_KEY,
    DEVICE_GONE,
    DEVICE_GROUP_KEY_RE,
    DEVICE_KEY_RE,
    INVALID_ACCESS,
    INVALID_REFRESH,
    PASSWORD,
    REVOKED_ACCESS,
    TRACKING_ALWAYS,
    TRACKING_OPT_IN,
    add_forwarded_for,
    admin_sign_in,
    claims_of,
    new_app_client,
    new_pool,
    new_user,
    refresh,
    user_sign_in,
    verify,
)
from srp_verifier import KNOWN_VECTOR, device_srp_sign_in, new_device_secret, verifier_config

EXAMPLE = REPO_ROOT / "docs" / "examples" / "device_lifecycle.py"
USER_VIEW = ["device_status", "device_name", "last_ip_used"]  # what GetDevice/ListDevices show
UNKNOWN_KEY = f"{REGION}_00000000-0000-4000-8000-0000000000ff"


@pytest.fixture(scope="module")
def device_server(module_launcher):
    """One server without a seed; every test makes its own pools."""
    return module_launcher.start()


@pytest.fixture(scope="module")
def idp(device_server):
    return make_client(device_server.url)


def tracked_app(idp, tracking=TRACKING_ALWAYS, users=("alice",), pool_name="devices"):
    pool = new_pool(idp, pool_name, DeviceConfiguration=tracking)
    client_id = new_app_client(idp, pool)["ClientId"]
    for username in users:
        new_user(idp, pool, username)
    return {"pool": pool, "client_id": client_id}


def new_device(idp, app, username="alice", admin=False):
    """A password sign-in without DEVICE_KEY; returns AuthenticationResult (with NewDeviceMetadata)."""
    if admin:
        response = admin_sign_in(idp, app["pool"], app["client_id"], username)
    else:
        response = user_sign_in(idp, app["client_id"], username)
    result = response["AuthenticationResult"]
    assert "NewDeviceMetadata" in result, result
    return result


def confirm_keeping_password(idp, result, name="Pixel 9"):
    """ConfirmDevice as the SDKs call it right after the sign-in; returns (response, config, the
    device password the SDK keeps for the device's sign-ins)."""
    meta = result["NewDeviceMetadata"]
    password, config = new_device_secret(meta["DeviceKey"], meta["DeviceGroupKey"])
    response = idp.confirm_device(AccessToken=result["AccessToken"], DeviceKey=meta["DeviceKey"],
                                  DeviceSecretVerifierConfig=config, DeviceName=name)
    return response, config, password


def confirm(idp, result, name="Pixel 9"):
    """confirm_keeping_password without the password; returns (response, config)."""
    response, config, _ = confirm_keeping_password(idp, result, name)
    return response, config


def expect_device_challenge(response):
    """A sign-in that presented a remembered device: DEVICE_SRP_AUTH, no tokens."""
    assert response["ChallengeName"] == "DEVICE_SRP_AUTH", response
    assert response["ChallengeParameters"] == {}
    assert response["Session"]
    assert "AuthenticationResult" not in response
    return response


def device_sign_in(client, app, result, device_password, username="alice", admin=False, first=None):
    """A password sign-in presenting the device of result (from new_device), completed through
    DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER; returns AuthenticationResult. first: the
    DEVICE_SRP_AUTH response when the sign-in was already made."""
    meta = result["NewDeviceMetadata"]
    if first is None:
        if admin:
            first = admin_sign_in(client, app["pool"], app["client_id"], username, DEVICE_KEY=meta["DeviceKey"])
        else:
            first = user_sign_in(client, app["client_id"], username, DEVICE_KEY=meta["DeviceKey"])
    expect_device_challenge(first)
    final = device_srp_sign_in(client, app["client_id"], username, meta["DeviceKey"], meta["DeviceGroupKey"],
                               device_password, first, admin_pool=app["pool"] if admin else None)
    tokens = final["AuthenticationResult"]
    assert "NewDeviceMetadata" not in tokens
    assert claims_of(tokens["AccessToken"])["device_key"] == meta["DeviceKey"]
    return tokens


def key_of(result):
    return result["NewDeviceMetadata"]["DeviceKey"]


def user_keys(idp, token, **params):
    return [d["DeviceKey"] for d in idp.list_devices(AccessToken=token, **params)["Devices"]]


def admin_keys(idp, app, username="alice"):
    return [d["DeviceKey"] for d in idp.admin_list_devices(UserPoolId=app["pool"], Username=username)["Devices"]]


def admin_device(idp, app, key, username="alice"):
    return idp.admin_get_device(UserPoolId=app["pool"], Username=username, DeviceKey=key)["Device"]


def remembered_status(idp, app, key, username="alice"):
    return attrs(admin_device(idp, app, key, username)["DeviceAttributes"])["dev:device_remembered_status"]


def refresh_with(idp, app, result, device_key):
    return refresh(idp, app["client_id"], result["RefreshToken"], DEVICE_KEY=device_key)["AuthenticationResult"]


def refresh_refused(idp, app, result, **params):
    expect_error(idp, "NotAuthorizedException", INVALID_REFRESH, "initiate_auth", ClientId=app["client_id"],
                 AuthFlow="REFRESH_TOKEN_AUTH",
                 AuthParameters={"REFRESH_TOKEN": result["RefreshToken"], **params})


def device_gone(idp, operation, **params):
    expect_error(idp, "ResourceNotFoundException", DEVICE_GONE, operation, **params)


# --- the verifier --------------------------------------------------------------------------------


def test_verifier_helper_reproduces_a_published_vector():
    v = KNOWN_VECTOR
    config = verifier_config(v["device_key"], v["group_key"], v["random_password"], v["salt_number"])
    assert config == {"PasswordVerifier": v["PasswordVerifier"], "Salt": v["Salt"]}
    # The padded salt starts 0x00 because 0xeb has its high bit set.
    assert base64.b64decode(config["Salt"]) == b"\x00\xeb\x96"


# --- the lifecycle -------------------------------------------------------------------------------


def test_device_lifecycle_as_an_app_drives_it(idp, device_server):
    url = device_server.url
    pool = idp.create_user_pool(PoolName="lifecycle", DeviceConfiguration=TRACKING_ALWAYS)["UserPool"]
    assert pool["DeviceConfiguration"] == TRACKING_ALWAYS
    app = {"pool": pool["Id"], "client_id": new_app_client(idp, pool["Id"])["ClientId"]}
    sub = new_user(idp, app["pool"], "alice")

    # 1. Sign-in without a DEVICE_KEY: a new device.
    signed_in = admin_sign_in(idp, app["pool"], app["client_id"], "alice")["AuthenticationResult"]
    meta = signed_in["NewDeviceMetadata"]
    assert set(meta) == {"DeviceKey", "DeviceGroupKey"}
    assert DEVICE_KEY_RE.fullmatch(meta["DeviceKey"]), meta
    assert DEVICE_GROUP_KEY_RE.fullmatch(meta["DeviceGroupKey"]), meta
    key = meta["DeviceKey"]
    access = verify(url, app["pool"], app["client_id"], signed_in["AccessToken"], "access")
    assert access["device_key"] == key
    assert "device_key" not in verify(url, app["pool"], app["client_id"], signed_in["IdToken"], "id")

    # Not confirmed yet: listed nowhere, but the key exists (docs/fidelity.md).
    assert user_keys(idp, signed_in["AccessToken"]) == []
    assert admin_keys(idp, app) == []
    assert remembered_status(idp, app, key) == "not_remembered"
    # An unconfirmed device has no secret to prove: a sign-in presenting it gets tokens at once.
    unconfirmed = user_sign_in(idp, app["client_id"], "alice", DEVICE_KEY=key)["AuthenticationResult"]
    assert "NewDeviceMetadata" not in unconfirmed
    assert claims_of(unconfirmed["AccessToken"])["device_key"] == key

    # 2. ConfirmDevice with the SRP verifier.
    confirmed, _, device_password = confirm_keeping_password(idp, signed_in, name="Alice's Pixel")
    assert confirmed["UserConfirmationNecessary"] is False
    assert set(confirmed) == {"UserConfirmationNecessary", "ResponseMetadata"}

    # 3. The user's view: remembered at once; device_status, device_name, last_ip_used only.
    listed = idp.list_devices(AccessToken=signed_in["AccessToken"])
    assert "PaginationToken" not in listed
    [device] = listed["Devices"]
    assert device["DeviceKey"] == key
    assert [a["Name"] for a in device["DeviceAttributes"]] == USER_VIEW
    assert attrs(device["DeviceAttributes"]) == {
        "device_status": "valid", "device_name": "Alice's Pixel", "last_ip_used": "127.0.0.1"}
    for stamp in ("DeviceCreateDate", "DeviceLastModifiedDate", "DeviceLastAuthenticatedDate"):
        assert isinstance(device[stamp], datetime), stamp
    assert device["DeviceLastAuthenticatedDate"].microsecond == 0  # whole seconds
    assert idp.get_device(AccessToken=signed_in["AccessToken"], DeviceKey=key)["Device"] == device

    # 4. The admin's view adds the dev:* attributes.
    [admin_view] = idp.admin_list_devices(UserPoolId=app["pool"], Username="alice")["Devices"]
    assert attrs(admin_view["DeviceAttributes"]) == {
        "device_status": "valid",
        "device_name": "Alice's Pixel",
        "dev:device_arn": f"arn:aws:cognito-idp:{REGION}:{ACCOUNT_ID}:owner/alice.{app['pool']}/device/{key}",
        "dev:device_owner": f"alice.{app['pool']}",
        "last_ip_used": "127.0.0.1",
        "dev:device_remembered_status": "remembered",
        "dev:device_sdk": "aws-sdk",
    }
    # Admin lookups by sub reach the same device.
    assert [d["DeviceKey"] for d in idp.admin_list_devices(UserPoolId=app["pool"], Username=sub)["Devices"]] == [key]

    # 5. Refresh needs the device's key, and gives no new device.
    refreshed = refresh_with(idp, app, signed_in, key)
    assert "NewDeviceMetadata" not in refreshed and "RefreshToken" not in refreshed
    assert verify(url, app["pool"], app["client_id"], refreshed["AccessToken"], "access")["device_key"] == key
    refresh_refused(idp, app, signed_in)

    # 6. The next sign-in presents the device: the device proves its password (DEVICE_SRP_AUTH,
    #    DEVICE_PASSWORD_VERIFIER), then tokens with the same key and no new device.
    again = device_sign_in(idp, app, signed_in, device_password)
    assert verify(url, app["pool"], app["client_id"], again["AccessToken"], "access")["device_key"] == key
    assert {"AccessToken", "IdToken", "RefreshToken"} <= set(again)
    assert admin_keys(idp, app) == [key]
    # Its refresh token is bound to the device too.
    assert claims_of(refresh_with(idp, app, again, key)["AccessToken"])["device_key"] == key

    # 7. UpdateDeviceStatus: not_remembered hides it from the lists, remembered brings it back.
    response = idp.update_device_status(AccessToken=again["AccessToken"], DeviceKey=key,
                                        DeviceRememberedStatus="not_remembered")
    assert set(response) == {"ResponseMetadata"}
    assert user_keys(idp, again["AccessToken"]) == []
    assert admin_keys(idp, app) == []
    assert remembered_status(idp, app, key) == "not_remembered"
    # A device that is not remembered is not challenged: tokens at once, still for that device.
    direct = user_sign_in(idp, app["client_id"], "alice", DEVICE_KEY=key)["AuthenticationResult"]
    assert "NewDeviceMetadata" not in direct
    assert claims_of(direct["AccessToken"])["device_key"] == key
    idp.update_device_status(AccessToken=again["AccessToken"], DeviceKey=key, DeviceRememberedStatus="remembered")
    assert user_keys(idp, again["AccessToken"]) == [key]
    expect_device_challenge(user_sign_in(idp, app["client_id"], "alice", DEVICE_KEY=key))

    # 8. ForgetDevice: gone everywhere, and its refresh tokens with it.
    response = idp.forget_device(AccessToken=again["AccessToken"], DeviceKey=key)
    assert set(response) == {"ResponseMetadata"}
    assert user_keys(idp, again["AccessToken"]) == []
    device_gone(idp, "get_device", AccessToken=again["AccessToken"], DeviceKey=key)
    device_gone(idp, "admin_get_device", UserPoolId=app["pool"], Username="alice", DeviceKey=key)
    device_gone(idp, "forget_device", AccessToken=again["AccessToken"], DeviceKey=key)
    for tokens in (signed_in, again):
        refresh_refused(idp, app, tokens, DEVICE_KEY=key)
    # The forgotten key can no longer sign in; SDKs then sign in without it and get a new device.
    expect_error(idp, "ResourceNotFoundException", DEVICE_GONE, "initiate_auth", ClientId=app["client_id"],
                 AuthFlow="USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD, "DEVICE_KEY": key})
    fresh = new_device(idp, app)
    assert key_of(fresh) != key


def test_opt_in_pool_waits_for_the_user_to_remember(idp):
    app = tracked_app(idp, TRACKING_OPT_IN)
    signed_in = new_device(idp, app)
    key = key_of(signed_in)
    response, _ = confirm(idp, signed_in)
    assert response["UserConfirmationNecessary"] is True
    assert user_keys(idp, signed_in["AccessToken"]) == []
    assert remembered_status(idp, app, key) == "not_remembered"
    # The device exists and its refresh token works while it is not remembered.
    assert idp.get_device(AccessToken=signed_in["AccessToken"], DeviceKey=key)["Device"]["DeviceKey"] == key
    refresh_with(idp, app, signed_in, key)

    idp.update_device_status(AccessToken=signed_in["AccessToken"], DeviceKey=key,
                             DeviceRememberedStatus="remembered")
    assert user_keys(idp, signed_in["AccessToken"]) == [key]
    assert remembered_status(idp, app, key) == "remembered"
    # Confirming again succeeds and does not reset what the user chose (docs/fidelity.md).
    response, _ = confirm(idp, signed_in, name="renamed")
    assert response["UserConfirmationNecessary"] is True
    assert remembered_status(idp, app, key) == "remembered"
    assert attrs(admin_device(idp, app, key)["DeviceAttributes"])["device_name"] == "renamed"


def test_admin_forget_device_ends_that_devices_refresh_tokens_only(idp):
    app = tracked_app(idp)
    phone = new_device(idp, app)
    laptop = new_device(idp, app, admin=True)
    for result, name in ((phone, "phone"), (laptop, "laptop")):
        confirm(idp, result, name=name)
    assert sorted(admin_keys(idp, app)) == sorted([key_of(phone), key_of(laptop)])

    response = idp.admin_forget_device(UserPoolId=app["pool"], Username="alice", DeviceKey=key_of(phone))
    assert set(response) == {"ResponseMetadata"}
    refresh_refused(idp, app, phone, DEVICE_KEY=key_of(phone))
    device_gone(idp, "get_device", AccessToken=laptop["AccessToken"], DeviceKey=key_of(phone))
    assert admin_keys(idp, app) == [key_of(laptop)]
    # The other device keeps working.
    refresh_with(idp, app, laptop, key_of(laptop))
    assert user_keys(idp, laptop["AccessToken"]) == [key_of(laptop)]


def test_refresh_needs_the_device_the_token_was_issued_to(idp, device_server):
    app = tracked_app(idp, users=("alice", "bob"))
    phone = new_device(idp, app)
    laptop = new_device(idp, app)
    bobs = new_device(idp, app, "bob")
    for result in (phone, laptop, bobs):
        confirm(idp, result)
    refresh_refused(idp, app, phone)
    refresh_refused(idp, app, phone, DEVICE_KEY=key_of(laptop))
    refresh_refused(idp, app, phone, DEVICE_KEY=key_of(bobs))
    refresh_refused(idp, app, phone, DEVICE_KEY=UNKNOWN_KEY)
    assert "AccessToken" in refresh_with(idp, app, phone, key_of(phone))
    admin = idp.admin_initiate_auth(UserPoolId=app["pool"], ClientId=app["client_id"], AuthFlow="REFRESH_TOKEN_AUTH",
                                    AuthParameters={"REFRESH_TOKEN": phone["RefreshToken"],
                                                    "DEVICE_KEY": key_of(phone)})
    assert claims_of(admin["AuthenticationResult"]["AccessToken"])["device_key"] == key_of(phone)

    # GetTokensFromRefreshToken (Amplify v6's refresh) takes the key as DeviceKey.
    def get_tokens(**extra):
        status, _, data = raw_request(device_server.url, "GetTokensFromRefreshToken",
                                      {"ClientId": app["client_id"], "RefreshToken": phone["RefreshToken"], **extra})
        return status, json.loads(data)

    status, body = get_tokens(DeviceKey=key_of(phone))
    assert status == 200, body
    assert claims_of(body["AuthenticationResult"]["AccessToken"])["device_key"] == key_of(phone)
    for extra in ({}, {"DeviceKey": key_of(laptop)}):
        status, body = get_tokens(**extra)
        assert (status, body["__type"], body["message"]) == (400, "NotAuthorizedException", INVALID_REFRESH)


def test_every_sign_in_without_a_key_makes_a_new_device(idp):
    app = tracked_app(idp)
    keys = {key_of(new_device(idp, app)), key_of(new_device(idp, app, admin=True))}
    admin_flow = admin_sign_in(idp, app["pool"], app["client_id"], "alice", flow="ADMIN_NO_SRP_AUTH")
    keys.add(key_of(admin_flow["AuthenticationResult"]))
    assert len(keys) == 3
    for key in keys:
        assert remembered_status(idp, app, key) == "not_remembered"

    # The answer to NEW_PASSWORD_REQUIRED carries NewDeviceMetadata too.
    new_user(idp, app["pool"], "newbie", permanent=False)
    challenge = user_sign_in(idp, app["client_id"], "newbie", password="Temp-Passw0rd!")
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    answered = idp.respond_to_auth_challenge(
        ClientId=app["client_id"], ChallengeName="NEW_PASSWORD_REQUIRED", Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "newbie", "NEW_PASSWORD": "N3w-Passw0rd!"})["AuthenticationResult"]
    response, _ = confirm(idp, answered)
    assert response["UserConfirmationNecessary"] is False
    assert admin_keys(idp, app, "newbie") == [key_of(answered)]


def test_pool_without_device_tracking_issues_no_devices(idp):
    pool = new_pool(idp, "untracked")
    app = {"pool": pool, "client_id": new_app_client(idp, pool)["ClientId"]}
    new_user(idp, pool, "alice")
    result = user_sign_in(idp, app["client_id"], "alice")["AuthenticationResult"]
    assert "NewDeviceMetadata" not in result
    assert "device_key" not in claims_of(result["AccessToken"])
    # A DEVICE_KEY is ignored where devices play no part (docs/fidelity.md).
    ignored = user_sign_in(idp, app["client_id"], "alice", DEVICE_KEY=UNKNOWN_KEY)["AuthenticationResult"]
    assert "device_key" not in claims_of(ignored["AccessToken"])
    assert "AccessToken" in refresh(idp, app["client_id"], result["RefreshToken"])["AuthenticationResult"]
    _, config = new_device_secret(UNKNOWN_KEY, "-abcdefghi")
    expect_error(idp, "InvalidParameterException", BAD_DEVICE_KEY, "confirm_device",
                 AccessToken=result["AccessToken"], DeviceKey=UNKNOWN_KEY, DeviceSecretVerifierConfig=config)
    assert idp.list_devices(AccessToken=result["AccessToken"])["Devices"] == []


# --- sign-in presenting a device -----------------------------------------------------------------


def test_sign_in_with_a_device_moves_its_last_authentication_and_ip(idp, device_server):
    app = tracked_app(idp)
    first = new_device(idp, app)
    key = key_of(first)
    _, _, device_password = confirm_keeping_password(idp, first)
    before = admin_device(idp, app, key)
    assert attrs(before["DeviceAttributes"])["last_ip_used"] == "127.0.0.1"

    time.sleep(1.1)  # DeviceLastAuthenticatedDate has whole seconds
    proxied = add_forwarded_for(make_client(device_server.url), "203.0.113.9, 10.0.0.1")
    result = device_sign_in(proxied, app, first, device_password)
    after = admin_device(idp, app, key)
    assert attrs(after["DeviceAttributes"])["last_ip_used"] == "203.0.113.9"
    assert after["DeviceLastAuthenticatedDate"] > before["DeviceLastAuthenticatedDate"]
    assert after["DeviceLastAuthenticatedDate"].microsecond == 0
    assert after["DeviceLastModifiedDate"] > before["DeviceLastModifiedDate"]
    assert after["DeviceCreateDate"] == before["DeviceCreateDate"]
    # The user's view shows the same address.
    viewed = idp.get_device(AccessToken=result["AccessToken"], DeviceKey=key)["Device"]
    assert attrs(viewed["DeviceAttributes"])["last_ip_used"] == "203.0.113.9"

    # A raw request through another proxy, with the admin flow, answered through the same proxy.
    forwarded = " 198.51.100.23 ,203.0.113.9"
    status, _, data = raw_request(device_server.url, "AdminInitiateAuth", {
        "UserPoolId": app["pool"], "ClientId": app["client_id"], "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": "alice", "PASSWORD": PASSWORD, "DEVICE_KEY": key}},
        headers={"X-Forwarded-For": forwarded})
    assert status == 200, data
    device_sign_in(add_forwarded_for(make_client(device_server.url), forwarded), app, first, device_password,
                   admin=True, first=json.loads(data))
    assert attrs(admin_device(idp, app, key)["DeviceAttributes"])["last_ip_used"] == "198.51.100.23"
    # A new device records the address of the sign-in that made it.
    made = new_device(proxied, app)
    assert attrs(admin_device(idp, app, key_of(made))["DeviceAttributes"])["last_ip_used"] == "203.0.113.9"


def test_device_password_verifier_refuses_a_wrong_device_password(idp):
    app = tracked_app(idp)
    first = new_device(idp, app)
    key = key_of(first)
    _, _, device_password = confirm_keeping_password(idp, first)
    before = admin_device(idp, app, key)
    meta = first["NewDeviceMetadata"]
    for admin in (False, True):
        if admin:
            challenge = admin_sign_in(idp, app["pool"], app["client_id"], "alice", DEVICE_KEY=key)
        else:
            challenge = user_sign_in(idp, app["client_id"], "alice", DEVICE_KEY=key)
        expect_device_challenge(challenge)
        with pytest.raises(idp.exceptions.NotAuthorizedException) as info:
            device_srp_sign_in(idp, app["client_id"], "alice", key, meta["DeviceGroupKey"],
                               device_password + "x", challenge, admin_pool=app["pool"] if admin else None)
        error = info.value.response
        assert error["Error"]["Message"] == "Incorrect username or password."
        assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    # The refused proofs did not count as authentications; the right password still works.
    assert admin_device(idp, app, key)["DeviceLastAuthenticatedDate"] == before["DeviceLastAuthenticatedDate"]
    device_sign_in(idp, app, first, device_password)


def test_sign_in_with_someone_elses_or_an_unknown_device_key(idp):
    app = tracked_app(idp, users=("alice", "bob"))
    bobs = new_device(idp, app, "bob")
    confirm(idp, bobs)
    for key in (key_of(bobs), UNKNOWN_KEY):
        expect_error(idp, "ResourceNotFoundException", DEVICE_GONE, "initiate_auth", ClientId=app["client_id"],
                     AuthFlow="USER_PASSWORD_AUTH",
                     AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD, "DEVICE_KEY": key})
        expect_error(idp, "ResourceNotFoundException", DEVICE_GONE, "admin_initiate_auth", UserPoolId=app["pool"],
                     ClientId=app["client_id"], AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                     AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD, "DEVICE_KEY": key})
    # Bob's device did not move to alice, and alice got no device from the refused calls.
    assert admin_keys(idp, app, "bob") == [key_of(bobs)]
    assert idp.admin_list_devices(UserPoolId=app["pool"], Username="alice")["Devices"] == []


# --- ConfirmDevice errors ------------------------------------------------------------------------


def test_confirm_device_accepts_only_this_sign_ins_device(idp):
    app = tracked_app(idp, users=("alice", "bob"))
    other_pool = tracked_app(idp, pool_name="elsewhere")
    first = new_device(idp, app)
    second = new_device(idp, app)
    bobs = new_device(idp, app, "bob")
    elsewhere = new_device(idp, other_pool)
    _, config = new_device_secret(key_of(first), first["NewDeviceMetadata"]["DeviceGroupKey"])
    for key in (UNKNOWN_KEY, key_of(second), key_of(bobs), key_of(elsewhere)):
        expect_error(idp, "InvalidParameterException", BAD_DEVICE_KEY, "confirm_device",
                     AccessToken=first["AccessToken"], DeviceKey=key, DeviceSecretVerifierConfig=config)
    # Nothing got confirmed by those calls.
    assert admin_keys(idp, app) == [] and admin_keys(idp, app, "bob") == []
    assert remembered_status(idp, app, key_of(second)) == "not_remembered"

    for bad_config in ({"PasswordVerifier": "not base64!", "Salt": config["Salt"]},
                       {"PasswordVerifier": config["PasswordVerifier"], "Salt": ""},
                       {}):
        expect_error(idp, "InvalidParameterException", "Invalid device verifier config given.", "confirm_device",
                     AccessToken=first["AccessToken"], DeviceKey=key_of(first), DeviceSecretVerifierConfig=bad_config)
    expect_error(idp, "InvalidParameterException", validation_message(null_violation("deviceKey")),
                 "confirm_device", AccessToken=first["AccessToken"], DeviceSecretVerifierConfig=config)
    expect_error(idp, "InvalidParameterException",
                 validation_message(pattern_violation("deviceKey", "no key", DEVICE_KEY_PATTERN)),
                 "confirm_device", AccessToken=first["AccessToken"], DeviceKey="no key",
                 DeviceSecretVerifierConfig=config)
    assert admin_keys(idp, app) == []

    # Each token confirms its own device.
    assert idp.confirm_device(AccessToken=first["AccessToken"], DeviceKey=key_of(first),
                              DeviceSecretVerifierConfig=config)["UserConfirmationNecessary"] is False
    confirm(idp, second)
    assert sorted(admin_keys(idp, app)) == sorted([key_of(first), key_of(second)])
    # A device confirmed without DeviceName has no device_name attribute.
    assert "device_name" not in attrs(admin_device(idp, app, key_of(first))["DeviceAttributes"])


def test_confirm_device_stores_the_verifier_and_salt(launcher, tmp_path):
    db = tmp_path / "devices.db"
    server = launcher.start(db=db)
    idp = make_client(server.url)
    app = tracked_app(idp)
    result = new_device(idp, app)
    _, config = confirm(idp, result, name="stored")
    server.stop()
    connection = sqlite3.connect(db)
    try:
        row = connection.execute("SELECT verifier, salt, name, remembered, confirmed FROM devices "
                                 "WHERE device_key = ?", (key_of(result),)).fetchone()
    finally:
        connection.close()
    assert row is not None
    verifier, salt, name, remembered, confirmed = row
    assert bytes(verifier) == base64.b64decode(config["PasswordVerifier"])
    assert bytes(salt) == base64.b64decode(config["Salt"])
    assert (name, remembered, confirmed) == ("stored", 1, 1)


# --- tokens on the device calls ------------------------------------------------------------------


DEVICE_CALLS = {
    "confirm_device": lambda key: {"DeviceKey": key, "DeviceSecretVerifierConfig": {"PasswordVerifier": "AQ==",
                                                                                    "Salt": "AQ=="}},
    "get_device": lambda key: {"DeviceKey": key},
    "list_devices": lambda key: {},
    "update_device_status": lambda key: {"DeviceKey": key, "DeviceRememberedStatus": "not_remembered"},
    "forget_device": lambda key: {"DeviceKey": key},
}


@pytest.fixture(scope="module")
def refused_tokens(idp):
    """A confirmed device and tokens that every device call must refuse, with the message."""
    app = tracked_app(idp, users=("alice", "dora", "sam"))
    alice = new_device(idp, app)
    confirm(idp, alice)
    dora = new_device(idp, app, "dora")
    sam = new_device(idp, app, "sam")
    idp.global_sign_out(AccessToken=dora["AccessToken"])
    idp.admin_disable_user(UserPoolId=app["pool"], Username="sam")
    return app, key_of(alice), [
        ("garbage", "not-a-token", INVALID_ACCESS),
        ("jws-garbage", "eyJhbGciOiJub25lIn0.eyJ0b2tlbl91c2UiOiJhY2Nlc3MifQ.", INVALID_ACCESS),
        ("id-token", alice["IdToken"], INVALID_ACCESS),
        ("refresh-token", alice["RefreshToken"], INVALID_ACCESS),
        ("signed-out", dora["AccessToken"], REVOKED_ACCESS),
        ("disabled-user", sam["AccessToken"], REVOKED_ACCESS),
    ]


@pytest.mark.parametrize("operation", sorted(DEVICE_CALLS))
def test_device_calls_refuse_bad_tokens(idp, refused_tokens, operation):
    app, key, cases = refused_tokens
    for label, token, message in cases:
        response = expect_error(idp, "NotAuthorizedException", message, operation, AccessToken=token,
                                **DEVICE_CALLS[operation](key))
        assert response["Error"]["Message"] == message, label
    # Nothing happened to alice's device.
    assert admin_keys(idp, app) == [key]
    assert remembered_status(idp, app, key) == "remembered"


def test_revoked_sign_in_cannot_manage_devices(idp):
    app = tracked_app(idp)
    result = new_device(idp, app)
    confirm(idp, result)
    idp.revoke_token(Token=result["RefreshToken"], ClientId=app["client_id"])
    for operation in ("list_devices", "forget_device"):
        expect_error(idp, "NotAuthorizedException", REVOKED_ACCESS, operation, AccessToken=result["AccessToken"],
                     **DEVICE_CALLS[operation](key_of(result)))
    assert admin_keys(idp, app) == [key_of(result)]


# --- isolation -----------------------------------------------------------------------------------


def test_user_device_calls_reach_the_tokens_own_user_only(idp):
    app = tracked_app(idp, users=("alice", "bob"))
    alice = new_device(idp, app)
    bob = new_device(idp, app, "bob")
    confirm(idp, alice)
    confirm(idp, bob, name="bob-phone")
    token, bobs_key = alice["AccessToken"], key_of(bob)

    device_gone(idp, "get_device", AccessToken=token, DeviceKey=bobs_key)
    device_gone(idp, "update_device_status", AccessToken=token, DeviceKey=bobs_key,
                DeviceRememberedStatus="not_remembered")
    device_gone(idp, "forget_device", AccessToken=token, DeviceKey=bobs_key)
    assert user_keys(idp, token) == [key_of(alice)]
    # Bob's device is untouched, and so is his refresh token.
    assert remembered_status(idp, app, bobs_key, "bob") == "remembered"
    assert user_keys(idp, bob["AccessToken"]) == [bobs_key]
    refresh_with(idp, app, bob, bobs_key)


def test_forgetting_never_touches_another_pools_devices(idp):
    # The same username in two pools, each with a remembered device.
    first = tracked_app(idp, pool_name="first")
    second = tracked_app(idp, pool_name="second")
    one = new_device(idp, first)
    two = new_device(idp, second)
    confirm(idp, one)
    confirm(idp, two)

    # Admin calls name a pool: the other pool's key is not found there, and stays.
    device_gone(idp, "admin_forget_device", UserPoolId=second["pool"], Username="alice", DeviceKey=key_of(one))
    device_gone(idp, "admin_get_device", UserPoolId=second["pool"], Username="alice", DeviceKey=key_of(one))
    device_gone(idp, "admin_update_device_status", UserPoolId=second["pool"], Username="alice",
                DeviceKey=key_of(one), DeviceRememberedStatus="not_remembered")
    # User calls: one pool's token cannot reach the other pool's device.
    device_gone(idp, "forget_device", AccessToken=two["AccessToken"], DeviceKey=key_of(one))
    assert admin_keys(idp, first) == [key_of(one)]
    assert remembered_status(idp, first, key_of(one)) == "remembered"

    idp.forget_device(AccessToken=one["AccessToken"], DeviceKey=key_of(one))
    assert admin_keys(idp, first) == []
    refresh_refused(idp, first, one, DEVICE_KEY=key_of(one))
    # The second pool's alice keeps her device and her refresh token.
    assert admin_keys(idp, second) == [key_of(two)]
    assert user_keys(idp, two["AccessToken"]) == [key_of(two)]
    refresh_with(idp, second, two, key_of(two))


def test_a_refresh_token_is_no_key_to_another_pool(idp):
    first = tracked_app(idp, pool_name="first")
    second = tracked_app(idp, pool_name="second")
    one = new_device(idp, first)
    confirm(idp, one)
    expect_error(idp, "NotAuthorizedException", INVALID_REFRESH, "initiate_auth", ClientId=second["client_id"],
                 AuthFlow="REFRESH_TOKEN_AUTH",
                 AuthParameters={"REFRESH_TOKEN": one["RefreshToken"], "DEVICE_KEY": key_of(one)})


# --- ListDevices paging --------------------------------------------------------------------------


def test_list_devices_pages_through_remembered_devices(idp):
    app = tracked_app(idp, users=("alice", "bob"))
    results = [new_device(idp, app) for _ in range(5)]
    for i, result in enumerate(results):
        confirm(idp, result, name=f"device-{i}")
    unconfirmed = new_device(idp, app)
    token = unconfirmed["AccessToken"]
    all_keys = sorted(key_of(r) for r in results)

    pages, page_token = [], None
    while True:
        params = {"Limit": 2}
        if page_token:
            params["PaginationToken"] = page_token
        response = idp.list_devices(AccessToken=token, **params)
        pages.append([d["DeviceKey"] for d in response["Devices"]])
        page_token = response.get("PaginationToken")
        if not page_token:
            break
        assert len(pages) < 10, "ListDevices keeps returning a PaginationToken"
    assert [len(p) for p in pages] == [2, 2, 1]
    assert sorted(sum(pages, [])) == all_keys
    assert sorted(user_keys(idp, token)) == all_keys  # default page holds them all
    assert sorted(user_keys(idp, token, Limit=60)) == all_keys

    expect_error(idp, "InvalidParameterException",
                 validation_message("Value '61' at 'limit' failed to satisfy constraint: "
                                    "Member must have value less than or equal to 60"),
                 "list_devices", AccessToken=token, Limit=61)
    expect_error(idp, "InvalidParameterException",
                 re.compile(r"Paging marker garbage is invalid for request [0-9a-f-]{36}"),
                 "list_devices", AccessToken=token, PaginationToken="garbage")
    # A token from bob's list does not page alice's.
    for i in range(3):
        confirm(idp, new_device(idp, app, "bob"), name=f"bob-{i}")
    bob_token = new_device(idp, app, "bob")["AccessToken"]
    bobs_marker = idp.list_devices(AccessToken=bob_token, Limit=1)["PaginationToken"]
    expect_error(idp, "InvalidParameterException",
                 re.compile(r"Paging marker .+ is invalid for request [0-9a-f-]{36}"),
                 "list_devices", AccessToken=token, PaginationToken=bobs_marker)


# --- the aws CLI and the docs example ------------------------------------------------------------


def test_device_lifecycle_through_the_aws_cli(idp, device_server, aws_cli):
    cli = aws_cli(device_server.url)
    app = tracked_app(idp)
    out = cli.json("admin-initiate-auth", "--user-pool-id", app["pool"], "--client-id", app["client_id"],
                   "--auth-flow", "ADMIN_USER_PASSWORD_AUTH",
                   "--auth-parameters", f"USERNAME=alice,PASSWORD={PASSWORD}")
    result = out["AuthenticationResult"]
    meta = result["NewDeviceMetadata"]
    token = result["AccessToken"]
    _, config = new_device_secret(meta["DeviceKey"], meta["DeviceGroupKey"])

    confirmed = cli.json("confirm-device", "--access-token", token, "--device-key", meta["DeviceKey"],
                         "--device-secret-verifier-config",
                         f"PasswordVerifier={config['PasswordVerifier']},Salt={config['Salt']}",
                         "--device-name", "cli-laptop")
    assert confirmed == {"UserConfirmationNecessary": False}
    listed = cli.json("list-devices", "--access-token", token)
    assert [d["DeviceKey"] for d in listed["Devices"]] == [meta["DeviceKey"]]
    assert attrs(listed["Devices"][0]["DeviceAttributes"])["device_name"] == "cli-laptop"
    # aws CLI v2 prints the epoch-number timestamps as ISO 8601.
    assert datetime.fromisoformat(listed["Devices"][0]["DeviceCreateDate"]).year >= 2024

    status = cli.run("update-device-status", "--access-token", token, "--device-key", meta["DeviceKey"],
                     "--device-remembered-status", "not_remembered")
    assert status.returncode == 0, status.stderr
    assert cli.json("admin-list-devices", "--user-pool-id", app["pool"], "--username", "alice")["Devices"] == []

    forgotten = cli.run("forget-device", "--access-token", token, "--device-key", meta["DeviceKey"])
    assert forgotten.returncode == 0, forgotten.stderr
    assert forgotten.stdout.strip() == ""
    again = cli.run("get-device", "--access-token", token, "--device-key", meta["DeviceKey"])
    assert again.returncode in (254, 255)
    assert "ResourceNotFoundException" in again.stderr and DEVICE_GONE in again.stderr
    refused = cli.run("initiate-auth", "--client-id", app["client_id"], "--auth-flow", "REFRESH_TOKEN_AUTH",
                      "--auth-parameters", f"REFRESH_TOKEN={result['RefreshToken']},DEVICE_KEY={meta['DeviceKey']}")
    assert refused.returncode in (254, 255)
    assert "NotAuthorizedException" in refused.stderr and INVALID_REFRESH in refused.stderr


def test_docs_example_script_runs_against_a_server(device_server):
    assert EXAMPLE.is_file(), EXAMPLE
    result = subprocess.run(["/usr/bin/python3", str(EXAMPLE), "--endpoint", device_server.url],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "ConfirmDevice" in result.stdout
    assert "DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER" in result.stdout  # the remembered device's sign-in
    assert "Invalid Refresh Token" in result.stdout  # the last step shows the refused refresh


def test_docs_example_fails_when_the_server_is_unreachable(tmp_path):
    result = subprocess.run(["/usr/bin/python3", str(EXAMPLE), "--endpoint", "http://127.0.0.1:9"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0


def test_docs_example_computes_the_verifier_as_the_sdks_do():
    # Imported from its file without leaving a __pycache__ in docs/examples.
    spec = importlib.util.spec_from_file_location("device_lifecycle_example", EXAMPLE)
    device_lifecycle = importlib.util.module_from_spec(spec)
    writes_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        spec.loader.exec_module(device_lifecycle)
    finally:
        sys.dont_write_bytecode = writes_bytecode
    v = KNOWN_VECTOR
    assert device_lifecycle.device_verifier(v["device_key"], v["group_key"], v["random_password"],
                                            v["salt_number"]) == {"PasswordVerifier": v["PasswordVerifier"],
                                                                  "Salt": v["Salt"]}
