"""Sign-up, confirmation, recovery, attribute verification and invitations through boto3 and the
aws CLI, with codes read from the outbox (GET /_cognitod/messages); expiry proven with the test
clock; emails delivered to a real SMTP server (aiosmtpd) with --smtp."""

import json
import socket
import threading
import time
import urllib.request
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller

from cognitod_e2e import attrs, expect_error, make_client
from sign_in_e2e import ALL_FLOWS, PASSWORD, new_app_client, new_pool, new_user, secret_hash, user_sign_in

NEW_PASSWORD = "N3w-Horse-Battery!"
WRONG_CODE = "Invalid verification code provided, please try again."
EXPIRED_CODE = "Invalid code provided, please request a code again."


def control(url, path, body=None, method=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{url}/_cognitod/{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"{}")


def outbox(url, pool, username):
    return control(url, f"messages?pool={pool}&username={username}")["Messages"]


def last_code(url, pool, username):
    return outbox(url, pool, username)[-1]["Code"]


def other_code(code):
    return "111111" if code != "111111" else "222222"


def sign_up_app(client, **pool_params):
    pool = new_pool(client, AutoVerifiedAttributes=["email"], **pool_params)
    client_id = new_app_client(client, pool)["ClientId"]
    return pool, client_id


def sign_up(client, client_id, username, email="bob@example.com", **params):
    return client.sign_up(ClientId=client_id, Username=username, Password=PASSWORD,
                          UserAttributes=[{"Name": "email", "Value": email}], **params)


def test_sign_up_confirm_and_sign_in(empty_server, empty_client):
    url, idp = empty_server.url, empty_client
    pool, client_id = sign_up_app(idp)
    out = sign_up(idp, client_id, "bob")
    assert out["UserConfirmed"] is False
    assert out["CodeDeliveryDetails"] == {"Destination": "b***@e***", "DeliveryMedium": "EMAIL",
                                          "AttributeName": "email"}
    user = idp.admin_get_user(UserPoolId=pool, Username="bob")
    assert user["UserStatus"] == "UNCONFIRMED"
    assert attrs(user["UserAttributes"])["sub"] == out["UserSub"]
    message = outbox(url, pool, "bob")[0]
    assert message["Purpose"] == "SIGN_UP" and message["Destination"] == "bob@example.com"
    assert message["Message"] == f"Your verification code is {message['Code']}. "
    assert message["Subject"] == "Your verification code"

    expect_error(idp, "UserNotConfirmedException", "User is not confirmed.", "initiate_auth",
                 ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": "bob", "PASSWORD": "Wr0ng-Passw0rd!"})
    expect_error(idp, "UsernameExistsException", "User already exists", "sign_up", ClientId=client_id,
                 Username="bob", Password=PASSWORD)
    expect_error(idp, "InvalidPasswordException", "Password did not conform with policy: Password not long enough",
                 "sign_up", ClientId=client_id, Username="carol", Password="Sh0rt!")
    expect_error(idp, "CodeMismatchException", WRONG_CODE, "confirm_sign_up", ClientId=client_id,
                 Username="bob", ConfirmationCode=other_code(message["Code"]))
    idp.confirm_sign_up(ClientId=client_id, Username="bob", ConfirmationCode=message["Code"])
    user = idp.admin_get_user(UserPoolId=pool, Username="bob")
    assert user["UserStatus"] == "CONFIRMED"
    assert attrs(user["UserAttributes"])["email_verified"] == "true"
    assert "AccessToken" in user_sign_in(idp, client_id, "bob")["AuthenticationResult"]
    expect_error(idp, "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED",
                 "confirm_sign_up", ClientId=client_id, Username="bob", ConfirmationCode=message["Code"])
    expect_error(idp, "InvalidParameterException", "User is already confirmed.", "resend_confirmation_code",
                 ClientId=client_id, Username="bob")


def test_resend_replaces_the_code_and_attempts_are_limited(empty_server, empty_client):
    url, idp = empty_server.url, empty_client
    pool, client_id = sign_up_app(idp)
    sign_up(idp, client_id, "bob")
    first = last_code(url, pool, "bob")
    idp.resend_confirmation_code(ClientId=client_id, Username="bob")
    second = last_code(url, pool, "bob")
    assert [m["Purpose"] for m in outbox(url, pool, "bob")] == ["SIGN_UP", "RESEND_CODE"]
    wrong = other_code(second)
    for _ in range(5):
        expect_error(idp, "CodeMismatchException", WRONG_CODE, "confirm_sign_up", ClientId=client_id,
                     Username="bob", ConfirmationCode=wrong)
    expect_error(idp, "LimitExceededException", "Attempt limit exceeded, please try after some time.",
                 "confirm_sign_up", ClientId=client_id, Username="bob", ConfirmationCode=second)
    idp.resend_confirmation_code(ClientId=client_id, Username="bob")
    third = last_code(url, pool, "bob")
    if first != third:
        expect_error(idp, "CodeMismatchException", WRONG_CODE, "confirm_sign_up", ClientId=client_id,
                     Username="bob", ConfirmationCode=first)
    idp.confirm_sign_up(ClientId=client_id, Username="bob", ConfirmationCode=third)


def test_the_test_clock_expires_a_sign_up_code(empty_server, empty_client):
    url, idp = empty_server.url, empty_client
    pool, client_id = sign_up_app(idp)
    sign_up(idp, client_id, "bob")
    code = last_code(url, pool, "bob")
    control(url, "clock", {"advanceSeconds": 23 * 3600})
    # Still good after 23 hours; a second code shows the first one was not used up by that.
    idp.resend_confirmation_code(ClientId=client_id, Username="bob")
    code = last_code(url, pool, "bob")
    control(url, "clock", {"advanceSeconds": 24 * 3600 + 1})
    expect_error(idp, "ExpiredCodeException", EXPIRED_CODE, "confirm_sign_up", ClientId=client_id,
                 Username="bob", ConfirmationCode=code)
    idp.resend_confirmation_code(ClientId=client_id, Username="bob")
    idp.confirm_sign_up(ClientId=client_id, Username="bob", ConfirmationCode=last_code(url, pool, "bob"))


def test_sign_up_with_a_client_secret_and_an_email_username(empty_server, empty_client):
    idp = empty_client
    pool = new_pool(idp, UsernameAttributes=["email"], AutoVerifiedAttributes=["email"])
    client = new_app_client(idp, pool, GenerateSecret=True)
    client_id, secret = client["ClientId"], client["ClientSecret"]
    expect_error(idp, "NotAuthorizedException",
                 f"Client {client_id} is configured with secret but SECRET_HASH was not received",
                 "sign_up", ClientId=client_id, Username="dan@example.com", Password=PASSWORD)
    out = idp.sign_up(ClientId=client_id, Username="dan@example.com", Password=PASSWORD,
                      SecretHash=secret_hash(secret, "dan@example.com", client_id))
    assert out["CodeDeliveryDetails"]["Destination"] == "d***@e***"
    # The username is the sub; the email is the name that signs in.
    user = idp.admin_get_user(UserPoolId=pool, Username="dan@example.com")
    assert user["Username"] == out["UserSub"]
    expect_error(idp, "UsernameExistsException", "An account with the given email already exists.", "sign_up",
                 ClientId=client_id, Username="dan@example.com", Password=PASSWORD,
                 SecretHash=secret_hash(secret, "dan@example.com", client_id))
    idp.admin_confirm_sign_up(UserPoolId=pool, Username="dan@example.com")
    assert idp.admin_get_user(UserPoolId=pool, Username="dan@example.com")["UserStatus"] == "CONFIRMED"


def test_forgot_password_and_admin_reset(empty_server, empty_client):
    url, idp = empty_server.url, empty_client
    pool, client_id = sign_up_app(idp)
    new_user(idp, pool, "alice", attributes=[{"Name": "email", "Value": "alice@example.com"},
                                             {"Name": "email_verified", "Value": "true"}])
    out = idp.forgot_password(ClientId=client_id, Username="alice")
    assert out["CodeDeliveryDetails"] == {"Destination": "a***@e***", "DeliveryMedium": "EMAIL",
                                          "AttributeName": "email"}
    code = last_code(url, pool, "alice")
    expect_error(idp, "CodeMismatchException", WRONG_CODE, "confirm_forgot_password", ClientId=client_id,
                 Username="alice", ConfirmationCode=other_code(code), Password=NEW_PASSWORD)
    expect_error(idp, "InvalidPasswordException", "Password does not conform to policy: Password not long enough",
                 "confirm_forgot_password", ClientId=client_id, Username="alice", ConfirmationCode=code,
                 Password="Sh0rt!")
    idp.confirm_forgot_password(ClientId=client_id, Username="alice", ConfirmationCode=code, Password=NEW_PASSWORD)
    assert "AccessToken" in user_sign_in(idp, client_id, "alice", NEW_PASSWORD)["AuthenticationResult"]
    expect_error(idp, "ExpiredCodeException", EXPIRED_CODE, "confirm_forgot_password", ClientId=client_id,
                 Username="alice", ConfirmationCode=code, Password=PASSWORD)
    expect_error(idp, "UserNotFoundException", "Username/client id combination not found.", "forgot_password",
                 ClientId=client_id, Username="nobody")

    # A forgot-password code lasts an hour.
    idp.forgot_password(ClientId=client_id, Username="alice")
    control(url, "clock", {"advanceSeconds": 3601})
    expect_error(idp, "ExpiredCodeException", EXPIRED_CODE, "confirm_forgot_password", ClientId=client_id,
                 Username="alice", ConfirmationCode=last_code(url, pool, "alice"), Password=PASSWORD)

    idp.admin_reset_user_password(UserPoolId=pool, Username="alice")
    assert idp.admin_get_user(UserPoolId=pool, Username="alice")["UserStatus"] == "RESET_REQUIRED"
    expect_error(idp, "PasswordResetRequiredException", "Password reset required for the user", "initiate_auth",
                 ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": "alice", "PASSWORD": NEW_PASSWORD})
    idp.confirm_forgot_password(ClientId=client_id, Username="alice",
                                ConfirmationCode=last_code(url, pool, "alice"), Password=PASSWORD)
    assert idp.admin_get_user(UserPoolId=pool, Username="alice")["UserStatus"] == "CONFIRMED"


def test_hidden_existence_everywhere(empty_server, empty_client):
    idp = empty_client
    pool, _ = sign_up_app(idp)
    client_id = new_app_client(idp, pool, flows=ALL_FLOWS + ["ALLOW_USER_SRP_AUTH"],
                               PreventUserExistenceErrors="ENABLED")["ClientId"]
    assert idp.forgot_password(ClientId=client_id, Username="nobody@example.com")["CodeDeliveryDetails"][
        "Destination"] == "n***@e***"
    assert idp.resend_confirmation_code(ClientId=client_id, Username="+15555550100")["CodeDeliveryDetails"][
        "DeliveryMedium"] == "SMS"
    expect_error(idp, "CodeMismatchException", WRONG_CODE, "confirm_sign_up", ClientId=client_id,
                 Username="nobody", ConfirmationCode="123456")
    expect_error(idp, "CodeMismatchException", WRONG_CODE, "confirm_forgot_password", ClientId=client_id,
                 Username="nobody", ConfirmationCode="123456", Password=NEW_PASSWORD)
    started = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_SRP_AUTH",
                                AuthParameters={"USERNAME": "nobody", "SRP_A": "02"})
    assert started["ChallengeName"] == "PASSWORD_VERIFIER"
    parameters = started["ChallengeParameters"]
    assert parameters["USER_ID_FOR_SRP"] == "nobody" and len(parameters["SALT"]) > 0
    expect_error(idp, "NotAuthorizedException", "Incorrect username or password.", "respond_to_auth_challenge",
                 ClientId=client_id, ChallengeName="PASSWORD_VERIFIER",
                 ChallengeResponses={"USERNAME": "nobody", "PASSWORD_CLAIM_SECRET_BLOCK": parameters["SECRET_BLOCK"],
                                     "PASSWORD_CLAIM_SIGNATURE": "c2lnbmF0dXJl",
                                     "TIMESTAMP": "Mon Dec 7 15:00:00 UTC 2026"})


def test_attribute_verification(empty_server, empty_client):
    url, idp = empty_server.url, empty_client
    pool, client_id = sign_up_app(idp)
    new_user(idp, pool, "alice", attributes=[{"Name": "email", "Value": "alice@example.com"},
                                             {"Name": "email_verified", "Value": "true"}])
    token = user_sign_in(idp, client_id, "alice")["AuthenticationResult"]["AccessToken"]
    out = idp.update_user_attributes(AccessToken=token, UserAttributes=[{"Name": "email", "Value": "new@example.org"}])
    assert out["CodeDeliveryDetailsList"] == [{"Destination": "n***@e***", "DeliveryMedium": "EMAIL",
                                               "AttributeName": "email"}]
    assert attrs(idp.get_user(AccessToken=token)["UserAttributes"])["email_verified"] == "false"
    idp.get_user_attribute_verification_code(AccessToken=token, AttributeName="email")
    code = last_code(url, pool, "alice")
    expect_error(idp, "CodeMismatchException", WRONG_CODE, "verify_user_attribute", AccessToken=token,
                 AttributeName="email", Code=other_code(code))
    idp.verify_user_attribute(AccessToken=token, AttributeName="email", Code=code)
    got = attrs(idp.get_user(AccessToken=token)["UserAttributes"])
    assert got["email"] == "new@example.org" and got["email_verified"] == "true"
    expect_error(idp, "InvalidParameterException", "Invalid attribute name: phone_number",
                 "get_user_attribute_verification_code", AccessToken=token, AttributeName="phone_number")


def test_shared_refusals_over_the_wire(empty_server, empty_client):
    url, idp = empty_server.url, empty_client
    pool = new_pool(idp, AliasAttributes=["email"])
    client_id = new_app_client(idp, pool)["ClientId"]
    unknown = "0123456789abcdefghijklmnop"
    for operation, params in [("sign_up", {"Password": PASSWORD}), ("resend_confirmation_code", {}),
                              ("confirm_sign_up", {"ConfirmationCode": "123456"}), ("forgot_password", {}),
                              ("confirm_forgot_password", {"ConfirmationCode": "123456", "Password": PASSWORD})]:
        expect_error(idp, "ResourceNotFoundException", f"User pool client {unknown} does not exist.", operation,
                     ClientId=unknown, Username="bob", **params)
    verified = [{"Name": "email_verified", "Value": "true"}]
    new_user(idp, pool, "alice", attributes=[{"Name": "email", "Value": "shared@example.com"}] + verified)
    new_user(idp, pool, "bob", attributes=[{"Name": "email", "Value": "bob@example.com"}] + verified)
    token = user_sign_in(idp, client_id, "bob")["AuthenticationResult"]["AccessToken"]
    # An unverified address is no one's alias; verifying one alice holds is refused.
    idp.update_user_attributes(AccessToken=token, UserAttributes=[{"Name": "email", "Value": "shared@example.com"}])
    idp.get_user_attribute_verification_code(AccessToken=token, AttributeName="email")
    expect_error(idp, "AliasExistsException", "An account with the given email already exists.",
                 "verify_user_attribute", AccessToken=token, AttributeName="email", Code=last_code(url, pool, "bob"))
    idp.admin_disable_user(UserPoolId=pool, Username="alice")
    expect_error(idp, "NotAuthorizedException", "User is disabled.", "admin_reset_user_password",
                 UserPoolId=pool, Username="alice")
    idp.admin_reset_user_password(UserPoolId=pool, Username="bob")
    expect_error(idp, "PasswordResetRequiredException", "Password reset required for the user", "get_user",
                 AccessToken=token)
    idp.admin_delete_user(UserPoolId=pool, Username="bob")
    for operation, params in [("change_password", {"PreviousPassword": PASSWORD, "ProposedPassword": NEW_PASSWORD}),
                              ("update_user_attributes", {"UserAttributes": [{"Name": "nickname", "Value": "b"}]}),
                              ("get_user_attribute_verification_code", {"AttributeName": "email"}),
                              ("verify_user_attribute", {"AttributeName": "email", "Code": "123456"}),
                              ("delete_user_attributes", {"UserAttributeNames": ["nickname"]}), ("delete_user", {})]:
        expect_error(idp, "UserNotFoundException", "User does not exist.", operation, AccessToken=token, **params)
        expect_error(idp, "NotAuthorizedException", "Invalid Access Token", operation, AccessToken="not-a-token",
                     **params)


def test_invitations_and_temporary_password_expiry(empty_server, empty_client):
    url, idp = empty_server.url, empty_client
    pool = new_pool(idp, Policies={"PasswordPolicy": {"MinimumLength": 8, "TemporaryPasswordValidityDays": 1}})
    client_id = new_app_client(idp, pool)["ClientId"]
    idp.admin_create_user(UserPoolId=pool, Username="carl", DesiredDeliveryMediums=["EMAIL"],
                          UserAttributes=[{"Name": "email", "Value": "carl@example.com"}])
    invite = outbox(url, pool, "carl")[-1]
    assert invite["Purpose"] == "ADMIN_CREATE_USER" and invite["Subject"] == "Your temporary password"
    assert invite["Message"] == f"Your username is carl and temporary password is {invite['Code']}. "
    assert user_sign_in(idp, client_id, "carl", invite["Code"])["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    control(url, "clock", {"advanceSeconds": 86401})
    expect_error(idp, "NotAuthorizedException",
                 "Temporary password has expired and must be reset by an administrator.", "initiate_auth",
                 ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                 AuthParameters={"USERNAME": "carl", "PASSWORD": invite["Code"]})
    idp.admin_create_user(UserPoolId=pool, Username="carl", MessageAction="RESEND", DesiredDeliveryMediums=["EMAIL"])
    again = outbox(url, pool, "carl")[-1]
    assert again["Code"] != invite["Code"]
    assert user_sign_in(idp, client_id, "carl", again["Code"])["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_the_aws_cli_signs_up_and_confirms(empty_server, aws_cli):
    url = empty_server.url
    idp = make_client(url)
    pool, client_id = sign_up_app(idp)
    cli = aws_cli(url)
    out = cli.json("sign-up", "--client-id", client_id, "--username", "erin", "--password", PASSWORD,
                   "--user-attributes", "Name=email,Value=erin@example.com")
    assert out["UserConfirmed"] is False and out["CodeDeliveryDetails"]["Destination"] == "e***@e***"
    cli.json("confirm-sign-up", "--client-id", client_id, "--username", "erin",
             "--confirmation-code", last_code(url, pool, "erin"))
    assert idp.admin_get_user(UserPoolId=pool, Username="erin")["UserStatus"] == "CONFIRMED"


class Inbox:
    """What aiosmtpd received."""

    def __init__(self):
        self.messages = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        with self.arrived:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, count, timeout=30):
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"{len(self.messages)} emails arrived, not {count}"
                self.arrived.wait(left)
        return self.messages


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_inbox():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def test_emails_reach_a_real_smtp_server(launcher, smtp_inbox):
    inbox, port = smtp_inbox
    server = launcher.start(args=("--smtp", f"127.0.0.1:{port}"))
    idp = make_client(server.url)
    pool = new_pool(idp, AutoVerifiedAttributes=["email"],
                    EmailConfiguration={"EmailSendingAccount": "COGNITO_DEFAULT",
                                        "From": "Example App <noreply@example.com>"},
                    VerificationMessageTemplate={"EmailSubject": "Código für {username}?",
                                                 "EmailMessage": "Your code is {####}.\n.hidden line\nBye"})
    client_id = new_app_client(idp, pool)["ClientId"]
    sign_up(idp, client_id, "bob")
    # A failed call sends nothing: only the first of these reaches the inbox.
    expect_error(idp, "UsernameExistsException", "User already exists", "sign_up", ClientId=client_id,
                 Username="bob", Password=PASSWORD)
    idp.admin_create_user(UserPoolId=pool, Username="carl", DesiredDeliveryMediums=["EMAIL"],
                          UserAttributes=[{"Name": "email", "Value": "carl@example.com"}])
    messages = inbox.wait_for(2)
    code = last_code(server.url, pool, "bob")
    mail_from, rcpt_tos, content = messages[0]
    assert mail_from == "noreply@example.com" and rcpt_tos == ["bob@example.com"]
    email = message_from_bytes(content)
    assert email["From"] == "Example App <noreply@example.com>"
    assert str(email.get("Subject")) != "" and "für" in email_subject(email)
    body = email.get_payload(decode=True).decode()
    assert body.replace("\r\n", "\n") == f"Your code is {code}.\n.hidden line\nBye\n"
    assert messages[1][1] == ["carl@example.com"]
    assert len(inbox.messages) == 2


def email_subject(email):
    from email.header import decode_header, make_header
    return str(make_header(decode_header(email["Subject"])))


def test_an_absent_smtp_server_loses_no_call(launcher):
    server = launcher.start(args=("--smtp", f"127.0.0.1:{free_port()}"))
    idp = make_client(server.url)
    pool, client_id = sign_up_app(idp)
    sign_up(idp, client_id, "bob")
    # The code is in the outbox whatever became of the email, and the server goes on.
    idp.confirm_sign_up(ClientId=client_id, Username="bob", ConfirmationCode=last_code(server.url, pool, "bob"))
    assert idp.admin_get_user(UserPoolId=pool, Username="bob")["UserStatus"] == "CONFIRMED"
