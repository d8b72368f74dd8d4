"""Groups through boto3 and the aws CLI: the nine group operations, their errors, paging, and the
group claims in tokens verified against the pool's jwks.json."""

import pytest

from cognitod_e2e import expect_error, validation_message
from sign_in_e2e import admin_sign_in, new_app_client, new_pool, new_user, refresh, verify

GROUP_GONE = "Group not found."
USER_GONE = "User does not exist."
READERS = "arn:aws:iam::123456789012:role/readers"
WRITERS = "arn:aws:iam::123456789012:role/writers"


def group_names(groups):
    return [g["GroupName"] for g in groups]


@pytest.fixture
def pool(empty_client):
    return new_pool(empty_client)


def test_create_get_update_delete(empty_client, pool):
    created = empty_client.create_group(
        UserPoolId=pool, GroupName="Admins", Description="Admins", RoleArn=READERS, Precedence=3,
    )["Group"]
    assert {k: v for k, v in created.items() if not k.endswith("Date")} == {
        "GroupName": "Admins", "UserPoolId": pool, "Description": "Admins", "RoleArn": READERS,
        "Precedence": 3,
    }
    assert created["CreationDate"] == created["LastModifiedDate"]

    # Found whatever the case; an update keeps what it does not name.
    assert empty_client.get_group(UserPoolId=pool, GroupName="admins")["Group"] == created
    updated = empty_client.update_group(UserPoolId=pool, GroupName="ADMINS", Precedence=0)["Group"]
    assert updated["Precedence"] == 0
    assert updated["Description"] == "Admins" and updated["RoleArn"] == READERS
    assert updated["CreationDate"] == created["CreationDate"]
    assert updated["LastModifiedDate"] >= created["LastModifiedDate"]

    empty_client.delete_group(UserPoolId=pool, GroupName="Admins")
    expect_error(empty_client, "ResourceNotFoundException", GROUP_GONE, "get_group",
                 UserPoolId=pool, GroupName="Admins")


def test_group_errors(empty_client, pool):
    empty_client.create_group(UserPoolId=pool, GroupName="Admins")
    expect_error(empty_client, "GroupExistsException", "A group with the name already exists.",
                 "create_group", UserPoolId=pool, GroupName="ADMINS")
    missing_pool = f"{pool[:-1]}x" if not pool.endswith("x") else f"{pool[:-1]}y"
    expect_error(empty_client, "ResourceNotFoundException", f"User pool {missing_pool} does not exist.",
                 "create_group", UserPoolId=missing_pool, GroupName="g")
    for operation in ("get_group", "delete_group", "update_group", "list_users_in_group"):
        expect_error(empty_client, "ResourceNotFoundException", GROUP_GONE, operation,
                     UserPoolId=pool, GroupName="missing")
    expect_error(
        empty_client, "InvalidParameterException",
        validation_message("Value '-1' at 'precedence' failed to satisfy constraint: "
                           "Member must have value greater than or equal to 0"),
        "create_group", UserPoolId=pool, GroupName="g", Precedence=-1,
    )
    expect_error(
        empty_client, "InvalidParameterException",
        validation_message("Value '61' at 'limit' failed to satisfy constraint: "
                           "Member must have value less than or equal to 60"),
        "list_groups", UserPoolId=pool, Limit=61,
    )


def test_membership_and_its_errors(empty_client, pool):
    for name in ("alice", "bob"):
        new_user(empty_client, pool, name)
    for name in ("readers", "writers"):
        empty_client.create_group(UserPoolId=pool, GroupName=name)
    empty_client.admin_add_user_to_group(UserPoolId=pool, Username="alice", GroupName="writers")
    empty_client.admin_add_user_to_group(UserPoolId=pool, Username="alice", GroupName="readers")
    empty_client.admin_add_user_to_group(UserPoolId=pool, Username="alice", GroupName="readers")
    empty_client.admin_add_user_to_group(UserPoolId=pool, Username="bob", GroupName="readers")

    groups = empty_client.admin_list_groups_for_user(UserPoolId=pool, Username="alice")["Groups"]
    assert group_names(groups) == ["readers", "writers"]
    users = empty_client.list_users_in_group(UserPoolId=pool, GroupName="readers")["Users"]
    assert [u["Username"] for u in users] == ["alice", "bob"]
    assert users[0]["UserStatus"] == "CONFIRMED" and users[0]["Enabled"] is True

    empty_client.admin_remove_user_from_group(UserPoolId=pool, Username="bob", GroupName="readers")
    empty_client.admin_remove_user_from_group(UserPoolId=pool, Username="bob", GroupName="readers")
    users = empty_client.list_users_in_group(UserPoolId=pool, GroupName="readers")["Users"]
    assert [u["Username"] for u in users] == ["alice"]

    for operation in ("admin_add_user_to_group", "admin_remove_user_from_group"):
        expect_error(empty_client, "UserNotFoundException", USER_GONE, operation,
                     UserPoolId=pool, Username="nobody", GroupName="readers")
        expect_error(empty_client, "ResourceNotFoundException", GROUP_GONE, operation,
                     UserPoolId=pool, Username="alice", GroupName="missing")
    expect_error(empty_client, "UserNotFoundException", USER_GONE, "admin_list_groups_for_user",
                 UserPoolId=pool, Username="nobody")

    # Deleting the group or the user ends the membership.
    empty_client.delete_group(UserPoolId=pool, GroupName="writers")
    empty_client.admin_delete_user(UserPoolId=pool, Username="alice")
    assert empty_client.list_users_in_group(UserPoolId=pool, GroupName="readers")["Users"] == []


