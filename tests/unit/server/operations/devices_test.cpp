#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace
{

using namespace cognitod::testing;

constexpr char const* unknown_device = "us-east-1_99999999-9999-4999-8999-999999999999";

// A pool with device tracking, alice with two remembered devices and bob with one.
class device_operations : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().with_device_tracking().insert(f_);
    created_user alice_ = make_user("alice").insert(f_, pool_);
    created_user bob_ = make_user("bob").insert(f_, pool_);
    std::string phone_ = make_device().named("phone").insert(f_, alice_);
    std::string laptop_ = make_device().named("laptop").insert(f_, alice_);
    std::string bobs_ = make_device().insert(f_, bob_);

    json target(std::string const& username, std::string const& key) const
    {
        return {{"UserPoolId", pool_}, {"Username", username}, {"DeviceKey", key}};
    }

    json list(std::string const& username, json extra = json::object())
    {
        extra["UserPoolId"] = pool_;
        extra["Username"] = username;
        return f_.call("AdminListDevices", extra);
    }
};

} // namespace

// AdminForgetDevice

TEST_F(device_operations, admin_forget_device_answers_an_empty_object)
{
    EXPECT_EQ(f_.call("AdminForgetDevice", target("alice", phone_)), json::object());
}

TEST_F(device_operations, a_forgotten_device_is_gone_from_admin_get_device)
{
    f_.call("AdminForgetDevice", target("alice", phone_));
    EXPECT_AWS_ERROR(
        f_,
        "AdminGetDevice",
        target("alice", phone_),
        "ResourceNotFoundException",
        "Device does not exist."
    );
}

TEST_F(device_operations, a_forgotten_device_is_gone_from_admin_list_devices)
{
    f_.call("AdminForgetDevice", target("alice", phone_));
    EXPECT_EQ(device_keys(list("alice").at("Devices")), std::vector<std::string>{laptop_});
}

TEST_F(device_operations, a_forgotten_device_cannot_have_its_status_updated)
{
    f_.call("AdminForgetDevice", target("alice", phone_));
    auto input = target("alice", phone_);
    input["DeviceRememberedStatus"] = "remembered";
    EXPECT_AWS_ERROR(
        f_, "AdminUpdateDeviceStatus", input, "ResourceNotFoundException", "Device does not exist."
    );
}

TEST_F(device_operations, forgetting_a_device_twice_reports_it_missing_the_second_time)
{
    f_.call("AdminForgetDevice", target("alice", phone_));
    EXPECT_AWS_ERROR(
        f_,
        "AdminForgetDevice",
        target("alice", phone_),
        "ResourceNotFoundException",
        "Device does not exist."
    );
}

TEST_F(device_operations, admin_forget_device_rejects_an_unknown_pool)
{
    auto input = target("alice", phone_);
    input["UserPoolId"] = "us-east-1_AAAAAAAAA";
    EXPECT_AWS_ERROR(
        f_,
        "AdminForgetDevice",
        input,
        "ResourceNotFoundException",
        "User pool us-east-1_AAAAAAAAA does not exist."
    );
}

TEST_F(device_operations, admin_forget_device_rejects_an_unknown_user)
{
    EXPECT_AWS_ERROR(
        f_,
        "AdminForgetDevice",
        target("mallory", phone_),
        "UserNotFoundException",
        "User does not exist."
    );
}

TEST_F(device_operations, admin_forget_device_rejects_an_unknown_device_key)
{
    EXPECT_AWS_ERROR(
        f_,
        "AdminForgetDevice",
        target("alice", unknown_device),
        "ResourceNotFoundException",
        "Device does not exist."
    );
}

TEST_F(device_operations, admin_forget_device_rejects_a_device_of_another_user)
{
    EXPECT_AWS_ERROR(
        f_,
        "AdminForgetDevice",
        target("alice", bobs_),
        "ResourceNotFoundException",
        "Device does not exist."
    );
}

TEST_F(device_operations, a_device_refused_as_another_users_stays_with_its_owner)
{
    static_cast<void>(f_.error_of("AdminForgetDevice", target("alice", bobs_)));
    auto const device = f_.call("AdminGetDevice", target("bob", bobs_)).at("Device");
    EXPECT_EQ(device.at("DeviceKey"), bobs_);
    EXPECT_EQ(device_keys(list("bob").at("Devices")), std::vector<std::string>{bobs_});
}

