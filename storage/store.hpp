// Typed persistence for pools, users and devices. Lookups return std::optional; the caller picks
// the AWS error for "missing". Throws sqlite_error only for broken SQL or I/O.
// Not thread-safe: callers hold mutex() for the whole transaction they run (version() and
// note_write() excepted: they are atomic).
#pragma once

#include "storage/records.hpp"
#include "storage/sqlite.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cognitod::storage
{

class store
{
    database db_;
    std::mutex mutex_;
    std::atomic<std::uint64_t> version_{1};

    std::vector<attribute> load_attributes(std::int64_t user_id);
    std::optional<user> read_user(statement& st);
    // The statement's first row as a user with attributes, or nullopt.
    std::optional<user> first_user(statement& st);

public:
    // Opens (creating when missing) and migrates the database at path (":memory:" allowed).
    explicit store(std::string const& path, durability level = durability::normal);

    // Guards the connection: hold it across a transaction and every call made inside it.
    std::mutex& mutex() noexcept { return mutex_; }
    database& db() noexcept { return db_; }

    // A number that grows with every committed write, so a watcher (the web console) can tell
    // "changed since" without reading the tables. Writers call note_write() after commit, while
    // they still hold mutex(); a reader holding mutex() sees the version of what it reads.
    std::uint64_t version() const noexcept { return version_.load(); }
    void note_write() noexcept { ++version_; }

    // Pools
    std::int64_t insert_user_pool(user_pool const& pool);
    std::optional<user_pool> find_user_pool(std::string_view id);
    std::optional<user_pool> find_user_pool_by_name(std::string_view name);
    std::optional<user_pool> find_user_pool_by_seq(std::int64_t seq);
    // Pools created after after_seq, oldest first.
    std::vector<user_pool> list_user_pools(std::int64_t after_seq, std::size_t limit);
    void update_user_pool(user_pool const& pool);
    // Removes the pool with its users, their attributes and devices (ON DELETE CASCADE).
    void delete_user_pool(std::int64_t seq);
    std::int64_t count_users(std::int64_t pool_seq);

    // Users
    std::int64_t insert_user(user const& u);
    std::optional<user> find_user(std::int64_t pool_seq, std::string_view username_key);
    std::optional<user> find_user_by_sub(std::int64_t pool_seq, std::string_view sub);
    std::optional<user> find_user_by_id(std::int64_t id);
    // Users of the pool with attribute name = value, oldest first.
    std::vector<user>
    find_users_by_attribute(std::int64_t pool_seq, std::string_view name, std::string_view value);
    // The same, comparing values with ASCII letters folded (pools that ignore case).
    std::vector<user> find_users_by_folded_attribute(
        std::int64_t pool_seq, std::string_view name, std::string_view value
    );
    // Users created after after_id, oldest first, optionally filtered.
    std::vector<user> list_users(
        std::int64_t pool_seq,
        std::int64_t after_id,
        std::size_t limit,
        std::optional<user_filter> const& filter
    );
    // Writes status, enabled, password, revocation time, MFA settings and last_modified.
    void update_user(user const& u);
    void replace_attributes(std::int64_t user_id, std::vector<attribute> const& attributes);
    void delete_user(std::int64_t user_id);

    // Devices
    std::int64_t insert_device(device const& d);
    std::optional<device> find_device(std::int64_t user_id, std::string_view key);
    std::optional<device> find_device_by_key(std::string_view key);
    // The user's remembered devices created after after_seq, oldest first (Cognito lists no
    // other kind).
    std::vector<device>
    list_devices(std::int64_t user_id, std::int64_t after_seq, std::size_t limit);
    // Every device of the user, remembered or not, oldest first (for the web console).
    std::vector<device> list_all_devices(std::int64_t user_id);
    void update_device(device const& d);
    // True when the device existed, belonged to the user and is now gone.
    bool delete_device(std::int64_t user_id, std::string_view key);

    // Signing keys of a pool (JSON of PEMs), made on first use.
    std::optional<std::string> pool_signing_keys(std::int64_t pool_seq);
    void set_pool_signing_keys(std::int64_t pool_seq, std::string_view keys);

    // App clients
    std::int64_t insert_app_client(app_client const& c);
    std::optional<app_client> find_app_client(std::string_view id);
    // Clients of the pool created after after_seq, oldest first.
    std::vector<app_client>
    list_app_clients(std::int64_t pool_seq, std::int64_t after_seq, std::size_t limit);
    void update_app_client(app_client const& c);
    void delete_app_client(std::int64_t seq);

    // Auth sessions
    void insert_auth_session(auth_session const& s);
    std::optional<auth_session> find_auth_session(std::string_view origin_jti);
    std::optional<auth_session> find_auth_session_by_refresh(std::string_view refresh_hash);
    void revoke_auth_session(std::string_view origin_jti);
    void revoke_user_sessions(std::int64_t user_id);

    // Rotation: the session keeps its origin_jti and gets a new refresh token.
    void set_session_refresh(std::string_view origin_jti, std::string_view refresh_hash);

    // Challenges: a Session is deleted once answered, so it serves once.
    void insert_challenge(challenge const& c);
    std::optional<challenge> find_challenge(std::string_view session_hash);
    void delete_challenge(std::string_view session_hash);
    // Keeps an answered challenge until it expires, so that a second use can be told apart.
    void mark_challenge_used(std::string_view session_hash);
    void delete_expired_challenges(std::int64_t now_ms);

    // The outbox of delivered messages, oldest first; empty names match every pool or user.
    void insert_message(message const& m);
    std::vector<message> list_messages(std::string_view pool_id, std::string_view username);
    void clear_messages();

    // Seeds: a seed's SHA-256 is recorded once it has been applied.
    bool seed_applied(std::string_view sha256);
    void record_seed(std::string_view sha256, std::int64_t now);
    // Removes every pool, user and device (the applied-seed record and the outbox too), and
    // counts as a write.
    void wipe();
};

} // namespace cognitod::storage
