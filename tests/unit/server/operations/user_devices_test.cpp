// ConfirmDevice, GetDevice, ListDevices, UpdateDeviceStatus and ForgetDevice, called with the
// user's own access token.
#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace
{

using namespace cognitod::testing;

constexpr char const* password = "Passw0rd!";
constexpr char const* unknown_device = "us-east-1_99999999-9999-4999-8999-999999999999";
// base64 of "verifier" and "salt-bytes".
constexpr char const* verifier_b64 = "dmVyaWZpZXI=";
constexpr char const* salt_b64 = "c2FsdC1ieXRlcw==";

std::set<std::string> attribute_names(json const& device)
{
    std::set<std::string> names;
    for (auto const& a : device.at("DeviceAttributes"))
    {
        names.insert(a.at("Name").get<std::string>());
    }
    return names;
}

// frank signed in on a pool that tracks devices; device_ is the device that sign-in made.
class user_devices : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().with_device_tracking().insert(f_);
    created_client client_ = make_client().insert(f_, pool_);
    created_user frank_ = make_user("frank").with_password(password).insert(f_, pool_);
    created_user grace_ = make_user("grace").with_password(password).insert(f_, pool_);
    json tokens_ = sign_in(f_, client_, "frank", password);
    std::string access_ = tokens_.at("AccessToken").get<std::string>();
    std::string device_ = tokens_.at("NewDeviceMetadata").at("DeviceKey").get<std::string>();

    json confirm(std::string const& key, json extra = json::object()) const
    {
        extra.emplace("AccessToken", access_);
        extra["DeviceKey"] = key;
        extra.emplace(
            "DeviceSecretVerifierConfig",
            json{{"PasswordVerifier", verifier_b64}, {"Salt", salt_b64}}
        );
        return f_.call("ConfirmDevice", extra);
    }

    json admin_device(std::string const& username, std::string const& key) const
    {
        return f_
            .call(
                "AdminGetDevice",
                {{"UserPoolId", pool_}, {"Username", username}, {"DeviceKey", key}}
            )
            .at("Device");
    }

    std::optional<std::string> remembered_status(std::string const& key) const
    {
        return attribute_in(
            admin_device("frank", key).at("DeviceAttributes"), "dev:device_remembered_status"
        );
    }

    json list(json extra = json::object()) const
    {
        extra["AccessToken"] = access_;
        return f_.call("ListDevices", extra);
    }

    json key_input(std::string const& key) const
    {
        return {{"AccessToken", access_}, {"DeviceKey", key}};
    }
};

// The same, on a pool that remembers devices only when the user says so.
class user_devices_on_prompt : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ =
        make_pool().with_device_tracking(/*remembered_only_on_prompt=*/true).insert(f_);
    created_client client_ = make_client().insert(f_, pool_);
    created_user frank_ = make_user("frank").with_password(password).insert(f_, pool_);
    json tokens_ = sign_in(f_, client_, "frank", password);
    std::string access_ = tokens_.at("AccessToken").get<std::string>();
    std::string device_ = tokens_.at("NewDeviceMetadata").at("DeviceKey").get<std::string>();

    json confirm() const
    {
        return f_.call(
            "ConfirmDevice",
            {{"AccessToken", access_},
             {"DeviceKey", device_},
             {"DeviceSecretVerifierConfig",
              {{"PasswordVerifier", verifier_b64}, {"Salt", salt_b64}}}}
        );
    }

    std::optional<std::string> remembered_status() const
    {
        auto const device =
            f_.call(
                  "AdminGetDevice",
                  {{"UserPoolId", pool_}, {"Username", "frank"}, {"DeviceKey", device_}}
            ).at("Device");
        return attribute_in(device.at("DeviceAttributes"), "dev:device_remembered_status");
    }
};

} // namespace

// ConfirmDevice

