"""User pools and users through boto3: the operations a device needs around it."""

import re
from datetime import datetime

import pytest

from cognitod_e2e import (
    ACCOUNT_ID,
    ALICE_PHONE,
    OTHER_ALICE_PHONE,
    POOL_A,
    POOL_B,
    REGION,
    UNKNOWN_POOL,
    UUID4_RE,
    attrs,
    device_keys,
    expect_error,
    null_violation,
    validation_message,
)

POOL_ID_RE = re.compile(re.escape(REGION) + r"_[0-9a-zA-Z]{9}")
# AWS words this differently per operation (docs/fidelity.md); what follows the colon is the rule.
SET_PASSWORD_POLICY = "Password does not conform to policy: "
CREATE_USER_POLICY = "Password did not conform with password policy: "
USER_GONE = "User does not exist."
DEVICE_CONFIG = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False}


def pool_gone(pool_id):
    return f"User pool {pool_id} does not exist."


def new_pool(client, name="pool", **params):
    return client.create_user_pool(PoolName=name, **params)["UserPool"]["Id"]


def new_user(client, pool, username, email=None, temporary="Temp-Passw0rd!"):
    attributes = [{"Name": "email", "Value": email}] if email else []
    return client.admin_create_user(
        UserPoolId=pool, Username=username, TemporaryPassword=temporary,
        UserAttributes=attributes, MessageAction="SUPPRESS",
    )["User"]


def list_usernames(client, pool, **params):
    return sorted(u["Username"] for u in client.list_users(UserPoolId=pool, **params)["Users"])


def user_pages(client, pool, limit, **params):
    pages, token = [], None
    while True:
        request = dict(UserPoolId=pool, Limit=limit, **params)
        if token:
            request["PaginationToken"] = token
        response = client.list_users(**request)
        pages.append([u["Username"] for u in response["Users"]])
        token = response.get("PaginationToken")
        if not token:
            return pages
        assert len(pages) <= 20, "ListUsers keeps returning a PaginationToken"


# --- pools --------------------------------------------------------------------------------------


def test_pool_create_describe_update_delete(empty_client):
    client = empty_client
    created = client.create_user_pool(
        PoolName="shop",
        DeviceConfiguration=DEVICE_CONFIG,
        Policies={"PasswordPolicy": {"MinimumLength": 10, "RequireUppercase": True, "RequireLowercase": True,
                                     "RequireNumbers": True, "RequireSymbols": False}},
    )["UserPool"]
    pool_id = created["Id"]
    assert POOL_ID_RE.fullmatch(pool_id), pool_id
    assert created["Name"] == "shop"
    assert created["Arn"] == f"arn:aws:cognito-idp:{REGION}:{ACCOUNT_ID}:userpool/{pool_id}"
    assert created["DeviceConfiguration"] == DEVICE_CONFIG
    assert created["Policies"]["PasswordPolicy"]["MinimumLength"] == 10
    assert created["Policies"]["PasswordPolicy"]["RequireSymbols"] is False
    assert isinstance(created["CreationDate"], datetime)

    described = client.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    for key in ("Id", "Name", "Arn", "DeviceConfiguration", "Policies", "CreationDate"):
        assert described[key] == created[key], key

    changed_devices = {"ChallengeRequiredOnNewDevice": False, "DeviceOnlyRememberedOnUserPrompt": True}
    response = client.update_user_pool(
        UserPoolId=pool_id,
        DeviceConfiguration=changed_devices,
        Policies={"PasswordPolicy": {"MinimumLength": 14, "RequireUppercase": True, "RequireLowercase": True,
                                     "RequireNumbers": True, "RequireSymbols": True}},
    )
    assert set(response) == {"ResponseMetadata"}
    updated = client.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert updated["DeviceConfiguration"] == changed_devices
    assert updated["Policies"]["PasswordPolicy"]["MinimumLength"] == 14
    assert (updated["Id"], updated["Name"], updated["CreationDate"]) == (pool_id, "shop", created["CreationDate"])
    assert updated["LastModifiedDate"] >= described["LastModifiedDate"]

    # "If you don't provide a value for an attribute, it will be set to the default value."
    client.update_user_pool(UserPoolId=pool_id, Policies=updated["Policies"])
    reset = client.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert "DeviceConfiguration" not in reset
    assert reset["Policies"]["PasswordPolicy"]["MinimumLength"] == 14

    assert set(client.delete_user_pool(UserPoolId=pool_id)) == {"ResponseMetadata"}
    expect_error(client, "ResourceNotFoundException", pool_gone(pool_id), "describe_user_pool", UserPoolId=pool_id)
    expect_error(client, "ResourceNotFoundException", pool_gone(pool_id), "delete_user_pool", UserPoolId=pool_id)