TEST_F(device_operations, admin_forget_device_without_device_key_fails_validation_like_aws)
{
    EXPECT_AWS_ERROR(
        f_,
        "AdminForgetDevice",
        json({{"UserPoolId", pool_}, {"Username", "alice"}}),
        "InvalidParameterException",
        "1 validation error detected: Value null at 'deviceKey' failed to satisfy constraint: "
        "Member must not be null"
    );
}

TEST_F(device_operations, validation_comes_before_the_pool_lookup)
{
    EXPECT_AWS_ERROR(
        f_,
        "AdminForgetDevice",
        json({{"UserPoolId", "us-east-1_AAAAAAAAA"}, {"Username", "alice"}}),
        "InvalidParameterException",
        "1 validation error detected: Value null at 'deviceKey' failed to satisfy constraint: "
        "Member must not be null"
    );
}

TEST_F(device_operations, admin_forget_device_finds_the_user_by_sub)
{
    f_.call("AdminForgetDevice", target(alice_.sub, phone_));
    EXPECT_EQ(device_keys(list("alice").at("Devices")), std::vector<std::string>{laptop_});
}

TEST(admin_forget_device, finds_the_user_by_verified_email_alias)
{
    fixture f;
    auto const pool = make_pool().with_device_tracking().with_email_alias().insert(f);
    auto const alice = make_user("alice").with_email("alice@example.com", true).insert(f, pool);
    auto const key = make_device().insert(f, alice);
    f.call(
        "AdminForgetDevice",
        {{"UserPoolId", pool}, {"Username", "alice@example.com"}, {"DeviceKey", key}}
    );
    EXPECT_FALSE(f.store.read()->find_device_by_key(key));
}

TEST(admin_forget_device, does_not_find_the_user_by_an_unverified_email_alias)
{
    fixture f;
    auto const pool = make_pool().with_device_tracking().with_email_alias().insert(f);
    auto const alice = make_user("alice").with_email("alice@example.com", false).insert(f, pool);
    auto const key = make_device().insert(f, alice);
    EXPECT_AWS_ERROR(
        f,
        "AdminForgetDevice",
        json({{"UserPoolId", pool}, {"Username", "alice@example.com"}, {"DeviceKey", key}}),
        "UserNotFoundException",
        "User does not exist."
    );
    EXPECT_TRUE(f.store.read()->find_device_by_key(key));
}

TEST(admin_forget_device, matches_the_username_without_regard_to_case_when_the_pool_says_so)
{
    fixture f;
    auto const pool = make_pool().with_device_tracking().case_insensitive().insert(f);
    auto const alice = make_user("Alice").insert(f, pool);
    auto const key = make_device().insert(f, alice);
    f.call("AdminForgetDevice", {{"UserPoolId", pool}, {"Username", "aLICE"}, {"DeviceKey", key}});
    EXPECT_FALSE(f.store.read()->find_device_by_key(key));
}

TEST(admin_forget_device, matches_the_username_exactly_in_a_case_sensitive_pool)
{
    fixture f;
    auto const pool =
        make_pool().with_device_tracking().with(
                                              "UsernameConfiguration", {{"CaseSensitive", true}}
        ).insert(f);
    auto const alice = make_user("Alice").insert(f, pool);
    auto const key = make_device().insert(f, alice);
    EXPECT_AWS_ERROR(
        f,
        "AdminForgetDevice",
        json({{"UserPoolId", pool}, {"Username", "alice"}, {"DeviceKey", key}}),
        "UserNotFoundException",
        "User does not exist."
    );
}

// AdminGetDevice

TEST_F(device_operations, admin_get_device_shows_the_admin_attributes_in_aws_order)
{
    auto const device = f_.call("AdminGetDevice", target("alice", phone_)).at("Device");
    json const expected_attributes = json::array({
        {{"Name", "device_status"}, {"Value", "valid"}},
        {{"Name", "device_name"}, {"Value", "phone"}},
        {{"Name", "dev:device_arn"},
         {"Value",
          "arn:aws:cognito-idp:us-east-1:123456789012:owner/alice." + pool_ + "/device/" + phone_}},
        {{"Name", "dev:device_owner"}, {"Value", "alice." + pool_}},
        {{"Name", "last_ip_used"}, {"Value", "192.0.2.10"}},
        {{"Name", "dev:device_remembered_status"}, {"Value", "remembered"}},
        {{"Name", "dev:device_sdk"}, {"Value", "aws-sdk"}},
    });
    EXPECT_EQ(device.at("DeviceAttributes"), expected_attributes);
}

