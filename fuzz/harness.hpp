// The world the fuzzers send their requests into, and the rules every answer must keep. An app over
// an in-memory store seeded once with two pools, three app clients, four users and two devices;
// before each input the seeded database is restored and the ids restart, and the clock never
// moves, so an input replays the same way on its own. tests/unit/server drives the same world.
// Not thread-safe: one harness per process, one input at a time.
#pragma once

#include "fuzz/pool_keys.hpp"
#include "schema/service_model.hpp"
#include "server/app.hpp"
#include "server/dispatcher.hpp"
#include "server/faults.hpp"
#include "server/ids.hpp"
#include "server/logger.hpp"
#include "server/seed.hpp"
#include "storage/store.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cognitod::fuzzing
{

inline constexpr std::int64_t t0 = 1'715'100'742'022; // 2024-05-07T16:52:22.022Z, as in the tests
inline constexpr char const* region = "us-east-1";
inline constexpr char const* account_id = "123456789012";
inline constexpr std::string_view peer = "192.0.2.1";
inline constexpr std::string_view local = "127.0.0.1:9229";

inline constexpr char const* pool_1 = "us-east-1_FuzzPool1";
inline constexpr char const* pool_2 = "us-east-1_FuzzPool2";
inline constexpr char const* public_client = "fuzzclient0000000000000001";
inline constexpr char const* secret_client = "fuzzclient0000000000000002";
inline constexpr char const* email_client = "fuzzclient0000000000000003";
inline constexpr char const* alice_device = "us-east-1_0b8f4c1e-5a4f-4c1b-9a53-6d2d3c1f7a10";
inline constexpr char const* kiosk_device = "us-east-1_ddc96700-fb23-4532-9680-3fd01ea3bc1b";

// Two pools: device tracking with a public and a confidential client, users in each state the
// handlers tell apart and two devices; and a case-insensitive pool whose usernames are emails.
inline constexpr std::string_view seed = R"({"UserPools": [
  {"Id": "us-east-1_FuzzPool1", "PoolName": "fuzz",
   "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": false,
                           "DeviceOnlyRememberedOnUserPrompt": true},
   "AliasAttributes": ["email"],
   "Domain": "fuzz-login",
   "ResourceServers": [{"Identifier": "https://api.example.com", "Name": "api",
                        "Scopes": [{"ScopeName": "read", "ScopeDescription": "Reads"}]}],
   "IdentityProviders": [{"ProviderName": "corp", "ProviderType": "OIDC",
                          "ProviderDetails": {"client_id": "corp-app",
                                              "attributes_request_method": "GET",
                                              "oidc_issuer": "https://idp.example.com",
                                              "authorize_scopes": "openid email"},
                          "IdpIdentifiers": ["corp.example"]}],
   "Groups": [{"GroupName": "admins", "Precedence": 0,
               "RoleArn": "arn:aws:iam::123456789012:role/admins"},
              {"GroupName": "staff"}],
   "Clients": [
     {"ClientId": "fuzzclient0000000000000001", "ClientName": "public",
      "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                            "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]},
     {"ClientId": "fuzzclient0000000000000002", "ClientName": "confidential",
      "ClientSecret": "fuzzsecret0fuzzsecret0fuzzsecret0",
      "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                            "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}],
   "Users": [
     {"Username": "alice", "Password": "Passw0rd!", "Groups": ["admins"],
      "Attributes": [{"Name": "email", "Value": "alice@example.com"},
                     {"Name": "email_verified", "Value": "true"}],
      "Devices": [
        {"DeviceKey": "us-east-1_0b8f4c1e-5a4f-4c1b-9a53-6d2d3c1f7a10",
         "DeviceName": "Alice's iPhone", "LastIpUsed": "192.0.2.10"},
        {"DeviceKey": "us-east-1_ddc96700-fb23-4532-9680-3fd01ea3bc1b",
         "DeviceName": "kiosk", "DeviceRememberedStatus": "not_remembered"}]},
     {"Username": "bob", "TemporaryPassword": "Temp0rary!"},
     {"Username": "carol", "Enabled": false}]},
  {"Id": "us-east-1_FuzzPool2", "PoolName": "fuzz-email",
   "UsernameAttributes": ["email"], "UsernameConfiguration": {"CaseSensitive": false},
   "Clients": [
     {"ClientId": "fuzzclient0000000000000003", "ClientName": "web",
      "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}],
   "Users": [{"Username": "dave@example.com", "Password": "Passw0rd!"}]}]})";