def test_list_user_pools_pages_with_max_results(empty_client):
    client = empty_client
    made = {new_pool(client, f"paged-{i}"): f"paged-{i}" for i in range(5)}
    assert len(made) == 5, "pool ids repeat"

    pages, token = [], None
    while True:
        params = {"MaxResults": 2}
        if token:
            params["NextToken"] = token
        response = client.list_user_pools(**params)
        pages.append({p["Id"]: p["Name"] for p in response["UserPools"]})
        token = response.get("NextToken")
        if not token:
            break
        assert len(pages) <= 10
    assert [len(p) for p in pages] == [2, 2, 1]
    seen = {}
    for page in pages:
        assert not set(page) & set(seen), "a pool appears on two pages"
        seen.update(page)
    assert seen == made

    expect_error(client, "InvalidParameterException", validation_message(null_violation("maxResults")),
                 "list_user_pools")
    expect_error(client, "InvalidParameterException",
                 validation_message("Value '61' at 'maxResults' failed to satisfy constraint: "
                                    "Member must have value less than or equal to 60"),
                 "list_user_pools", MaxResults=61)


def test_deleting_a_pool_removes_its_users_and_devices(client):
    client.delete_user_pool(UserPoolId=POOL_A)
    gone = pool_gone(POOL_A)
    expect_error(client, "ResourceNotFoundException", gone, "admin_get_user", UserPoolId=POOL_A, Username="alice")
    expect_error(client, "ResourceNotFoundException", gone, "list_users", UserPoolId=POOL_A)
    expect_error(client, "ResourceNotFoundException", gone, "admin_list_devices", UserPoolId=POOL_A, Username="alice")
    expect_error(client, "ResourceNotFoundException", gone, "admin_forget_device",
                 UserPoolId=POOL_A, Username="alice", DeviceKey=ALICE_PHONE)
    # The other pool, with its own alice, is untouched; the deleted pool's device is not reachable from it.
    assert device_keys(client, POOL_B, "alice") == [OTHER_ALICE_PHONE]
    expect_error(client, "ResourceNotFoundException", "Device does not exist.", "admin_get_device",
                 UserPoolId=POOL_B, Username="alice", DeviceKey=ALICE_PHONE)
    assert POOL_A not in {p["Id"] for p in client.list_user_pools(MaxResults=60)["UserPools"]}


UNKNOWN_POOL_CALLS = [
    ("describe_user_pool", {}),
    ("update_user_pool", {}),
    ("delete_user_pool", {}),
    ("admin_create_user", {"Username": "x", "MessageAction": "SUPPRESS"}),
    ("admin_get_user", {"Username": "x"}),
    ("admin_delete_user", {"Username": "x"}),
    ("admin_set_user_password", {"Username": "x", "Password": "Passw0rd!x", "Permanent": True}),
    ("admin_disable_user", {"Username": "x"}),
    ("admin_enable_user", {"Username": "x"}),
    ("admin_update_user_attributes", {"Username": "x", "UserAttributes": [{"Name": "given_name", "Value": "X"}]}),
    ("list_users", {}),
]


@pytest.mark.parametrize("operation, params", UNKNOWN_POOL_CALLS, ids=[c[0] for c in UNKNOWN_POOL_CALLS])
def test_unknown_pool(shared_client, operation, params):
    expect_error(shared_client, "ResourceNotFoundException", pool_gone(UNKNOWN_POOL), operation,
                 UserPoolId=UNKNOWN_POOL, **params)