TEST_F(user_devices, confirm_device_needs_no_user_confirmation_when_the_pool_always_remembers)
{
    EXPECT_EQ(confirm(device_), (json{{"UserConfirmationNecessary", false}}));
}

TEST_F(user_devices, a_confirmed_device_is_remembered_at_once_when_the_pool_always_remembers)
{
    ASSERT_EQ(remembered_status(device_), "not_remembered");
    confirm(device_);
    EXPECT_EQ(remembered_status(device_), "remembered");
    EXPECT_EQ(device_keys(list().at("Devices")), std::vector<std::string>{device_});
}

TEST_F(user_devices_on_prompt, confirm_device_asks_for_user_confirmation)
{
    EXPECT_EQ(confirm(), (json{{"UserConfirmationNecessary", true}}));
}

TEST_F(user_devices_on_prompt, a_confirmed_device_stays_not_remembered_until_the_user_says_so)
{
    confirm();
    EXPECT_EQ(remembered_status(), "not_remembered");
    f_.call(
        "UpdateDeviceStatus",
        {{"AccessToken", access_}, {"DeviceKey", device_}, {"DeviceRememberedStatus", "remembered"}}
    );
    EXPECT_EQ(remembered_status(), "remembered");
}

TEST_F(user_devices_on_prompt, confirming_again_keeps_a_remembered_device_remembered)
{
    confirm();
    f_.call(
        "UpdateDeviceStatus",
        {{"AccessToken", access_}, {"DeviceKey", device_}, {"DeviceRememberedStatus", "remembered"}}
    );
    EXPECT_EQ(confirm(), (json{{"UserConfirmationNecessary", true}}));
    EXPECT_EQ(remembered_status(), "remembered");
}

TEST_F(user_devices, confirm_device_names_the_device)
{
    confirm(device_, {{"DeviceName", "Frank's laptop"}});
    EXPECT_EQ(
        attribute_in(admin_device("frank", device_).at("DeviceAttributes"), "device_name"),
        "Frank's laptop"
    );
}

TEST_F(user_devices, confirm_device_stores_the_verifier_and_salt_as_bytes)
{
    confirm(device_);
    auto const stored = f_.store.read()->find_device(frank_.id, device_);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->verifier, "verifier");
    EXPECT_EQ(stored->salt, "salt-bytes");
    EXPECT_TRUE(stored->confirmed);
}

TEST_F(user_devices, confirming_twice_succeeds_with_the_same_answer)
{
    confirm(device_);
    EXPECT_EQ(
        confirm(device_, {{"DeviceName", "renamed"}}), (json{{"UserConfirmationNecessary", false}})
    );
    EXPECT_EQ(
        attribute_in(admin_device("frank", device_).at("DeviceAttributes"), "device_name"),
        "renamed"
    );
}

TEST_F(user_devices, confirm_device_refuses_a_key_that_is_not_the_tokens_device)
{
    auto const other = make_device().not_remembered().insert(f_, frank_);
    EXPECT_AWS_ERROR(
        f_,
        "ConfirmDevice",
        (json{
            {"AccessToken", access_},
            {"DeviceKey", other},
            {"DeviceSecretVerifierConfig",
             {{"PasswordVerifier", verifier_b64}, {"Salt", salt_b64}}}}),
        "InvalidParameterException",
        "Invalid device key given."
    );
}

TEST_F(user_devices, confirm_device_refuses_an_unknown_key)
{
    EXPECT_AWS_ERROR(
        f_,
        "ConfirmDevice",
        (json{
            {"AccessToken", access_},
            {"DeviceKey", unknown_device},
            {"DeviceSecretVerifierConfig",
             {{"PasswordVerifier", verifier_b64}, {"Salt", salt_b64}}}}),
        "InvalidParameterException",
        "Invalid device key given."
    );
}