TEST_F(device_operations, admin_get_device_prints_dates_as_epoch_seconds)
{
    auto const device = f_.call("AdminGetDevice", target("alice", phone_)).at("Device");
    EXPECT_DOUBLE_EQ(device.at("DeviceCreateDate").get<double>(), 1715100742.022);
    EXPECT_DOUBLE_EQ(device.at("DeviceLastModifiedDate").get<double>(), 1715100742.022);
    // The last sign-in is kept to the second.
    EXPECT_DOUBLE_EQ(device.at("DeviceLastAuthenticatedDate").get<double>(), 1715100742.0);
}

// AdminListDevices

TEST(admin_list_devices, pages_through_five_devices_two_at_a_time)
{
    fixture f;
    auto const pool = make_pool().with_device_tracking().insert(f);
    auto const alice = make_user("alice").insert(f, pool);
    std::vector<std::string> created;
    for (int i = 0; i < 5; ++i)
    {
        created.push_back(make_device().insert(f, alice));
    }
    json input{{"UserPoolId", pool}, {"Username", "alice"}, {"Limit", 2}};
    std::vector<std::string> seen;
    std::vector<std::size_t> page_sizes;
    for (int page = 0; page < 10; ++page)
    {
        auto const out = f.call("AdminListDevices", input);
        auto const keys = device_keys(out.at("Devices"));
        page_sizes.push_back(keys.size());
        seen.insert(seen.end(), keys.begin(), keys.end());
        if (!out.contains("PaginationToken"))
        {
            break;
        }
        input["PaginationToken"] = out.at("PaginationToken");
    }
    EXPECT_EQ(page_sizes, (std::vector<std::size_t>{2, 2, 1}));
    EXPECT_EQ(seen, created);
}

TEST(admin_list_devices, gives_no_token_when_everything_fits)
{
    fixture f;
    auto const pool = make_pool().with_device_tracking().insert(f);
    auto const alice = make_user("alice").insert(f, pool);
    make_device().insert(f, alice);
    make_device().insert(f, alice);
    auto const out =
        f.call("AdminListDevices", {{"UserPoolId", pool}, {"Username", "alice"}, {"Limit", 2}});
    EXPECT_EQ(out.at("Devices").size(), 2U);
    EXPECT_FALSE(out.contains("PaginationToken"));
}

TEST_F(device_operations, admin_list_devices_lists_only_remembered_devices)
{
    make_device().not_remembered().insert(f_, alice_);
    auto const keys = device_keys(list("alice").at("Devices"));
    EXPECT_EQ(keys, (std::vector<std::string>{phone_, laptop_}));
}

TEST_F(device_operations, admin_list_devices_refuses_a_token_from_another_list)
{
    make_user("carol").insert(f_, pool_);
    auto const users = f_.call("ListUsers", {{"UserPoolId", pool_}, {"Limit", 1}});
    auto const token = users.at("PaginationToken").get<std::string>();
    EXPECT_AWS_ERROR(
        f_,
        "AdminListDevices",
        json({{"UserPoolId", pool_}, {"Username", "alice"}, {"PaginationToken", token}}),
        "InvalidParameterException",
        "Paging marker " + token + " is invalid for request " + f_.info.request_id
    );
}

TEST_F(device_operations, admin_list_devices_refuses_a_made_up_token)
{
    auto const error = f_.error_of(
        "AdminListDevices",
        {{"UserPoolId", pool_}, {"Username", "alice"}, {"PaginationToken", "not-a-token"}}
    );
    EXPECT_EQ(error.code(), "InvalidParameterException");
}

TEST_F(device_operations, admin_list_devices_rejects_an_unknown_user)
{
    EXPECT_AWS_ERROR(
        f_,
        "AdminListDevices",
        json({{"UserPoolId", pool_}, {"Username", "mallory"}}),
        "UserNotFoundException",
        "User does not exist."
    );
}

// AdminUpdateDeviceStatus

