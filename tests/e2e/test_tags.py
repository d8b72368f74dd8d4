"""Pool tags through boto3: TagResource, UntagResource and ListTagsForResource agree with the
UserPoolTags that CreateUserPool sets and DescribeUserPool shows."""

from cognitod_e2e import ACCOUNT_ID, REGION, expect_error


def pool_arn(pool):
    return f"arn:aws:cognito-idp:{REGION}:{ACCOUNT_ID}:userpool/{pool}"


def test_tags_round_trip(empty_client):
    pool = empty_client.create_user_pool(PoolName="tagged", UserPoolTags={"team": "auth"})["UserPool"]
    assert pool["Arn"] == pool_arn(pool["Id"])
    arn = pool["Arn"]
    assert empty_client.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"team": "auth"}

    empty_client.tag_resource(ResourceArn=arn, Tags={"team": "identity", "env": "test"})
    assert empty_client.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"team": "identity", "env": "test"}
    described = empty_client.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
    assert described["UserPoolTags"] == {"team": "identity", "env": "test"}

    empty_client.untag_resource(ResourceArn=arn, TagKeys=["team", "not-there"])
    assert empty_client.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"env": "test"}


def test_tag_errors(empty_client):
    pool = empty_client.create_user_pool(PoolName="tagged")["UserPool"]["Id"]
    missing = f"{REGION}_Missing00"
    expect_error(empty_client, "ResourceNotFoundException", f"User pool {missing} does not exist.",
                 "list_tags_for_resource", ResourceArn=pool_arn(missing))
    role = f"arn:aws:iam::{ACCOUNT_ID}:role/admins"
    expect_error(empty_client, "InvalidParameterException", f"Invalid ARN: {role}",
                 "tag_resource", ResourceArn=role, Tags={"a": "b"})
    expect_error(empty_client, "InvalidParameterException", "A user pool can have at most 50 tags.",
                 "tag_resource", ResourceArn=pool_arn(pool), Tags={f"k{i}": "v" for i in range(51)})
