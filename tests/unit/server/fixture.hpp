// Test helpers for server/: an in-memory store, a fixed clock and counting ids behind a real
// dispatcher, and builders that create pools, users and devices the way a client would.
// Not thread-safe: one fixture per test.
#pragma once

#include "schema/service_model.hpp"
#include "server/auth/jwt.hpp"
#include "server/aws_error.hpp"
#include "server/dispatcher.hpp"
#include "server/ids.hpp"
#include "server/key_stock.hpp"
#include "server/logger.hpp"
#include "storage/store.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstdint>
#include <mutex>
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

// The emails a committed call hands to the mailer (--smtp).
class recorded_mail final : public mail_sink
{
    std::mutex mutex_;
    std::vector<storage::message> sent_;

public:
    void send(storage::message const& email) override
    {
        std::lock_guard lock{mutex_};
        sent_.push_back(email);
    }
    std::vector<storage::message> sent()
    {
        std::lock_guard lock{mutex_};
        return sent_;
    }
};

struct fixture
{
    storage::store store{":memory:"};
    recorded_mail mail;
    fixed_clock time;
    counting_ids ids;
    logger log{log_level::error};
    // No stock: a pool's keys are made when it first signs (the path a burst leads to).
    key_stock keys{store, log, 0};
    dispatcher calls{cognito_model(), store, time, ids, keys, "us-east-1", account_id, &mail};
    call_info info{"11111111-2222-4333-8444-555555555555", "", "192.0.2.1", "http://cognitod.test"};