class fixed_clock final : public clock
{
public:
    std::int64_t now_ms() const override { return t0; }
};

// counting_ids that can start again: every call takes the next number, whatever its format.
class restartable_ids final : public id_source
{
    std::optional<counting_ids> ids_{std::in_place};
    std::size_t taken_ = 0;

    counting_ids& take()
    {
        ++taken_;
        return *ids_;
    }

public:
    std::size_t taken() const { return taken_; }
    // Starts from 1 again and skips n ids, so the next one is what followed the nth.
    void restart(std::size_t n)
    {
        ids_.emplace();
        taken_ = 0;
        while (taken_ < n)
        {
            uuid();
        }
    }
    std::string uuid() override { return take().uuid(); }
    std::string alphanumeric(std::size_t n) override { return take().alphanumeric(n); }
    std::string lower_alphanumeric(std::size_t n) override { return take().lower_alphanumeric(n); }
    std::string bytes(std::size_t n) override { return take().bytes(n); }
};

// An AWS JSON 1.1 call as an SDK sends it.
inline aws_json::request aws_request(std::string_view operation, std::string body)
{
    aws_json::request req{http::verb::post, "/", 11};
    req.set(http::field::host, "localhost:9229");
    req.set(http::field::content_type, aws_json::content_type);
    req.set("X-Amz-Target", std::string{aws_json::target_prefix} + std::string{operation});
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
}

// What a signed-in world holds besides the seed: alice signed in on the public client (her tokens
// and the new device that sign-in gave her) and bob's NEW_PASSWORD_REQUIRED challenge open.
struct sessions
{
    std::string access_token;
    std::string id_token;
    std::string refresh_token;
    std::string device_key; // not yet confirmed: ConfirmDevice's to take
    std::string device_group_key;
    std::string new_password_session;
};

enum class world
{
    seeded,    // the seed alone: request_fuzzer's corpus reads its tokens from that state
    signed_in, // and the sessions above, taken before the snapshot
};

struct harness
{
    nlohmann::json const keys_json = {{"access", access_key_pem}, {"id", id_key_pem}};
    schema::service_model model = schema::service_model::parse(schema::embedded_model_json());
    storage::store store{":memory:"};
    fixed_clock time;
    restartable_ids ids;
    logger log{log_level::error};  // a 500's cause is logged before the abort
    key_stock keys{store, log, 0}; // the pools get keys_json's keys below
    dispatcher calls{model, store, time, ids, keys, region, account_id};
    // Fault rules are on, as in a default cognitod: an input may add rules through
    // /_cognitod/faults and then meet them in its later requests.
    fault_rules faults{model, 1};
    app application{
        app_services{model, store, calls, time, ids, log, region, account_id, nullptr, &faults}};
    bool trace = std::getenv("COGNITOD_FUZZ_TRACE") != nullptr; // NOLINT(concurrency-mt-unsafe)
    sessions signed_in;
    // The database every input starts from, as SQLite's serialised image: seeding again for every
    // input would cost more than most inputs (a password alone is a 3072-bit exponentiation).
    std::string snapshot;
    std::size_t seed_ids = 0;

    explicit harness(world w = world::seeded)
    {
        apply_seed(model, store, ids, keys, t0, region, account_id, seed, seed_mode::always);
        {
            auto writer = store.write();
            for (auto const* id : {pool_1, pool_2})
            {
                writer->set_pool_signing_keys(writer->find_user_pool(id)->seq, keys_json.dump());
            }
        }
        if (w == world::signed_in)
        {
            sign_in();
        }
        snapshot = image();
        seed_ids = ids.taken();
    }

    // A call's answer as JSON; throws when the call fails (the world is broken then).
    nlohmann::json call(std::string_view operation, nlohmann::json const& input)
    {
        auto const res = application.handle(aws_request(operation, input.dump()), peer, local);
        if (res.result() != http::status::ok)
        {
            throw std::runtime_error(std::string{operation} + " failed: " + res.body());
        }
        return nlohmann::json::parse(res.body());
    }

