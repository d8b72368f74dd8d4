"""A signed-in user's own account through boto3: ChangePassword, DeleteUserAttributes and
DeleteUser with the access token; AdminDeleteUserAttributes and AddCustomAttributes."""

from cognitod_e2e import attrs, expect_error
from sign_in_e2e import PASSWORD, admin_sign_in, new_app_client, new_pool, new_user

NEW_PASSWORD = "N3w-Horse-Battery!"


def signed_in(client, **pool_params):
    pool = new_pool(client, **pool_params)
    client_id = new_app_client(client, pool)["ClientId"]
    new_user(client, pool, "alice", attributes=[
        {"Name": "email", "Value": "alice@example.com"}, {"Name": "email_verified", "Value": "true"},
        {"Name": "nickname", "Value": "al"}])
    token = admin_sign_in(client, pool, client_id, "alice")["AuthenticationResult"]["AccessToken"]
    return pool, client_id, token


def test_change_password(empty_client):
    pool, client_id, token = signed_in(empty_client)
    expect_error(empty_client, "NotAuthorizedException", "Incorrect username or password.",
                 "change_password", AccessToken=token, PreviousPassword="Wrong-Passw0rd!",
                 ProposedPassword=NEW_PASSWORD)
    expect_error(empty_client, "InvalidPasswordException",
                 "Password does not conform to policy: Password not long enough",
                 "change_password", AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword="Sh0rt!")
    empty_client.change_password(AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword=NEW_PASSWORD)
    assert "AuthenticationResult" in admin_sign_in(empty_client, pool, client_id, "alice", password=NEW_PASSWORD)
    expect_error(empty_client, "NotAuthorizedException", "Incorrect username or password.",
                 "admin_initiate_auth", UserPoolId=pool, ClientId=client_id,
                 AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD})


def test_delete_attributes_and_the_user(empty_client):
    pool, _, token = signed_in(empty_client)
    empty_client.delete_user_attributes(AccessToken=token, UserAttributeNames=["email"])
    user = attrs(empty_client.get_user(AccessToken=token)["UserAttributes"])
    assert "email" not in user and "email_verified" not in user and user["nickname"] == "al"
    empty_client.admin_delete_user_attributes(UserPoolId=pool, Username="alice", UserAttributeNames=["nickname"])
    assert "nickname" not in attrs(empty_client.get_user(AccessToken=token)["UserAttributes"])
    expect_error(empty_client, "InvalidParameterException",
                 "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.\n",
                 "delete_user_attributes", AccessToken=token, UserAttributeNames=["custom:nope"])

    empty_client.delete_user(AccessToken=token)
    expect_error(empty_client, "UserNotFoundException", "User does not exist.", "admin_get_user",
                 UserPoolId=pool, Username="alice")


def test_add_custom_attributes(empty_client):
    pool = new_pool(empty_client)
    empty_client.add_custom_attributes(UserPoolId=pool, CustomAttributes=[
        {"Name": "tier", "AttributeDataType": "String"}])
    schema = empty_client.describe_user_pool(UserPoolId=pool)["UserPool"]["SchemaAttributes"]
    assert "custom:tier" in [a["Name"] for a in schema]
    new_user(empty_client, pool, "bob", attributes=[{"Name": "custom:tier", "Value": "gold"}])
    got = empty_client.admin_get_user(UserPoolId=pool, Username="bob")
    assert attrs(got["UserAttributes"])["custom:tier"] == "gold"
    expect_error(empty_client, "InvalidParameterException", "Existing attribute already has name custom:tier.",
                 "add_custom_attributes", UserPoolId=pool, CustomAttributes=[{"Name": "tier"}])