TEST_F(user_devices, confirm_device_refuses_a_token_without_a_device)
{
    auto const plain_pool = make_pool().named("untracked").insert(f_);
    auto const client = make_client().insert(f_, plain_pool);
    make_user("frank").with_password(password).insert(f_, plain_pool);
    auto const token = sign_in(f_, client, "frank", password).at("AccessToken");
    EXPECT_AWS_ERROR(
        f_,
        "ConfirmDevice",
        (json{
            {"AccessToken", token},
            {"DeviceKey", device_},
            {"DeviceSecretVerifierConfig",
             {{"PasswordVerifier", verifier_b64}, {"Salt", salt_b64}}}}),
        "InvalidParameterException",
        "Invalid device key given."
    );
}

TEST_F(user_devices, confirm_device_refuses_a_verifier_that_is_not_base64)
{
    auto const error = f_.error_of(
        "ConfirmDevice",
        {{"AccessToken", access_},
         {"DeviceKey", device_},
         {"DeviceSecretVerifierConfig", {{"PasswordVerifier", "not base64!"}, {"Salt", salt_b64}}}}
    );
    EXPECT_EQ(error.code(), "InvalidParameterException");
    auto const stored = f_.store.read()->find_device(frank_.id, device_);
    ASSERT_TRUE(stored);
    EXPECT_FALSE(stored->confirmed);
}

TEST_F(user_devices, confirm_device_refuses_a_missing_verifier_config)
{
    EXPECT_EQ(
        f_.error_of("ConfirmDevice", {{"AccessToken", access_}, {"DeviceKey", device_}}).code(),
        "InvalidParameterException"
    );
}

// GetDevice

TEST_F(user_devices, get_device_omits_the_dev_attributes)
{
    confirm(device_, {{"DeviceName", "laptop"}});
    auto const device = f_.call("GetDevice", key_input(device_)).at("Device");
    EXPECT_EQ(device.at("DeviceKey"), device_);
    EXPECT_EQ(
        attribute_names(device),
        (std::set<std::string>{"device_status", "device_name", "last_ip_used"})
    );
}

TEST_F(user_devices, get_device_shows_an_unconfirmed_device_of_the_user)
{
    EXPECT_EQ(f_.call("GetDevice", key_input(device_)).at("Device").at("DeviceKey"), device_);
}

TEST_F(user_devices, get_device_does_not_show_another_users_device)
{
    auto const graces = make_device().insert(f_, grace_);
    EXPECT_AWS_ERROR(
        f_, "GetDevice", key_input(graces), "ResourceNotFoundException", "Device does not exist."
    );
}

TEST_F(user_devices, get_device_rejects_an_unknown_key)
{
    EXPECT_AWS_ERROR(
        f_,
        "GetDevice",
        key_input(unknown_device),
        "ResourceNotFoundException",
        "Device does not exist."
    );
}

// ListDevices

TEST_F(user_devices, list_devices_shows_remembered_devices_without_dev_attributes)
{
    auto const phone = make_device().named("phone").insert(f_, frank_);
    auto const devices = list().at("Devices");
    ASSERT_EQ(device_keys(devices), std::vector<std::string>{phone});
    EXPECT_EQ(
        attribute_names(devices.at(0)),
        (std::set<std::string>{"device_status", "device_name", "last_ip_used"})
    );
}

TEST_F(user_devices, list_devices_shows_only_the_tokens_user)
{
    make_device().insert(f_, grace_);
    EXPECT_EQ(list().at("Devices"), json::array());
}

TEST_F(user_devices, list_devices_pages_with_limit)
{
    auto const one = make_device().named("one").insert(f_, frank_);
    auto const two = make_device().named("two").insert(f_, frank_);
    auto const page1 = list({{"Limit", 1}});
    EXPECT_EQ(device_keys(page1.at("Devices")), std::vector<std::string>{one});
    ASSERT_TRUE(page1.contains("PaginationToken"));
    auto const page2 = list({{"Limit", 1}, {"PaginationToken", page1.at("PaginationToken")}});
    EXPECT_EQ(device_keys(page2.at("Devices")), std::vector<std::string>{two});
    EXPECT_FALSE(page2.contains("PaginationToken"));
}