    fixture() = default;
    // Over a database file, where reads run on reader connections beside the writer.
    explicit fixture(std::string const& db_path) : store{db_path} {}
    fixture(fixture const&) = delete;
    fixture& operator=(fixture const&) = delete;
    fixture(fixture&&) = delete;
    fixture& operator=(fixture&&) = delete;
    ~fixture() = default;

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
    // Makes a standard attribute required: Schema [{Name, Required: true}].
    pool_builder& requiring(std::string attribute)
    {
        input_["Schema"].push_back({{"Name", std::move(attribute)}, {"Required", true}});
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
    std::optional<std::string> temporary_password_;

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
    // Created with this TemporaryPassword, so the user stays in FORCE_CHANGE_PASSWORD.
    user_builder& with_temporary_password(std::string password)
    {
        temporary_password_ = std::move(password);
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
        if (temporary_password_)
        {
            input["TemporaryPassword"] = *temporary_password_;
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
        auto const reader = f.store.read();
        auto const pool = reader->find_user_pool(pool_id);
        out.id = reader->find_user_by_sub(pool->seq, out.sub)->id;
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
        f.store.write()->insert_device(device_);
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

struct created_client
{
    std::string pool_id;
    std::string id;
    std::string secret; // empty when the client has none
};

// App clients through CreateUserPoolClient. By default the client allows the password flows
// (user and admin) and refresh, which is what most sign-in tests need.
class client_builder
{
    json input_{
        {"ClientName", "test-client"},
        {"ExplicitAuthFlows",
         {"ALLOW_USER_PASSWORD_AUTH",
          "ALLOW_ADMIN_USER_PASSWORD_AUTH",
          "ALLOW_REFRESH_TOKEN_AUTH"}}};

public:
    client_builder& with_flows(std::vector<std::string> flows)
    {
        input_["ExplicitAuthFlows"] = std::move(flows);
        return *this;
    }
    client_builder& with_secret()
    {
        input_["GenerateSecret"] = true;
        return *this;
    }
    client_builder& with_rotation()
    {
        input_["RefreshTokenRotation"] = {{"Feature", "ENABLED"}, {"RetryGracePeriodSeconds", 0}};
        return *this;
    }
    client_builder& with(std::string const& member, json value)
    {
        input_[member] = std::move(value);
        return *this;
    }
    created_client insert(fixture& f, std::string const& pool_id) const
    {
        auto input = input_;
        input["UserPoolId"] = pool_id;
        auto const client = f.call("CreateUserPoolClient", input).at("UserPoolClient");
        return {
            pool_id,
            client.at("ClientId").get<std::string>(),
            client.value("ClientSecret", std::string{}),
        };
    }
};

inline client_builder make_client()
{
    return {};
}

// InitiateAuth's input for USER_PASSWORD_AUTH; extra AuthParameters (SECRET_HASH, DEVICE_KEY)
// merge in.
inline json password_auth_input(
    created_client const& client,
    std::string const& username,
    std::string const& password,
    json const& extra = json::object()
)
{
    json parameters{{"USERNAME", username}, {"PASSWORD", password}};
    parameters.update(extra);
    return {
        {"AuthFlow", "USER_PASSWORD_AUTH"},
        {"ClientId", client.id},
        {"AuthParameters", parameters}};
}

// InitiateAuth with USER_PASSWORD_AUTH.
inline json password_auth(
    fixture const& f,
    created_client const& client,
    std::string const& username,
    std::string const& password,
    json const& extra = json::object()
)
{
    return f.call("InitiateAuth", password_auth_input(client, username, password, extra));
}

// The AuthenticationResult of a successful USER_PASSWORD_AUTH sign-in.
inline json sign_in(
    fixture const& f,
    created_client const& client,
    std::string const& username,
    std::string const& password,
    json const& extra = json::object()
)
{
    return password_auth(f, client, username, password, extra).at("AuthenticationResult");
}

// AdminInitiateAuth with ADMIN_USER_PASSWORD_AUTH; extra AuthParameters merge in.
inline json admin_password_auth(
    fixture const& f,
    created_client const& client,
    std::string const& username,
    std::string const& password,
    json const& extra = json::object()
)
{
    json parameters{{"USERNAME", username}, {"PASSWORD", password}};
    parameters.update(extra);
    return f.call(
        "AdminInitiateAuth",
        {{"UserPoolId", client.pool_id},
         {"ClientId", client.id},
         {"AuthFlow", "ADMIN_USER_PASSWORD_AUTH"},
         {"AuthParameters", parameters}}
    );
}

// InitiateAuth with REFRESH_TOKEN_AUTH; extra AuthParameters (DEVICE_KEY, SECRET_HASH) merge in.
inline json refresh_auth(
    fixture const& f,
    created_client const& client,
    std::string const& refresh_token,
    json const& extra = json::object()
)
{
    json parameters{{"REFRESH_TOKEN", refresh_token}};
    parameters.update(extra);
    return f.call(
        "InitiateAuth",
        {{"AuthFlow", "REFRESH_TOKEN_AUTH"},
         {"ClientId", client.id},
         {"AuthParameters", parameters}}
    );
}

// SECRET_HASH as the SDKs compute it: base64(HMAC-SHA256(secret, username + client id)).
inline std::string secret_hash_for(
    std::string const& secret, std::string const& username, std::string const& client_id
)
{
    std::string const message = username + client_id;
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int size = 0;
    HMAC(
        EVP_sha256(),
        secret.data(),
        static_cast<int>(secret.size()),
        reinterpret_cast<unsigned char const*>(message.data()),
        message.size(),
        mac.data(),
        &size
    );
    std::array<char, 4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1> text{};
    int const n = EVP_EncodeBlock(
        reinterpret_cast<unsigned char*>(text.data()), mac.data(), static_cast<int>(size)
    );
    return {text.data(), static_cast<std::size_t>(n)};
}

// A JWT's payload as written, claim order kept; a test failure and null when it is not a JWT.
inline nlohmann::ordered_json raw_claims(std::string const& token)
{
    auto const first = token.find('.');
    auto const second = token.find('.', first + 1);
    auto const payload = first == std::string::npos || second == std::string::npos
                             ? std::nullopt
                             : auth::base64url_decode(token.substr(first + 1, second - first - 1));
    if (!payload)
    {
        ADD_FAILURE() << "not a JWT: " << token;
        return nullptr;
    }
    return nlohmann::ordered_json::parse(*payload);
}

// The claim names of a token, in the order the token writes them.
inline std::vector<std::string> claim_names(std::string const& token)
{
    auto const claims = raw_claims(token);
    std::vector<std::string> names;
    for (auto const& [name, value] : claims.items())
    {
        names.push_back(name);
    }
    return names;
}

// The token with its payload swapped for payload and its signature kept: a forgery.
inline std::string with_payload(std::string const& token, json const& payload)
{
    auto const first = token.find('.');
    auto const second = token.find('.', first + 1);
    return token.substr(0, first + 1) + auth::base64url_encode(payload.dump()) +
           token.substr(second);
}

// The token's header and payload signed by key instead of the pool's key.
inline std::string signed_by(std::string const& token, auth::rsa_key const& key)
{
    auto const signing_input = token.substr(0, token.rfind('.'));
    return signing_input + "." + auth::base64url_encode(key.sign(signing_input));
}

// A JWT's payload (unverified); a test failure and null when token is not a JWT.
inline json claims_of(std::string const& token)
{
    auto const decoded = auth::decode_jwt(token);
    if (!decoded)
    {
        ADD_FAILURE() << "not a JWT: " << token;
        return nullptr;
    }
    return decoded->payload;
}

} // namespace cognitod::testing
