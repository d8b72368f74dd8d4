// The devices a password sign-in makes or presents (DEVICE_KEY), and what the tokens say of them.
#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace
{

using namespace cognitod::testing;

constexpr char const* password = "Passw0rd!";
constexpr char const* unknown_device = "us-east-1_99999999-9999-4999-8999-999999999999";

// A pool that tracks devices, a client allowing the password flows, frank and grace.
class device_sign_in : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().with_device_tracking().insert(f_);
    created_client client_ = make_client().insert(f_, pool_);
    created_user frank_ = make_user("frank").with_password(password).insert(f_, pool_);
    created_user grace_ = make_user("grace").with_password(password).insert(f_, pool_);

    json with_device(std::string const& key) const
    {
        return {
            {"AuthFlow", "USER_PASSWORD_AUTH"},
            {"ClientId", client_.id},
            {"AuthParameters",
             {{"USERNAME", "frank"}, {"PASSWORD", password}, {"DEVICE_KEY", key}}}};
    }

    json admin_device(std::string const& key) const
    {
        return f_
            .call(
                "AdminGetDevice", {{"UserPoolId", pool_}, {"Username", "frank"}, {"DeviceKey", key}}
            )
            .at("Device");
    }

    std::int64_t sessions()
    {
        auto const reader = f_.store.read();
        cognitod::storage::statement count{
            reader->db().handle(), "SELECT count(*) FROM auth_sessions"};
        count.step();
        return count.column_int64(0);
    }
};

} // namespace

TEST_F(device_sign_in, a_sign_in_without_a_device_key_gives_new_device_metadata)
{
    auto const result = sign_in(f_, client_, "frank", password);
    ASSERT_TRUE(result.contains("NewDeviceMetadata"));
    auto const key = result.at("NewDeviceMetadata").at("DeviceKey").get<std::string>();
    auto const group = result.at("NewDeviceMetadata").at("DeviceGroupKey").get<std::string>();
    EXPECT_TRUE(key.starts_with("us-east-1_")) << key;
    EXPECT_EQ(key.size(), 10U + 36U);
    EXPECT_EQ(group.size(), 10U);
    EXPECT_EQ(group.front(), '-');
}

TEST_F(device_sign_in, each_sign_in_without_a_device_key_makes_another_device)
{
    auto const first = sign_in(f_, client_, "frank", password).at("NewDeviceMetadata");
    auto const second = sign_in(f_, client_, "frank", password).at("NewDeviceMetadata");
    EXPECT_NE(first.at("DeviceKey"), second.at("DeviceKey"));
}

TEST_F(device_sign_in, the_new_device_is_bound_to_the_access_token_only)
{
    auto const result = sign_in(f_, client_, "frank", password);
    auto const key = result.at("NewDeviceMetadata").at("DeviceKey");
    EXPECT_EQ(claims_of(result.at("AccessToken")).at("device_key"), key);
    EXPECT_FALSE(claims_of(result.at("IdToken")).contains("device_key"));
}

TEST_F(device_sign_in, access_token_with_a_device_key_puts_it_second)
{
    auto const names = claim_names(sign_in(f_, client_, "frank", password).at("AccessToken"));
    ASSERT_EQ(names.size(), 13U);
    EXPECT_EQ(names.at(0), "sub");
    EXPECT_EQ(names.at(1), "device_key");
    EXPECT_EQ(names.at(2), "iss");
}

TEST_F(device_sign_in, the_new_device_is_stored_not_remembered_with_the_callers_ip)
{
    f_.info.source_ip = "198.51.100.7";
    auto const key = sign_in(f_, client_, "frank", password)
                         .at("NewDeviceMetadata")
                         .at("DeviceKey")
                         .get<std::string>();
    auto const device = admin_device(key);
    EXPECT_EQ(
        attribute_in(device.at("DeviceAttributes"), "dev:device_remembered_status"),
        "not_remembered"
    );
    EXPECT_EQ(attribute_in(device.at("DeviceAttributes"), "last_ip_used"), "198.51.100.7");
    EXPECT_DOUBLE_EQ(device.at("DeviceLastAuthenticatedDate").get<double>(), 1715100742.0);
}