UNKNOWN_USER_CALLS = [c for c in UNKNOWN_POOL_CALLS if "Username" in c[1] and c[0] != "admin_create_user"]


@pytest.mark.parametrize("operation, params", UNKNOWN_USER_CALLS, ids=[c[0] for c in UNKNOWN_USER_CALLS])
def test_unknown_user(shared_client, operation, params):
    expect_error(shared_client, "UserNotFoundException", USER_GONE, operation, UserPoolId=POOL_A,
                 **dict(params, Username="nobody"))


# --- users --------------------------------------------------------------------------------------


def test_admin_create_user_and_get_it(empty_client):
    client = empty_client
    pool = new_pool(client)
    user = client.admin_create_user(
        UserPoolId=pool, Username="alice", TemporaryPassword="Temp-Passw0rd!", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}, {"Name": "given_name", "Value": "Alice"}],
    )["User"]
    assert user["Username"] == "alice"
    assert user["Enabled"] is True
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    values = attrs(user["Attributes"])
    assert UUID4_RE.fullmatch(values["sub"]), values["sub"]
    assert (values["email"], values["given_name"]) == ("alice@example.com", "Alice")
    assert isinstance(user["UserCreateDate"], datetime)

    got = client.admin_get_user(UserPoolId=pool, Username="alice")
    assert got["Username"] == "alice"
    assert attrs(got["UserAttributes"]) == values
    assert (got["Enabled"], got["UserStatus"]) == (True, "FORCE_CHANGE_PASSWORD")
    assert got["UserCreateDate"] == user["UserCreateDate"]

    expect_error(client, "UsernameExistsException", "User account already exists", "admin_create_user",
                 UserPoolId=pool, Username="alice", MessageAction="SUPPRESS")
    other = new_user(client, pool, "bob")
    assert attrs(other["Attributes"])["sub"] != values["sub"]


def test_admin_delete_user(empty_client):
    client = empty_client
    pool = new_pool(client)
    new_user(client, pool, "alice")
    new_user(client, pool, "bob")
    assert set(client.admin_delete_user(UserPoolId=pool, Username="alice")) == {"ResponseMetadata"}
    expect_error(client, "UserNotFoundException", USER_GONE, "admin_get_user", UserPoolId=pool, Username="alice")
    expect_error(client, "UserNotFoundException", USER_GONE, "admin_delete_user", UserPoolId=pool, Username="alice")
    assert list_usernames(client, pool) == ["bob"]


def estimated_users(client, pool):
    return client.describe_user_pool(UserPoolId=pool)["UserPool"]["EstimatedNumberOfUsers"]


def test_estimated_number_of_users_follows_creates_and_deletes(empty_client):
    client = empty_client
    pool, other = new_pool(client), new_pool(client, "other")
    assert estimated_users(client, pool) == 0
    new_user(client, pool, "alice")
    new_user(client, pool, "bob")
    new_user(client, other, "carol")
    expect_error(client, "UsernameExistsException", "User account already exists", "admin_create_user",
                 UserPoolId=pool, Username="alice", MessageAction="SUPPRESS")
    assert (estimated_users(client, pool), estimated_users(client, other)) == (2, 1)
    client.admin_delete_user(UserPoolId=pool, Username="alice")
    assert (estimated_users(client, pool), estimated_users(client, other)) == (1, 1)


def test_estimated_number_of_users_counts_seeded_users(shared_client):
    for pool in (POOL_A, POOL_B):
        listed = shared_client.list_users(UserPoolId=pool)["Users"]
        assert estimated_users(shared_client, pool) == len(listed), pool


