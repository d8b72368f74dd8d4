#!/usr/bin/env python3
"""Provokes each of AdminForgetDevice's seven documented exceptions through fault injection, with
an unmodified boto3 client, and prints the modelled exception class boto3 raised for each.

    python3 docs/examples/forget_device_faults.py --endpoint http://127.0.0.1:9229

It creates its own pool, user and remembered device, adds one fault rule per exception
(POST /_cognitod/faults, Count 1), calls AdminForgetDevice, and checks after each that the device
is untouched. Last it forgets the device for real. Exit status 1 on the first unexpected answer.
Pass --control-token when cognitod runs with one. Needs only Python 3 and boto3.
"""

import argparse
import json
import sys
import urllib.request

import boto3
from botocore.config import Config

EXCEPTIONS = [
    "ResourceNotFoundException",
    "InvalidParameterException",
    "InvalidUserPoolConfigurationException",
    "TooManyRequestsException",
    "NotAuthorizedException",
    "UserNotFoundException",
    "InternalErrorException",
]


def add_rule(endpoint, token, rule):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["X-Cognitod-Control-Token"] = token
    request = urllib.request.Request(endpoint + "/_cognitod/faults", data=json.dumps(rule).encode(), headers=headers)
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", default="http://127.0.0.1:9229")
    parser.add_argument("--control-token")
    args = parser.parse_args()

    # One attempt: botocore would otherwise retry the throttle and the 500 by itself.
    cognito = boto3.client(
        "cognito-idp", endpoint_url=args.endpoint, region_name="us-east-1",
        aws_access_key_id="local", aws_secret_access_key="local",
        config=Config(retries={"total_max_attempts": 1}),
    )
    pool = cognito.create_user_pool(
        PoolName="forget-device-faults",
        DeviceConfiguration={"ChallengeRequiredOnNewDevice": False, "DeviceOnlyRememberedOnUserPrompt": False},
    )["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool, ClientName="faults", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    cognito.admin_create_user(UserPoolId=pool, Username="alice", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool, Username="alice", Password="Corr3ct-Horse!", Permanent=True)
    signed_in = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": "Corr3ct-Horse!"},
    )["AuthenticationResult"]
    device = signed_in["NewDeviceMetadata"]["DeviceKey"]
    forget = {"UserPoolId": pool, "Username": "alice", "DeviceKey": device}
    print(f"pool {pool}, user alice, device {device}")

    failures = 0
    for name in EXCEPTIONS:
        add_rule(args.endpoint, args.control_token, {
            "Operation": "AdminForgetDevice", "Error": name, "Count": 1,
            "Message": f"{name} injected for the example.",
            "Match": {"UserPoolId": pool, "Username": "alice"},
        })
        expected = getattr(cognito.exceptions, name)
        try:
            cognito.admin_forget_device(**forget)
            print(f"{name:40} NOT RAISED")
            failures += 1
            continue
        except expected as error:
            status = error.response["ResponseMetadata"]["HTTPStatusCode"]
            raised = f"{type(error).__module__}.{type(error).__name__}"
        still_there = cognito.admin_get_device(**forget)["Device"]["DeviceKey"] == device
        print(f"{name:40} raised {raised} (HTTP {status}); device untouched: {still_there}")
        failures += 0 if still_there else 1

    cognito.admin_forget_device(**forget)
    try:
        cognito.admin_get_device(**forget)
        failures += 1
    except cognito.exceptions.ResourceNotFoundException as error:
        print(f"without a rule: forgotten; AdminGetDevice now says {error.response['Error']['Message']!r}")
    cognito.delete_user_pool(UserPoolId=pool)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