def test_paginators_walk_every_list(empty_client, pool):
    names = [f"group-{i:02}" for i in range(7)]
    for name in names:
        empty_client.create_group(UserPoolId=pool, GroupName=name)
    users = [f"user-{i}" for i in range(5)]
    for user in users:
        new_user(empty_client, pool, user)
        empty_client.admin_add_user_to_group(UserPoolId=pool, Username=user, GroupName="group-03")
    for name in names:
        empty_client.admin_add_user_to_group(UserPoolId=pool, Username="user-0", GroupName=name)

    def walk(operation, key, **params):
        pages = empty_client.get_paginator(operation).paginate(
            UserPoolId=pool, PaginationConfig={"PageSize": 2}, **params)
        sizes, items = [], []
        for page in pages:
            sizes.append(len(page[key]))
            items += page[key]
        return sizes, items

    sizes, groups = walk("list_groups", "Groups")
    assert sizes == [2, 2, 2, 1] and group_names(groups) == names
    sizes, members = walk("list_users_in_group", "Users", GroupName="group-03")
    assert sizes == [2, 2, 1] and [u["Username"] for u in members] == users
    sizes, groups = walk("admin_list_groups_for_user", "Groups", Username="user-0")
    assert sizes == [2, 2, 2, 1] and group_names(groups) == names


def test_tokens_carry_groups_and_roles(empty_server, empty_client, pool):
    client_id = new_app_client(empty_client, pool)["ClientId"]
    new_user(empty_client, pool, "alice")
    new_user(empty_client, pool, "bob")
    empty_client.create_group(UserPoolId=pool, GroupName="viewers")
    empty_client.create_group(UserPoolId=pool, GroupName="editors", Precedence=5, RoleArn=WRITERS)
    empty_client.create_group(UserPoolId=pool, GroupName="owners", Precedence=1, RoleArn=READERS)
    for name in ("viewers", "editors", "owners"):
        empty_client.admin_add_user_to_group(UserPoolId=pool, Username="alice", GroupName=name)

    result = admin_sign_in(empty_client, pool, client_id, "alice")["AuthenticationResult"]
    id_claims = verify(empty_server.url, pool, client_id, result["IdToken"], "id")
    access_claims = verify(empty_server.url, pool, client_id, result["AccessToken"], "access")
    assert id_claims["cognito:groups"] == ["owners", "editors", "viewers"]
    assert access_claims["cognito:groups"] == ["owners", "editors", "viewers"]
    assert id_claims["cognito:roles"] == [READERS, WRITERS]
    assert id_claims["cognito:preferred_role"] == READERS
    assert "cognito:roles" not in access_claims and "cognito:preferred_role" not in access_claims

    # A refresh reads the groups as they are then.
    empty_client.admin_remove_user_from_group(UserPoolId=pool, Username="alice", GroupName="owners")
    refreshed = refresh(empty_client, client_id, result["RefreshToken"])["AuthenticationResult"]
    id_claims = verify(empty_server.url, pool, client_id, refreshed["IdToken"], "id")
    assert id_claims["cognito:groups"] == ["editors", "viewers"]
    assert id_claims["cognito:preferred_role"] == WRITERS

    # No group, no group claims.
    result = admin_sign_in(empty_client, pool, client_id, "bob")["AuthenticationResult"]
    id_claims = verify(empty_server.url, pool, client_id, result["IdToken"], "id")
    assert not {"cognito:groups", "cognito:roles", "cognito:preferred_role"} & set(id_claims)


def test_aws_cli_manages_groups(empty_server, pool, empty_client, aws_cli):
    cli = aws_cli(empty_server.url)
    created = cli.json("create-group", "--user-pool-id", pool, "--group-name", "ops", "--precedence", "2")
    assert created["Group"]["GroupName"] == "ops" and created["Group"]["Precedence"] == 2
    listed = cli.json("list-groups", "--user-pool-id", pool)
    assert group_names(listed["Groups"]) == ["ops"]