def test_admin_set_user_password(empty_client):
    client = empty_client
    pool = new_pool(client, Policies={"PasswordPolicy": {
        "MinimumLength": 10, "RequireUppercase": True, "RequireLowercase": True,
        "RequireNumbers": True, "RequireSymbols": True}})
    new_user(client, pool, "alice", temporary="Temp-Passw0rd!")

    client.admin_set_user_password(UserPoolId=pool, Username="alice", Password="Perm-Passw0rd!", Permanent=True)
    assert client.admin_get_user(UserPoolId=pool, Username="alice")["UserStatus"] == "CONFIRMED"

    client.admin_set_user_password(UserPoolId=pool, Username="alice", Password="Temp-Again-1!", Permanent=False)
    assert client.admin_get_user(UserPoolId=pool, Username="alice")["UserStatus"] == "FORCE_CHANGE_PASSWORD"

    for weak, rule in (("short", "Password not long enough"),
                       ("alllowercase-1!", "Password must have uppercase characters"),
                       ("NoDigits-Here!", "Password must have numeric characters"),
                       ("Ab1!defgh", "Password not long enough")):  # the last is 9 < 10 chars
        expect_error(client, "InvalidPasswordException", SET_PASSWORD_POLICY + rule, "admin_set_user_password",
                     UserPoolId=pool, Username="alice", Password=weak, Permanent=True)
    assert client.admin_get_user(UserPoolId=pool, Username="alice")["UserStatus"] == "FORCE_CHANGE_PASSWORD"

    # A temporary password given to AdminCreateUser meets the same policy.
    expect_error(client, "InvalidPasswordException", CREATE_USER_POLICY + "Password not long enough", "admin_create_user",
                 UserPoolId=pool, Username="bob", TemporaryPassword="Sh0rt!", MessageAction="SUPPRESS")
    expect_error(client, "UserNotFoundException", USER_GONE, "admin_get_user", UserPoolId=pool, Username="bob")


def test_admin_disable_and_enable_user(empty_client):
    client = empty_client
    pool = new_pool(client)
    new_user(client, pool, "alice")
    assert set(client.admin_disable_user(UserPoolId=pool, Username="alice")) == {"ResponseMetadata"}
    assert client.admin_get_user(UserPoolId=pool, Username="alice")["Enabled"] is False
    assert client.list_users(UserPoolId=pool)["Users"][0]["Enabled"] is False
    assert set(client.admin_enable_user(UserPoolId=pool, Username="alice")) == {"ResponseMetadata"}
    assert client.admin_get_user(UserPoolId=pool, Username="alice")["Enabled"] is True


def test_admin_update_user_attributes(empty_client):
    client = empty_client
    pool = new_pool(client)
    before = attrs(new_user(client, pool, "alice", email="old@example.com")["Attributes"])
    response = client.admin_update_user_attributes(
        UserPoolId=pool, Username="alice",
        UserAttributes=[{"Name": "email", "Value": "new@example.com"}, {"Name": "family_name", "Value": "Liddell"}],
    )
    assert set(response) == {"ResponseMetadata"}
    after = attrs(client.admin_get_user(UserPoolId=pool, Username="alice")["UserAttributes"])
    assert after["sub"] == before["sub"]
    assert (after["email"], after["family_name"]) == ("new@example.com", "Liddell")
    assert list_usernames(client, pool, Filter='email = "new@example.com"') == ["alice"]
    assert list_usernames(client, pool, Filter='email = "old@example.com"') == []


