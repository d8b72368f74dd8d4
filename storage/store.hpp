// Typed persistence for pools, users and devices. Lookups return std::optional; the caller picks
// the AWS error for "missing". Throws sqlite_error only for broken SQL or I/O.
#pragma once

#include "storage/records.hpp"
#include "storage/sqlite.hpp"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cognitod::storage
{

// The database cannot be written: it was read-only at open, or its file was deleted, renamed or
// replaced while open. what() says why, in words for whoever runs cognitod.
class unwritable_error : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// The typed queries, over one connection.
// Not thread-safe: one thread at a time, inside one transaction (see store for who may write).
class queries
{
    database db_;
    // Each pool's settings as last read on this connection: their revision and their parse. Every
    // operation starts by reading its pool, and parsing the settings (the whole describe shape,
    // some 4 KB of JSON) was over half of a device read's work; the pools read share the parsed
    // value. Keyed by pool and checked against the stored revision, which triggers set to a fresh
    // random value on every insert and settings update (migration 007), so a pool written by any
    // connection is parsed afresh and nothing needs invalidating. A value dropped from here lives
    // on in the pools still holding it, which never change it.
    struct parsed_settings
    {
        std::int64_t revision = 0;
        std::shared_ptr<nlohmann::json const> value;
    };
    std::unordered_map<std::int64_t, parsed_settings> settings_cache_;
    static constexpr std::size_t max_cached_pools = 256;

    user_pool read_pool(statement& st);
    std::optional<user_pool> first_pool(statement& st);

    std::vector<attribute> load_attributes(std::int64_t user_id);
    std::optional<user> read_user(statement& st);
    // The statement's first row as a user with attributes, or nullopt.
    std::optional<user> first_user(statement& st);

public:
    explicit queries(database db);

    database& db() noexcept { return db_; }

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
    // The pool's users, as migration 006's triggers count them (0 when there is no such pool).
    std::int64_t count_users(std::int64_t pool_seq);

    // Users
    std::int64_t insert_user(user const& u);
    std::optional<user> find_user(std::int64_t pool_seq, std::string_view username_key);
    // The id and username of the user named username_key, from migration 008's index alone.
    std::optional<device_owner>
    find_device_owner(std::int64_t pool_seq, std::string_view username_key);
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

    // Signing keys of a pool (JSON of PEMs); none for a pool the stock was empty for.
    std::optional<std::string> pool_signing_keys(std::int64_t pool_seq);
    // True when the pool exists and had no keys, and now has these.
    bool set_pool_signing_keys(std::int64_t pool_seq, std::string_view keys);

    // The stock of ready signing keys (migration 009), oldest first.
    void add_stock_key(std::string_view pem);
    // The count oldest keys, removed from the stock; none when it holds fewer.
    std::vector<std::string> take_stock_keys(std::size_t count);
    std::size_t count_stock_keys();
    // Every key in the stock.
    std::vector<std::string> stock_keys();

    // Groups (migration 010), found by name_key. Lists run in creation order.
    std::int64_t insert_group(group const& g);
    std::optional<group> find_group(std::int64_t pool_seq, std::string_view name_key);
    std::vector<group>
    list_groups(std::int64_t pool_seq, std::int64_t after_seq, std::size_t limit);
    // Writes description, role, precedence and last_modified.
    void update_group(group const& g);
    void delete_group(std::int64_t seq);
    // Adding a member twice, or removing one who is not, changes nothing.
    void add_group_member(std::int64_t group_seq, std::int64_t user_id);
    void remove_group_member(std::int64_t group_seq, std::int64_t user_id);
    // The user's groups after after_seq, in creation order.
    std::vector<group>
    groups_of_user(std::int64_t user_id, std::int64_t after_seq, std::size_t limit);
    // The group's members with ids above after_id, oldest first, with their attributes.
    std::vector<user>
    group_members(std::int64_t group_seq, std::int64_t after_id, std::size_t limit);

    // Domains (migration 012): one row per domain name across all pools.
    void insert_domain(pool_domain const& d);
    std::optional<pool_domain> find_domain(std::string_view domain);
    // The pool's domains, prefix domain first.
    std::vector<pool_domain> domains_of_pool(std::int64_t pool_seq);
    void update_domain(pool_domain const& d);
    void delete_domain(std::string_view domain);

    // Resource servers, identity providers and UI customizations (migration 012), found by kind
    // and name within the pool. Lists run in creation order.
    std::int64_t insert_pool_object(pool_object const& o);
    std::optional<pool_object>
    find_pool_object(std::int64_t pool_seq, std::string_view kind, std::string_view name);
    std::vector<pool_object> list_pool_objects(
        std::int64_t pool_seq, std::string_view kind, std::int64_t after_seq, std::size_t limit
    );
    // Writes body and last_modified.
    void update_pool_object(pool_object const& o);
    void delete_pool_object(std::int64_t seq);

    // Authorization codes and the hosted login's sessions (migration 013). take_ deletes what it
    // returns, so a code serves once.
    void insert_authorization_code(authorization_code const& c);
    std::optional<authorization_code> take_authorization_code(std::string_view code_hash);
    void insert_login_session(login_session const& s);
    std::optional<login_session> find_login_session(std::string_view cookie_hash);
    void delete_login_session(std::string_view cookie_hash);
    // Codes and login sessions past their expiry: each insert clears them, so neither table grows.
    void delete_expired_oauth_state(std::int64_t now_ms);

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

    // Codes (migration 011): putting one replaces the user's code of that purpose.
    void put_code(user_code const& c);
    std::optional<user_code> find_code(std::int64_t user_id, std::string_view purpose);
    void count_code_failure(std::int64_t user_id, std::string_view purpose);
    void delete_code(std::int64_t user_id, std::string_view purpose);

    // The outbox of delivered messages, oldest first; empty names match every pool or user.
    void insert_message(message const& m);
    std::vector<message> list_messages(std::string_view pool_id, std::string_view username);
    // The pool's newest limit messages, newest first (for the web console).
    std::vector<message> recent_messages(std::string_view pool_id, std::size_t limit);
    void clear_messages();
    // Removes every pool, user and device, and the applied-seed record and the outbox with them;
    // keeps the signing-key stock. Runs its own transaction: never call it inside one.
    void wipe();

    // Seeds: a seed's SHA-256 is recorded once it has been applied.
    bool seed_applied(std::string_view sha256);
    void record_seed(std::string_view sha256, std::int64_t now);
};

// A database's connections: the writer, readers for read-only transactions, and a checkpointer
// that runs WAL checkpoints off the request path. The writer is reached only through a
// write_lease, which holds the writer's lock; a file database in WAL mode gets one reader
// connection per concurrent read transaction, opened on demand; an in-memory database cannot be
// shared between connections, so its read leases lend the writer, locked and switched to
// PRAGMA query_only as reader connections are.
// Thread-safe: write() and read() may be called from any thread; version() is atomic.
class store
{
    queries writer_; // guarded by mutex_
    std::string path_;
    durability level_;
    std::mutex mutex_;
    std::atomic<std::uint64_t> version_{1};

    // What the writer serves: SQLite expires every statement a connection has prepared when
    // PRAGMA query_only changes (it prepares each again at its next use: a read of three lookups
    // took eight times as long), so the writer switches only when a lease of the other kind
    // comes, not at the end of every lease.
    enum class writer_role
    {
        writes,
        reads, // PRAGMA query_only: a write fails with SQLITE_READONLY
    };
    writer_role role_ = writer_role::writes; // guarded by mutex_
    // Set by the writer's commit hook: a transaction committed during the current write lease.
    bool committed_ = false; // guarded by mutex_

    std::mutex readers_mutex_;
    std::vector<std::unique_ptr<queries>> idle_readers_; // guarded by readers_mutex_

    // The checkpointer: wakes once a second, or when commits have added checkpoint_pages to the
    // WAL since its last checkpoint, and copies the WAL back into the database (PASSIVE: it never
    // blocks a writer or a reader).
    std::mutex checkpoint_mutex_;
    std::condition_variable checkpoint_wake_;
    int wal_pages_ = 0;     // guarded by checkpoint_mutex_: the WAL's length after the last commit
    int wal_copied_ = 0;    // guarded by checkpoint_mutex_: how much of it is in the database
    bool stopping_ = false; // guarded by checkpoint_mutex_
    std::thread checkpointer_;

    // The database file as the writer opened it. Once its path names another file or none (it
    // was deleted, renamed or replaced), a commit would land in a file nothing names, lost at the
    // next start: the store then refuses writes. The checkpointer looks once a second, and the
    // first write after each of its looks looks again (one stat() a second on the write path).
    std::uint64_t file_device_ = 0;
    std::uint64_t file_inode_ = 0;
    std::atomic<bool> lost_{false};
    std::atomic<bool> verify_next_write_{false};
    mutable std::mutex fault_mutex_;
    std::string fault_;                                // guarded by fault_mutex_; set once
    std::function<void(std::string const&)> on_fault_; // guarded by fault_mutex_

    // The writer, migrated; throws unwritable_error when a file database refuses writes.
    static database open_writer(std::string const& path, durability level);
    void remember_file() noexcept;
    bool shared() const noexcept;
    void give_back(std::unique_ptr<queries> reader) noexcept;
    static int on_commit(void* self, sqlite3* db, char const* name, int wal_pages) noexcept;
    static int on_writer_commit(void* self) noexcept;
    void run_checkpoints(database& conn) noexcept;
    std::pair<int, int> copy_wal(database& conn) noexcept;
    // True when the path no longer names the file the writer opened.
    bool file_moved() const noexcept;
    // Records that it does not (once), and reports it.
    void record_loss() noexcept;
    // Throws unwritable_error when the database file was found deleted, renamed or replaced.
    // Called holding mutex_, before a write lease is given. Costs an atomic load, and one stat()
    // for the first write after each of the checkpointer's looks, so a write that follows a quiet
    // spell sees a file lost in it; writes within a second of a loss may still be acknowledged.
    void check_writable();
    // Readies the writer for a lease of this kind; the caller holds mutex_.
    void switch_writer(writer_role role);

public:
    // Commits that add this many WAL pages (4 KiB each) wake the checkpointer at once.
    static constexpr int checkpoint_pages = 1000;
    // SQLite starts the WAL file over only when a write begins with all of it copied back, which
    // a stream of writes never allows; past this length the checkpointer copies the last pages
    // with the writer's lock held, so the next write starts it over and the WAL stays bounded
    // (128 MiB). That hold lasts as long as the checkpoint's two syncs (the database file flushed
    // just before, so they write little): 10-20 ms with 1,000,000 devices on this project's
    // virtual disk. It should still come seldom: at the fastest update rate measured, every few
    // seconds.
    static constexpr int restart_pages = 32 * checkpoint_pages;

    // Opens (creating when missing) and migrates the database at path (":memory:" allowed).
    // Throws unwritable_error when the file, or its directory (where the WAL goes), refuses
    // writes: SQLite would open it read-only without a word, and fail every write after.
    explicit store(std::string const& path, durability level = durability::normal);
    store(store const&) = delete;
    store& operator=(store const&) = delete;
    store(store&&) = delete;
    store& operator=(store&&) = delete;
    // Stops the checkpointer, closes the readers, and checkpoints the whole WAL into the database.
    ~store();

    // The writer, with its lock held for the lease's life: every transaction that may write, and
    // every call made inside it, runs within one. When a lease that saw a commit ends, the store's
    // version is raised (the writer's commit hook records the commit, so no writer can forget).
    class write_lease
    {
        friend class store;
        store* owner_;
        std::unique_lock<std::mutex> lock_;
        bool raises_version_ = true;

        // Throws unwritable_error as check_writable(), releasing lock.
        write_lease(store& owner, std::unique_lock<std::mutex> lock);

    public:
        write_lease(write_lease const&) = delete;
        write_lease& operator=(write_lease const&) = delete;
        write_lease(write_lease&&) noexcept = default;
        write_lease& operator=(write_lease&&) = delete;
        ~write_lease();

        queries& operator*() const noexcept { return owner_->writer_; }
        queries* operator->() const noexcept { return &owner_->writer_; }

        // What this lease commits is no part of the state the version stands for (the
        // signing-key stock): it leaves the version as it is.
        void keep_version() noexcept { raises_version_ = false; }
    };
    // Waits for the writer. Throws unwritable_error when the database file was found deleted,
    // renamed or replaced (see check_writable()).
    write_lease write();
    // The same when no one holds the writer now, else nullopt: for tests of who holds it.
    std::optional<write_lease> try_write();

    // A reader for one read transaction, returned to the store when the lease ends. Writes
    // through it fail with SQLITE_READONLY, whichever connection it lends.
    class read_lease
    {
        store* owner_;
        std::unique_ptr<queries> reader_;   // a reader connection of a shared database, or
        std::unique_lock<std::mutex> lock_; // the writer, locked, when the database is in memory

    public:
        explicit read_lease(store& owner);
        read_lease(read_lease const&) = delete;
        read_lease& operator=(read_lease const&) = delete;
        read_lease(read_lease&&) = delete;
        read_lease& operator=(read_lease&&) = delete;
        ~read_lease();

        queries& operator*() const noexcept { return reader_ ? *reader_ : owner_->writer_; }
        queries* operator->() const noexcept { return &**this; }
    };
    read_lease read() { return read_lease{*this}; }

    // A number that grows with every committed write, so a watcher (the web console) can tell
    // "changed since" without reading the tables. A write lease raises it as it ends, before it
    // lets the writer go: a read lease on the writer sees the version of what it reads, and one
    // that loads version() before its first read sees at least that version.
    std::uint64_t version() const noexcept { return version_.load(); }

    // Why writes are refused, or "" while they are not; looks at the file now. Thread-safe.
    std::string fault();
    // report(reason) is called once when the file is found lost, on the thread that finds it (at
    // once when it already is). Thread-safe; report must be, and must outlive the store.
    void on_fault(std::function<void(std::string const&)> report);
};

} // namespace cognitod::storage
