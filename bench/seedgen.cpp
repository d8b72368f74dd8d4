#include "bench/seedgen.hpp"

#include "schema/service_model.hpp"
#include "server/ids.hpp"
#include "server/key_stock.hpp"
#include "server/logger.hpp"
#include "server/operations/common.hpp"
#include "server/seed.hpp"
#include "storage/store.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace cognitod::bench
{

namespace
{

// Zero-padded decimal: digits are valid in both the usernames and the hex groups of a UUID.
std::string padded(std::int64_t value, int width)
{
    std::string out(static_cast<std::size_t>(width) + 24, '\0');
    auto const n =
        std::snprintf(out.data(), out.size(), "%0*lld", width, static_cast<long long>(value));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

// The seed the server itself would apply: the pool, its client and user 0, so that their rows
// (the pool's describe shape, the client's settings, the password verifier) come from the real
// code.
nlohmann::json first_rows_seed(seedgen_options const& options)
{
    return {
        {"UserPools",
         {{
             {"Id", options.pool_id},
             {"PoolName", "bench"},
             {"Clients",
              {{
                  {"ClientId", options.client_id},
                  {"ClientName", "bench"},
                  {"ExplicitAuthFlows",
                   {"ALLOW_ADMIN_USER_PASSWORD_AUTH",
                    "ALLOW_USER_SRP_AUTH",
                    "ALLOW_REFRESH_TOKEN_AUTH"}},
              }}},
             {"Users",
              {{
                  {"Username", bench_username(0)},
                  {"Password", options.password},
                  {"Attributes", {{{"Name", "email"}, {"Value", bench_email(0)}}}},
              }}},
         }}},
    };
}

// The users, spare users included.
std::int64_t all_users(seedgen_options const& options)
{
    return options.users +
           (options.spare_devices + spare_devices_per_user - 1) / spare_devices_per_user;
}

void remove_database(std::string const& path)
{
    for (char const* suffix : {"", "-wal", "-shm"})
    {
        std::error_code ignored;
        std::filesystem::remove(path + suffix, ignored);
    }
}

// Users 1..n-1, with the same columns and attributes (sub, then email) that user 0 got from
// create_user; returns every user's row id, user 0's first.
std::vector<std::int64_t> insert_users(
    storage::database& db, storage::user const& first, std::int64_t users, std::int64_t now_ms
)
{
    std::vector<std::int64_t> ids;
    ids.reserve(static_cast<std::size_t>(users));
    ids.push_back(first.id);
    storage::statement user_row{
        db.handle(),
        "INSERT INTO users (pool_seq, username, username_key, sub, status, enabled, created, "
        "last_modified, password_salt, password_verifier) "
        "VALUES (?1, ?2, ?2, ?3, 'CONFIRMED', 1, ?4, ?4, ?5, ?6)"};
    storage::statement attribute_row{
        db.handle(),
        "INSERT INTO user_attributes (user_id, position, name, value) VALUES (?1, ?2, ?3, ?4)"};
    for (std::int64_t i = 1; i < users; ++i)
    {
        auto const sub = "a0000000-0000-4000-8000-" + padded(i, 12);
        user_row.reset();
        user_row.bind(1, first.pool_seq)
            .bind(2, bench_username(i))
            .bind(3, sub)
            .bind(4, now_ms)
            .bind_blob(5, first.password_salt)
            .bind_blob(6, first.password_verifier);
        user_row.execute();
        auto const id = db.last_insert_rowid();
        ids.push_back(id);
        attribute_row.reset();
        attribute_row.bind(1, id).bind(2, 0).bind(3, "sub").bind(4, sub);
        attribute_row.execute();
        attribute_row.reset();
        attribute_row.bind(1, id).bind(2, 1).bind(3, "email").bind(4, bench_email(i));
        attribute_row.execute();
    }
    return ids;
}

// Confirmed, remembered devices, as a seed file's Devices entry makes them.
void insert_devices(
    storage::database& db,
    seedgen_options const& options,
    std::vector<std::int64_t> const& user_ids,
    std::int64_t now_ms
)
{
    storage::statement device_row{
        db.handle(),
        "INSERT INTO devices (device_key, user_id, group_key, name, status, remembered, "
        "confirmed, last_ip, created, last_modified, last_authenticated, verifier, salt) "
        "VALUES (?1, ?2, ?3, ?4, 'valid', 1, 1, '', ?5, ?5, ?5, ?6, ?6)"};
    auto const total = options.devices + options.spare_devices;
    for (std::int64_t i = 0; i < total; ++i)
    {
        auto const owner = bench_device_owner(i, options.users, options.devices);
        device_row.reset();
        device_row.bind(1, bench_device_key(options.pool_id, i))
            .bind(2, user_ids[static_cast<std::size_t>(owner)])
            .bind(3, "-" + padded(i % 1'000'000'000, 9))
            .bind(4, "device-" + std::to_string(i))
            .bind(5, now_ms)
            .bind_blob(6, std::string_view{});
        device_row.execute();
    }
}

} // namespace

std::string bench_username(std::int64_t i)
{
    return "user" + padded(i, 8);
}

std::string bench_email(std::int64_t i)
{
    return bench_username(i) + "@example.com";
}

std::string bench_device_key(std::string_view pool_id, std::int64_t i)
{
    return std::string{pool_region(pool_id)} + "_d0000000-0000-4000-8000-" + padded(i, 12);
}

std::int64_t bench_device_owner(std::int64_t i, std::int64_t users, std::int64_t devices)
{
    return i < devices ? i * users / devices : users + (i - devices) / spare_devices_per_user;
}

seedgen_result generate(seedgen_options const& options)
{
    if (options.users < 1 || options.devices < 0 || options.spare_devices < 0 ||
        options.devices + options.spare_devices > 999'999'999'999)
    {
        throw std::runtime_error("need at least one user and 0 to 999,999,999,999 devices");
    }
    if (std::filesystem::exists(options.path))
    {
        throw std::runtime_error(options.path + " exists; remove it first");
    }
    auto const started = std::chrono::steady_clock::now();
    auto const now_ms = options.now_ms != 0 ? options.now_ms : system_clock{}.now_ms();
    try
    {
        storage::user first;
        {
            // The pool, its client and user 0 go through the seed code, on a store that is
            // closed again (with its checkpointer and readers) before the bulk load.
            storage::store store{options.path};
            auto const model = schema::service_model::parse(schema::embedded_model_json());
            random_ids ids;
            logger const log{log_level::error};
            key_stock keys{store, log, 0};
            apply_seed(
                model,
                store,
                ids,
                keys,
                now_ms,
                std::string{pool_region(options.pool_id)},
                "123456789012",
                first_rows_seed(options).dump(),
                seed_mode::once
            );
            auto const reader = store.read();
            auto const pool = reader->find_user_pool(options.pool_id);
            first = *reader->find_user(pool->seq, bench_username(0));
        }

        // Nothing reads the file until it is complete, and a failure deletes it: no journal, no
        // fsync, a big page cache, and one transaction for the whole load.
        storage::database db{options.path};
        db.exec("PRAGMA journal_mode = OFF");
        db.exec("PRAGMA synchronous = OFF");
        db.exec("PRAGMA cache_size = -262144");
        {
            storage::transaction tx{db, storage::transaction_mode::immediate};
            auto const user_ids = insert_users(db, first, all_users(options), now_ms);
            insert_devices(db, options, user_ids, now_ms);
            tx.commit();
        }
        // Leave the file as cognitod expects to find it: in WAL mode.
        db.exec("PRAGMA journal_mode = WAL");
        db.exec("PRAGMA synchronous = NORMAL");
    }
    catch (...)
    {
        remove_database(options.path);
        throw;
    }
    std::chrono::duration<double> const elapsed = std::chrono::steady_clock::now() - started;
    return {all_users(options), options.devices + options.spare_devices, elapsed.count()};
}

} // namespace cognitod::bench