// UpdateDeviceStatus

TEST_F(user_devices, update_device_status_not_remembered_takes_it_off_the_list)
{
    auto const phone = make_device().insert(f_, frank_);
    EXPECT_EQ(
        f_.call(
            "UpdateDeviceStatus",
            {{"AccessToken", access_},
             {"DeviceKey", phone},
             {"DeviceRememberedStatus", "not_remembered"}}
        ),
        json::object()
    );
    EXPECT_EQ(list().at("Devices"), json::array());
    EXPECT_EQ(remembered_status(phone), "not_remembered");
}

TEST_F(user_devices, update_device_status_remembered_puts_it_on_the_list)
{
    auto const phone = make_device().not_remembered().insert(f_, frank_);
    f_.call(
        "UpdateDeviceStatus",
        {{"AccessToken", access_}, {"DeviceKey", phone}, {"DeviceRememberedStatus", "remembered"}}
    );
    EXPECT_EQ(device_keys(list().at("Devices")), std::vector<std::string>{phone});
}

TEST_F(user_devices, update_device_status_does_not_touch_another_users_device)
{
    auto const graces = make_device().insert(f_, grace_);
    EXPECT_AWS_ERROR(
        f_,
        "UpdateDeviceStatus",
        (json{
            {"AccessToken", access_},
            {"DeviceKey", graces},
            {"DeviceRememberedStatus", "not_remembered"}}),
        "ResourceNotFoundException",
        "Device does not exist."
    );
    EXPECT_EQ(
        attribute_in(
            admin_device("grace", graces).at("DeviceAttributes"), "dev:device_remembered_status"
        ),
        "remembered"
    );
}

// ForgetDevice

TEST_F(user_devices, forget_device_removes_the_device)
{
    EXPECT_EQ(f_.call("ForgetDevice", key_input(device_)), json::object());
    EXPECT_AWS_ERROR(
        f_, "GetDevice", key_input(device_), "ResourceNotFoundException", "Device does not exist."
    );
}

TEST_F(user_devices, forget_device_of_another_users_key_is_a_missing_device)
{
    auto const graces = make_device().insert(f_, grace_);
    EXPECT_AWS_ERROR(
        f_, "ForgetDevice", key_input(graces), "ResourceNotFoundException", "Device does not exist."
    );
    EXPECT_EQ(admin_device("grace", graces).at("DeviceKey"), graces);
}

TEST_F(user_devices, forget_device_twice_reports_it_missing)
{
    f_.call("ForgetDevice", key_input(device_));
    EXPECT_AWS_ERROR(
        f_,
        "ForgetDevice",
        key_input(device_),
        "ResourceNotFoundException",
        "Device does not exist."
    );
}

// Access tokens on device operations

TEST_F(user_devices, an_expired_access_token_is_refused)
{
    f_.time.now = t0 + 3601 * 1000;
    EXPECT_AWS_ERROR(
        f_,
        "ListDevices",
        (json{{"AccessToken", access_}}),
        "NotAuthorizedException",
        "Access Token has expired"
    );
}

TEST_F(user_devices, a_forged_access_token_is_refused)
{
    auto claims = claims_of(access_);
    claims["sub"] = grace_.sub;
    claims["username"] = "grace";
    EXPECT_AWS_ERROR(
        f_,
        "ForgetDevice",
        (json{{"AccessToken", with_payload(access_, claims)}, {"DeviceKey", device_}}),
        "NotAuthorizedException",
        "Invalid Access Token"
    );
}

TEST_F(user_devices, a_revoked_access_token_is_refused)
{
    f_.call("GlobalSignOut", {{"AccessToken", access_}});
    EXPECT_AWS_ERROR(
        f_,
        "GetDevice",
        key_input(device_),
        "NotAuthorizedException",
        "Access Token has been revoked"
    );
}