TEST_F(device_sign_in, the_new_device_is_not_listed_until_remembered)
{
    sign_in(f_, client_, "frank", password);
    EXPECT_EQ(
        f_.call("AdminListDevices", {{"UserPoolId", pool_}, {"Username", "frank"}}).at("Devices"),
        json::array()
    );
}

TEST_F(device_sign_in, a_null_device_key_counts_as_absent)
{
    // amazon-cognito-identity-js sends DEVICE_KEY: null before it knows a device.
    auto const result = sign_in(f_, client_, "frank", password, {{"DEVICE_KEY", nullptr}});
    EXPECT_TRUE(result.contains("NewDeviceMetadata"));
}

TEST_F(device_sign_in, a_known_device_key_is_bound_without_new_device_metadata)
{
    auto const key = make_device().not_remembered().insert(f_, frank_);
    auto const result = f_.call("InitiateAuth", with_device(key)).at("AuthenticationResult");
    EXPECT_FALSE(result.contains("NewDeviceMetadata"));
    EXPECT_EQ(claims_of(result.at("AccessToken")).at("device_key"), key);
}

TEST_F(device_sign_in, a_known_device_key_updates_last_authenticated_and_last_ip)
{
    auto const key = make_device().not_remembered().insert(f_, frank_);
    f_.time.now = t0 + 90'500;
    f_.info.source_ip = "198.51.100.7";
    f_.call("InitiateAuth", with_device(key));
    auto const device = admin_device(key);
    EXPECT_DOUBLE_EQ(device.at("DeviceLastAuthenticatedDate").get<double>(), 1715100832.0);
    EXPECT_EQ(attribute_in(device.at("DeviceAttributes"), "last_ip_used"), "198.51.100.7");
}

TEST_F(device_sign_in, an_unknown_device_key_is_a_missing_device)
{
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        with_device(unknown_device),
        "ResourceNotFoundException",
        "Device does not exist."
    );
}

TEST_F(device_sign_in, another_users_device_key_is_a_missing_device)
{
    auto const graces = make_device().insert(f_, grace_);
    EXPECT_AWS_ERROR(
        f_,
        "InitiateAuth",
        with_device(graces),
        "ResourceNotFoundException",
        "Device does not exist."
    );
}

TEST_F(device_sign_in, a_forgotten_device_key_is_a_missing_device)
{
    auto const key = make_device().not_remembered().insert(f_, frank_);
    f_.call(
        "AdminForgetDevice", {{"UserPoolId", pool_}, {"Username", "frank"}, {"DeviceKey", key}}
    );
    EXPECT_AWS_ERROR(
        f_, "InitiateAuth", with_device(key), "ResourceNotFoundException", "Device does not exist."
    );
}

TEST_F(device_sign_in, a_failed_device_lookup_creates_no_session)
{
    f_.error_of("InitiateAuth", with_device(unknown_device));
    EXPECT_EQ(sessions(), 0);
}

TEST_F(device_sign_in, a_device_key_is_ignored_when_the_pool_does_not_track_devices)
{
    auto const pool = make_pool().named("untracked").insert(f_);
    auto const client = make_client().insert(f_, pool);
    make_user("henry").with_password(password).insert(f_, pool);
    auto const result = sign_in(f_, client, "henry", password, {{"DEVICE_KEY", unknown_device}});
    EXPECT_FALSE(result.contains("NewDeviceMetadata"));
    EXPECT_FALSE(claims_of(result.at("AccessToken")).contains("device_key"));
}

TEST_F(device_sign_in, a_pool_without_device_tracking_gives_no_new_device_metadata)
{
    auto const pool = make_pool().named("untracked").insert(f_);
    auto const client = make_client().insert(f_, pool);
    make_user("henry").with_password(password).insert(f_, pool);
    auto const result = sign_in(f_, client, "henry", password);
    EXPECT_FALSE(result.contains("NewDeviceMetadata"));
    EXPECT_FALSE(claims_of(result.at("AccessToken")).contains("device_key"));
}
