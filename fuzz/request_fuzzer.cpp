// libFuzzer target: the bytes a client could send on one connection. Beast's parser reads them
// with http_session's limits, and every complete request goes to app::handle, as on a kept-alive
// connection, until the input ends, a request asks to close, or the bytes stop being HTTP. The
// app is built once over an in-memory store, seeded once; before each input the seeded database
// is restored and the ids restart, and the clock never moves, so an input replays the same way
// on its own.
// Every response must carry x-amzn-RequestId and a real status; an error from POST / must be a
// JSON object naming its __type; no request may end in a 500. A broken rule aborts.
// COGNITOD_FUZZ_TRACE=1 prints each request's line and the response (to build corpus inputs).
#include "fuzz/pool_keys.hpp"
#include "schema/service_model.hpp"
#include "server/app.hpp"
#include "server/dispatcher.hpp"
#include "server/faults.hpp"
#include "server/http_session.hpp"
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
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace
{

using namespace cognitod;
using nlohmann::json;

constexpr std::int64_t t0 = 1'715'100'742'022; // 2024-05-07T16:52:22.022Z, as in the unit tests
constexpr char const* region = "us-east-1";
constexpr char const* account_id = "123456789012";
constexpr std::string_view peer = "192.0.2.1";
constexpr std::string_view local = "127.0.0.1:9229";

// Two pools: device tracking with a public and a confidential client, users in each state the
// handlers tell apart and two devices; and a case-insensitive pool whose usernames are emails.
constexpr std::string_view seed = R"({"UserPools": [
  {"Id": "us-east-1_FuzzPool1", "PoolName": "fuzz",
   "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": false,
                           "DeviceOnlyRememberedOnUserPrompt": true},
   "AliasAttributes": ["email"],
   "Clients": [
     {"ClientId": "fuzzclient0000000000000001", "ClientName": "public",
      "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                            "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]},
     {"ClientId": "fuzzclient0000000000000002", "ClientName": "confidential",
      "ClientSecret": "fuzzsecret0fuzzsecret0fuzzsecret0",
      "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                            "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}],
   "Users": [
     {"Username": "alice", "Password": "Passw0rd!",
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

struct harness
{
    schema::service_model model = schema::service_model::parse(schema::embedded_model_json());
    storage::store store{":memory:"};
    fixed_clock time;
    restartable_ids ids;
    logger log{log_level::error}; // a 500's cause is logged before the abort
    dispatcher calls{model, store, time, ids, region, account_id};
    // Fault rules are on, as in a default cognitod: an input may add rules through
    // /_cognitod/faults and then meet them in its later requests.
    fault_rules faults{model, 1};
    app application{
        app_services{model, store, calls, time, ids, log, region, account_id, nullptr, &faults}};
    std::string keys =
        json{{"access", fuzzing::access_key_pem}, {"id", fuzzing::id_key_pem}}.dump();
    bool trace = std::getenv("COGNITOD_FUZZ_TRACE") != nullptr; // NOLINT(concurrency-mt-unsafe)

    // The database every input starts from, as SQLite's serialised image: seeding again for every
    // input would cost more than most inputs (a password alone is a 3072-bit exponentiation).
    std::string snapshot = seeded_image();
    std::size_t seed_ids = ids.taken();

    std::string seeded_image()
    {
        apply_seed(model, store, ids, t0, region, account_id, seed, seed_mode::always);
        std::lock_guard lock{store.mutex()};
        for (auto const* id : {"us-east-1_FuzzPool1", "us-east-1_FuzzPool2"})
        {
            store.set_pool_signing_keys(store.find_user_pool(id)->seq, keys);
        }
        sqlite3_int64 size = 0;
        std::unique_ptr<unsigned char, decltype(&sqlite3_free)> image{
            sqlite3_serialize(store.db().handle(), "main", &size, 0), &sqlite3_free};
        if (!image)
        {
            throw std::runtime_error("cannot serialise the seeded database");
        }
        return {reinterpret_cast<char const*>(image.get()), static_cast<std::size_t>(size)};
    }

    // Puts the seeded database back and restarts the ids where seeding left them.
    void reset()
    {
        std::lock_guard lock{store.mutex()};
        auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(snapshot.size()));
        if (copy == nullptr)
        {
            throw std::bad_alloc();
        }
        std::memcpy(copy, snapshot.data(), snapshot.size());
        auto const size = static_cast<sqlite3_int64>(snapshot.size());
        // SQLite owns the copy from here on, whether or not the call succeeds.
        if (sqlite3_deserialize(
                store.db().handle(),
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

harness& the_harness()
{
    static harness h;
    return h;
}

[[noreturn]] void broken(std::string_view rule, aws_json::response const& res)
{
    std::cerr << "request_fuzzer: " << rule << "\n" << res << std::endl;
    std::abort();
}

void check(aws_json::request const& req, aws_json::response const& res)
{
    if (res["x-amzn-RequestId"].empty())
    {
        broken("response without x-amzn-RequestId", res);
    }
    if (res.result_int() < 100 || res.result_int() >= 600)
    {
        broken("status outside 100-599", res);
    }
    if (res.result_int() == 500)
    {
        broken("internal error (an unexpected exception, logged above)", res);
    }
    std::string_view const target = req.target();
    bool const aws_call =
        req.method() == http::verb::post && target.substr(0, target.find('?')) == "/";
    if (aws_call && res.result_int() >= 400)
    {
        auto const body = json::parse(res.body(), nullptr, /*allow_exceptions=*/false);
        if (!body.is_object() || !body.contains("__type") || !body.at("__type").is_string())
        {
            broken("error response without a JSON __type", res);
        }
    }
}

// Parses one request from the front of bytes; nullopt when the connection would end instead:
// malformed HTTP or a limit (http_session answers and closes) or a truncated request (it waits).
std::optional<aws_json::request> next_request(std::string_view& bytes)
{
    session_limits const limits;
    http::request_parser<http::string_body> parser;
    parser.body_limit(limits.max_body_bytes);
    parser.header_limit(limits.max_header_bytes);
    parser.eager(true);
    while (!parser.is_done())
    {
        if (bytes.empty())
        {
            return std::nullopt;
        }
        error_code ec;
        auto const used = parser.put(net::buffer(bytes.data(), bytes.size()), ec);
        bytes.remove_prefix(used);
        if ((ec && ec != http::error::need_more) || used == 0)
        {
            return std::nullopt;
        }
    }
    return parser.release();
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/)
{
    the_harness();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    auto& h = the_harness();
    h.reset();
    std::string_view bytes{reinterpret_cast<char const*>(data), size};
    while (auto req = next_request(bytes))
    {
        auto const res = h.application.handle(*req, peer, local);
        if (h.trace)
        {
            std::cerr << req->method_string() << " " << req->target() << "\n" << res << "\n\n";
        }
        check(*req, res);
        if (!req->keep_alive())
        {
            break;
        }
    }
    return 0;
}