    void sign_in()
    {
        auto const alice = call(
            "InitiateAuth",
            {{"AuthFlow", "USER_PASSWORD_AUTH"},
             {"ClientId", public_client},
             {"AuthParameters", {{"USERNAME", "alice"}, {"PASSWORD", "Passw0rd!"}}}}
        );
        auto const& result = alice.at("AuthenticationResult");
        signed_in.access_token = result.at("AccessToken").get<std::string>();
        signed_in.id_token = result.at("IdToken").get<std::string>();
        signed_in.refresh_token = result.at("RefreshToken").get<std::string>();
        signed_in.device_key = result.at("NewDeviceMetadata").at("DeviceKey").get<std::string>();
        signed_in.device_group_key =
            result.at("NewDeviceMetadata").at("DeviceGroupKey").get<std::string>();
        auto const bob = call(
            "InitiateAuth",
            {{"AuthFlow", "USER_PASSWORD_AUTH"},
             {"ClientId", public_client},
             {"AuthParameters", {{"USERNAME", "bob"}, {"PASSWORD", "Temp0rary!"}}}}
        );
        signed_in.new_password_session = bob.at("Session").get<std::string>();
    }

    std::string image()
    {
        auto const writer = store.write();
        sqlite3_int64 size = 0;
        std::unique_ptr<unsigned char, decltype(&sqlite3_free)> bytes{
            sqlite3_serialize(writer->db().handle(), "main", &size, 0), &sqlite3_free};
        if (!bytes)
        {
            throw std::runtime_error("cannot serialise the seeded database");
        }
        return {reinterpret_cast<char const*>(bytes.get()), static_cast<std::size_t>(size)};
    }

    // Puts the seeded database back and restarts the ids where seeding left them.
    void reset()
    {
        auto const writer = store.write();
        auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(snapshot.size()));
        if (copy == nullptr)
        {
            throw std::bad_alloc();
        }
        std::memcpy(copy, snapshot.data(), snapshot.size());
        auto const size = static_cast<sqlite3_int64>(snapshot.size());
        // SQLite owns the copy from here on, whether or not the call succeeds.
        if (sqlite3_deserialize(
                writer->db().handle(),
                "main",
                copy,
                size,
                size,
                SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE
            ) != SQLITE_OK)
        {
            throw std::runtime_error("cannot restore the seeded database");
        }
        ids.restart(seed_ids);
        faults.clear();
    }
};