def test_list_users_filters_and_pages(empty_client):
    client = empty_client
    pool = new_pool(client)
    subs = {}
    for name in ("ann", "andy", "bea", "carl", "anita"):
        subs[name] = attrs(new_user(client, pool, name, email=f"{name}@example.com")["Attributes"])["sub"]

    everyone = client.list_users(UserPoolId=pool)
    assert sorted(u["Username"] for u in everyone["Users"]) == sorted(subs)
    assert "PaginationToken" not in everyone
    bea = next(u for u in everyone["Users"] if u["Username"] == "bea")
    assert attrs(bea["Attributes"])["email"] == "bea@example.com"
    assert (bea["Enabled"], bea["UserStatus"]) == (True, "FORCE_CHANGE_PASSWORD")

    assert list_usernames(client, pool, Filter='email = "bea@example.com"') == ["bea"]
    assert list_usernames(client, pool, Filter='email = "nobody@example.com"') == []
    assert list_usernames(client, pool, Filter='username ^= "a"') == ["andy", "anita", "ann"]
    assert list_usernames(client, pool, Filter='username ^= "an"') == ["andy", "anita", "ann"]
    assert list_usernames(client, pool, Filter='username = "an"') == []
    assert list_usernames(client, pool, Filter=f'sub = "{subs["carl"]}"') == ["carl"]
    assert list_usernames(client, pool, Filter='email ^= "c"') == ["carl"]

    pages = user_pages(client, pool, limit=2)
    assert [len(p) for p in pages] == [2, 2, 1]
    assert sorted(n for p in pages for n in p) == sorted(subs)
    filtered = user_pages(client, pool, limit=2, Filter='username ^= "a"')
    assert [len(p) for p in filtered] == [2, 1]
    assert sorted(n for p in filtered for n in p) == ["andy", "anita", "ann"]

    only_email = client.list_users(UserPoolId=pool, AttributesToGet=["email"], Filter='username = "ann"')["Users"]
    assert [attrs(u["Attributes"]) for u in only_email] == [{"email": "ann@example.com"}]

    expect_error(client, "InvalidParameterException",
                 validation_message("Value '61' at 'limit' failed to satisfy constraint: "
                                    "Member must have value less than or equal to 60"),
                 "list_users", UserPoolId=pool, Limit=61)
    expect_error(client, "InvalidParameterException", "Error while parsing filter.", "list_users",
                 UserPoolId=pool, Filter="email == nonsense")


def test_case_insensitive_usernames(empty_client):
    client = empty_client
    loose = new_pool(client, "loose", UsernameConfiguration={"CaseSensitive": False})
    assert client.describe_user_pool(UserPoolId=loose)["UserPool"]["UsernameConfiguration"] == {"CaseSensitive": False}
    created = new_user(client, loose, "MixedCase")
    for spelling in ("mixedcase", "MIXEDCASE", "MixedCase"):
        got = client.admin_get_user(UserPoolId=loose, Username=spelling)
        assert got["Username"].lower() == "mixedcase"
        assert attrs(got["UserAttributes"])["sub"] == attrs(created["Attributes"])["sub"]
    expect_error(client, "UsernameExistsException", "User account already exists", "admin_create_user",
                 UserPoolId=loose, Username="mixedCASE", MessageAction="SUPPRESS")
    client.admin_disable_user(UserPoolId=loose, Username="MIXEDCASE")
    assert client.admin_get_user(UserPoolId=loose, Username="MixedCase")["Enabled"] is False

    strict = new_pool(client, "strict", UsernameConfiguration={"CaseSensitive": True})
    new_user(client, strict, "MixedCase")
    expect_error(client, "UserNotFoundException", USER_GONE, "admin_get_user", UserPoolId=strict, Username="mixedcase")
    new_user(client, strict, "mixedcase")  # a different user in a case-sensitive pool
    assert list_usernames(client, strict) == ["MixedCase", "mixedcase"]


def test_email_as_username_stores_the_sub(empty_client):
    client = empty_client
    pool = new_pool(client, "by-email", UsernameAttributes=["email"])
    user = new_user(client, pool, "zoe@example.com")
    values = attrs(user["Attributes"])
    assert user["Username"] == values["sub"]
    assert UUID4_RE.fullmatch(values["sub"])
    assert values["email"] == "zoe@example.com"
    for name in ("zoe@example.com", values["sub"]):
        assert client.admin_get_user(UserPoolId=pool, Username=name)["Username"] == values["sub"]
    expect_error(client, "InvalidParameterException", "Username should be an email.", "admin_create_user",
                 UserPoolId=pool, Username="not-an-email", MessageAction="SUPPRESS")


def test_admin_create_user_accepts_a_capitalised_boolean(empty_client):
    """AWS accepts email_verified "True" (a public suite checks this against AWS)."""
    pool = new_pool(empty_client)
    user = empty_client.admin_create_user(
        UserPoolId=pool, Username="alice", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"},
                        {"Name": "email_verified", "Value": "True"}],
    )["User"]
    assert attrs(user["Attributes"])["email_verified"] == "true"
    got = empty_client.admin_get_user(UserPoolId=pool, Username="alice")
    assert attrs(got["UserAttributes"])["email_verified"] == "true"