TEST_F(device_operations, not_remembered_status_takes_the_device_off_the_list)
{
    auto input = target("alice", phone_);
    input["DeviceRememberedStatus"] = "not_remembered";
    EXPECT_EQ(f_.call("AdminUpdateDeviceStatus", input), json::object());
    EXPECT_EQ(device_keys(list("alice").at("Devices")), std::vector<std::string>{laptop_});
    auto const device = f_.call("AdminGetDevice", target("alice", phone_)).at("Device");
    EXPECT_EQ(
        attribute_in(device.at("DeviceAttributes"), "dev:device_remembered_status"),
        "not_remembered"
    );
}

TEST_F(device_operations, remembered_status_puts_the_device_back_on_the_list)
{
    auto const hidden = make_device().not_remembered().insert(f_, alice_);
    auto input = target("alice", hidden);
    input["DeviceRememberedStatus"] = "remembered";
    f_.call("AdminUpdateDeviceStatus", input);
    EXPECT_EQ(
        device_keys(list("alice").at("Devices")),
        (std::vector<std::string>{phone_, laptop_, hidden})
    );
}

TEST_F(device_operations, updating_the_status_bumps_the_last_modified_date)
{
    f_.time.now = t0 + 60'000;
    auto input = target("alice", phone_);
    input["DeviceRememberedStatus"] = "not_remembered";
    f_.call("AdminUpdateDeviceStatus", input);
    auto const device = f_.call("AdminGetDevice", target("alice", phone_)).at("Device");
    EXPECT_DOUBLE_EQ(device.at("DeviceLastModifiedDate").get<double>(), 1715100802.022);
    EXPECT_DOUBLE_EQ(device.at("DeviceCreateDate").get<double>(), 1715100742.022);
}

TEST_F(device_operations, admin_update_device_status_rejects_a_status_outside_the_enum)
{
    auto input = target("alice", phone_);
    input["DeviceRememberedStatus"] = "forgotten";
    auto const error = f_.error_of("AdminUpdateDeviceStatus", input);
    EXPECT_EQ(error.code(), "InvalidParameterException");
    EXPECT_EQ(
        std::string{error.what()}.rfind(
            "1 validation error detected: Value 'forgotten' at 'deviceRememberedStatus' failed to "
            "satisfy constraint: Member must satisfy enum value set",
            0
        ),
        0U
    ) << error.what();
}

TEST_F(device_operations, admin_update_device_status_rejects_another_users_device)
{
    auto input = target("alice", bobs_);
    input["DeviceRememberedStatus"] = "not_remembered";
    EXPECT_AWS_ERROR(
        f_, "AdminUpdateDeviceStatus", input, "ResourceNotFoundException", "Device does not exist."
    );
    EXPECT_TRUE(f_.store.read()->find_device_by_key(bobs_)->remembered);
}

TEST(admin_forget_device, matches_an_email_alias_without_regard_to_case_when_the_pool_says_so)
{
    fixture f;
    auto const pool =
        make_pool().with_device_tracking().with_email_alias().case_insensitive().insert(f);
    auto const alice = make_user("alice").with_email("Alice@Example.com", true).insert(f, pool);
    auto const key = make_device().insert(f, alice);
    // CaseSensitive=false "also enables both preferred_username and email alias to be case
    // insensitive" (UsernameConfigurationType).
    f.call(
        "AdminForgetDevice",
        {{"UserPoolId", pool}, {"Username", "alice@example.com"}, {"DeviceKey", key}}
    );
    EXPECT_FALSE(f.store.read()->find_device_by_key(key));
}

TEST(admin_list_devices, keeps_paging_when_a_device_is_forgotten_between_pages)
{
    fixture f;
    auto const pool = make_pool().with_device_tracking().insert(f);
    auto const alice = make_user("alice").insert(f, pool);
    std::vector<std::string> created;
    for (int i = 0; i < 4; ++i)
    {
        created.push_back(make_device().insert(f, alice));
    }
    json input{{"UserPoolId", pool}, {"Username", "alice"}, {"Limit", 2}};
    auto const first = f.call("AdminListDevices", input);
    f.call(
        "AdminForgetDevice",
        {{"UserPoolId", pool}, {"Username", "alice"}, {"DeviceKey", created[1]}}
    );
    input["PaginationToken"] = first.at("PaginationToken");
    auto const second = f.call("AdminListDevices", input);
    EXPECT_EQ(
        device_keys(second.at("Devices")), (std::vector<std::string>{created[2], created[3]})
    );
}