// The values of the world by member name, for fuzz/model_requests.hpp: "Operation.Member" before
// "Member" before the member's shape, the plausible one first. A call built from the first of each
// gets past "does not exist" to the operation's own rules.
inline std::map<std::string, std::vector<nlohmann::json>, std::less<>>
world_values(sessions const& s)
{
    using nlohmann::json;
    json const alice_password{{"USERNAME", "alice"}, {"PASSWORD", "Passw0rd!"}};
    return {
        {"UserPoolId", {pool_1, pool_2, "us-east-1_Missing00"}},
        {"ClientId", {public_client, secret_client, email_client, "unknownclient"}},
        {"Username", {"alice", "bob", "carol", "dave@example.com", "alice@example.com"}},
        {"AdminCreateUser.Username", {"erin", "alice"}},
        {"SignUp.Username", {"frank", "alice"}},
        {"ConfirmationCode", {"123456", "000000"}},
        {"Code", {"123456"}},
        {"AttributeName", {"email", "phone_number", "name"}},
        {"DesiredDeliveryMediums", {json::array({"EMAIL"}), json::array({"SMS", "EMAIL"})}},
        {"MessageAction", {"SUPPRESS", "RESEND"}},
        {"AccessToken", {s.access_token, s.id_token, "not.a.token"}},
        {"RefreshToken", {s.refresh_token, s.access_token}},
        {"Token", {s.refresh_token, s.access_token}},
        {"DeviceKey", {s.device_key, alice_device, kiosk_device}},
        {"AdminGetDevice.DeviceKey", {alice_device, kiosk_device, s.device_key}},
        {"AdminForgetDevice.DeviceKey", {alice_device, kiosk_device, s.device_key}},
        {"AdminUpdateDeviceStatus.DeviceKey", {kiosk_device, alice_device, s.device_key}},
        {"GetTokensFromRefreshToken.DeviceKey", {s.device_key}},
        {"DeviceSecretVerifierConfig", {{{"PasswordVerifier", "AAAA"}, {"Salt", "AAAA"}}}},
        {"Session", {s.new_password_session}},
        {"AuthFlow", {"USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH", "USER_SRP_AUTH"}},
        {"AdminInitiateAuth.AuthFlow",
         {"ADMIN_USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH", "USER_SRP_AUTH"}},
        {"AuthParameters",
         {alice_password,
          {{"REFRESH_TOKEN", s.refresh_token}, {"DEVICE_KEY", s.device_key}},
          {{"USERNAME", "alice"}, {"SRP_A", "a1b2c3d4e5f6a1b2c3d4e5f6"}},
          {{"USERNAME", "bob"}, {"PASSWORD", "Temp0rary!"}}}},
        {"ChallengeName", {"NEW_PASSWORD_REQUIRED", "SOFTWARE_TOKEN_MFA", "PASSWORD_VERIFIER"}},
        {"ChallengeResponses",
         {{{"USERNAME", "bob"}, {"NEW_PASSWORD", "N3wPassw0rd!"}},
          {{"USERNAME", "alice"}, {"SOFTWARE_TOKEN_MFA_CODE", "123456"}}}},
        {"Password", {"N3wPassw0rd!", "short"}},
        {"TemporaryPassword", {"Temp0rary!"}},
        {"UserCode", {"123456"}},
        {"PoolName", {"made"}},
        {"ClientName", {"made"}},
        {"Filter", {R"(email = "alice@example.com")", R"(username ^= "a")", "nonsense"}},
        {"UserAttributes",
         {json::array({{{"Name", "email"}, {"Value", "erin@example.com"}}}),
          json::array({{{"Name", "name"}, {"Value", "Erin"}}})}},
        {"AttributesToGet", {json::array({"email"})}},
        {"ExplicitAuthFlows", {json::array({"ALLOW_USER_PASSWORD_AUTH"})}},
        {"GroupName", {"admins", "staff", "missing"}},
        {"CreateGroup.GroupName", {"made", "admins"}},
        {"ResourceArn",
         {"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_FuzzPool1",
          "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Missing00",
          "arn:aws:lambda:us-east-1:123456789012:function:trigger"}},
        {"TagKeys", {json::array({"team"})}},
        {"Domain", {"fuzz-login", "missing-login"}},
        {"CreateUserPoolDomain.Domain", {"made-login", "fuzz-login", "auth.example.com"}},
        {"Identifier", {"https://api.example.com", "https://missing.example.com"}},
        {"ProviderName", {"corp", "missing"}},
        {"CreateIdentityProvider.ProviderName", {"made", "corp"}},
        {"IdpIdentifier", {"corp.example", "missing.example"}},
        {"ProviderDetails",
         {{{"client_id", "made-app"},
           {"attributes_request_method", "GET"},
           {"oidc_issuer", "https://made.example.com"},
           {"authorize_scopes", "openid"}}}},
        {"ProviderType", {"OIDC", "SAML"}},
        {"CreateResourceServer.Identifier",
         {"https://made.example.com", "https://api.example.com"}},
        // Shapes whose pattern a made-up value cannot meet.
        {"ArnType", {"arn:aws:lambda:us-east-1:123456789012:function:trigger"}},
        {"EmailAddressType", {"noreply@example.com"}},
        {"EmailMfaMessageType", {"Your code is {####}"}},
        {"EmailVerificationMessageType", {"Your code is {####}"}},
        {"EmailVerificationMessageByLinkType", {"Click {##here##}"}},
        {"SmsVerificationMessageType", {"Your code is {####}"}},
        {"HexStringType", {"0a1b2c"}},
        {"SoftwareTokenMFAUserCodeType", {"123456"}},
    };
}

// The rule an answer broke, or nullopt when it kept them all: every response carries
// x-amzn-RequestId and a real status, no request ends in a 5xx (501 NotImplementedException, the
// answer for an operation cognitod does not implement, aside), and an error from POST / is a JSON
// object naming its __type.
inline std::optional<std::string_view>
broken_rule(aws_json::request const& req, aws_json::response const& res)
{
    if (res["x-amzn-RequestId"].empty())
    {
        return "response without x-amzn-RequestId";
    }
    if (res.result_int() < 100 || res.result_int() >= 600)
    {
        return "status outside 100-599";
    }
    if (res.result_int() >= 500 && res.result_int() != 501)
    {
        return "server error (an unexpected exception, logged above)";
    }
    std::string_view const target = req.target();
    bool const aws_call =
        req.method() == http::verb::post && target.substr(0, target.find('?')) == "/";
    if (aws_call && res.result_int() >= 400)
    {
        auto const body = nlohmann::json::parse(res.body(), nullptr, /*allow_exceptions=*/false);
        if (!body.is_object() || !body.contains("__type") || !body.at("__type").is_string())
        {
            return "error response without a JSON __type";
        }
    }
    return std::nullopt;
}

// Aborts, printing the rule and the response, when res breaks a rule.
inline void check(aws_json::request const& req, aws_json::response const& res)
{
    if (auto const rule = broken_rule(req, res))
    {
        std::cerr << "fuzzer: " << *rule << "\n" << res << std::endl;
        std::abort();
    }
}

} // namespace cognitod::fuzzing
