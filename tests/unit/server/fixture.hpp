// Test helpers for server/: an in-memory store, a fixed clock and counting ids behind a real
// dispatcher, and builders that create pools, users and devices the way a client would.
// Not thread-safe: one fixture per test.
#pragma once

#include "schema/service_model.hpp"
#include "server/aws_error.hpp"
#include "server/dispatcher.hpp"
#include "server/ids.hpp"
#include "storage/store.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cognitod::testing
{

using nlohmann::json;

constexpr std::int64_t t0 = 1'715'100'742'022; // 2024-05-07T16:52:22.022Z
constexpr char const* account_id = "123456789012";

// Parsed once per test binary (it takes a moment); const, so sharing it is safe.
inline schema::service_model const& cognito_model()
{
    static schema::service_model const model =
        schema::service_model::parse(schema::embedded_model_json());
    return model;
}

class fixed_clock final : public clock
{
public:
    std::int64_t now = t0;
    std::int64_t now_ms() const override { return now; }
};

struct fixture
{
    storage::store store{":memory:"};
    fixed_clock time;
    counting_ids ids;
    dispatcher calls{cognito_model(), store, time, ids, "us-east-1", account_id};
    call_info info{"11111111-2222-4333-8444-555555555555", "", "192.0.2.1", "http://cognitod.test"};

    json call(std::string_view operation, json const& input) const
    {
        return calls.invoke(operation, input, info);
    }

    // The aws_error the call throws; a test failure (and an empty error) when it succeeds.
    aws_error error_of(std::string_view operation, json const& input) const
    {
        try
        {
            auto const output = call(operation, input);
            ADD_FAILURE() << operation << " succeeded: " << output.dump();
        }
        catch (aws_error const& e)
        {
            return e;
        }
        return {"(none)", ""};
    }
};

// Expects the call to fail with exactly this code and message.
#define EXPECT_AWS_ERROR(fixture, operation, input, expected_code, expected_message)               \
    do                                                                                             \
    {                                                                                              \
        auto const error_ = (fixture).error_of((operation), (input));                              \
        EXPECT_EQ(error_.code(), (expected_code));                                                 \
        EXPECT_EQ(std::string{error_.what()}, (expected_message));                                 \
    } while (false)

class pool_builder
{
    json input_{{"PoolName", "test-pool"}};

public:
    pool_builder& named(std::string name)
    {
        input_["PoolName"] = std::move(name);
        return *this;
    }
    pool_builder& with_device_tracking(bool remembered_only_on_prompt = false)
    {
        input_["DeviceConfiguration"] = {
            {"ChallengeRequiredOnNewDevice", false},
            {"DeviceOnlyRememberedOnUserPrompt", remembered_only_on_prompt}};
        return *this;
    }
    pool_builder& with_email_alias()
    {
        input_["AliasAttributes"] = {"email"};
        return *this;
    }
    pool_builder& with_email_username()
    {
        input_["UsernameAttributes"] = {"email"};
        return *this;
    }
    pool_builder& case_insensitive()
    {
        input_["UsernameConfiguration"] = {{"CaseSensitive", false}};
        return *this;
    }
    pool_builder& with_deletion_protection()
    {
        input_["DeletionProtection"] = "ACTIVE";
        return *this;
    }
    pool_builder& with(std::string const& member, json value)
    {
        input_[member] = std::move(value);
        return *this;
    }
    json const& input() const { return input_; }
    // Creates the pool through CreateUserPool; returns its id.
    std::string insert(fixture& f) const
    {
        return f.call("CreateUserPool", input_).at("UserPool").at("Id").get<std::string>();
    }
};

inline pool_builder make_pool()
{
    return {};
}

struct created_user
{
    std::string pool_id;
    std::string username; // as Cognito reports it (the sub in email-username pools)
    std::string sub;
    std::int64_t id = 0; // the store's row id
};

class user_builder
{
    std::string username_;
    json attributes_ = json::array();
    std::optional<std::string> permanent_password_;

public:
    explicit user_builder(std::string username) : username_(std::move(username)) {}

    user_builder& with(std::string name, std::string value)
    {
        attributes_.push_back({{"Name", std::move(name)}, {"Value", std::move(value)}});
        return *this;
    }
    user_builder& with_email(std::string email, bool verified)
    {
        with("email", std::move(email));
        return with("email_verified", verified ? "true" : "false");
    }
    user_builder& with_password(std::string password)
    {
        permanent_password_ = std::move(password);
        return *this;
    }
    // Creates the user through AdminCreateUser (and AdminSetUserPassword when a password is set).
    created_user insert(fixture& f, std::string const& pool_id) const
    {
        json input{{"UserPoolId", pool_id}, {"Username", username_}};
        if (!attributes_.empty())
        {
            input["UserAttributes"] = attributes_;
        }
        auto const user = f.call("AdminCreateUser", input).at("User");
        created_user out;
        out.pool_id = pool_id;
        out.username = user.at("Username").get<std::string>();
        out.sub = user.at("Attributes").at(0).at("Value").get<std::string>();
        if (permanent_password_)
        {
            f.call(
                "AdminSetUserPassword",
                {{"UserPoolId", pool_id},
                 {"Username", out.username},
                 {"Password", *permanent_password_},
                 {"Permanent", true}}
            );
        }
        auto const pool = f.store.find_user_pool(pool_id);
        out.id = f.store.find_user_by_sub(pool->seq, out.sub)->id;
        return out;
    }
};

inline user_builder make_user(std::string username)
{
    return user_builder{std::move(username)};
}

// Devices are created by sign-in flows that are not operations of their own, so the builder
// writes them to the store as ConfirmDevice would.
class device_builder
{
    storage::device device_;

public:
    device_builder()
    {
        device_.group_key = "-aBcDeFgH1";
        device_.name = "Alice's iPhone";
        device_.remembered = true;
        device_.confirmed = true;
        device_.last_ip = "192.0.2.10";
        device_.created = t0;
        device_.last_modified = t0;
        device_.last_authenticated = t0;
    }
    device_builder& not_remembered()
    {
        device_.remembered = false;
        return *this;
    }
    device_builder& named(std::string name)
    {
        device_.name = std::move(name);
        return *this;
    }
    // Returns the device key ("us-east-1_<uuid>").
    std::string insert(fixture& f, created_user const& owner)
    {
        device_.key = "us-east-1_" + f.ids.uuid();
        device_.user_id = owner.id;
        f.store.insert_device(device_);
        return device_.key;
    }
};

inline device_builder make_device()
{
    return {};
}

// The device keys of a DeviceType list, in order.
inline std::vector<std::string> device_keys(json const& devices)
{
    std::vector<std::string> keys;
    for (auto const& d : devices)
    {
        keys.push_back(d.at("DeviceKey").get<std::string>());
    }
    return keys;
}

// The value of the named {Name, Value} attribute in list, or nullopt.
inline std::optional<std::string> attribute_in(json const& list, std::string_view name)
{
    for (auto const& a : list)
    {
        if (a.at("Name") == name)
        {
            return a.at("Value").get<std::string>();
        }
    }
    return std::nullopt;
}

} // namespace cognitod::testing
