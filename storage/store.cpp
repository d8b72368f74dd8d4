#include "storage/store.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace cognitod::storage
{

namespace
{

device read_device(statement& st)
{
    device d;
    d.seq = st.column_int64(0);
    d.key = st.column_text(1);
    d.user_id = st.column_int64(2);
    d.group_key = st.column_text(3);
    d.name = st.column_text(4);
    d.status = st.column_text(5);
    d.remembered = st.column_int64(6) != 0;
    d.confirmed = st.column_int64(7) != 0;
    d.last_ip = st.column_text(8);
    d.created = st.column_int64(9);
    d.last_modified = st.column_int64(10);
    d.last_authenticated = st.column_optional_int64(11);
    d.verifier = st.column_blob(12);
    d.salt = st.column_blob(13);
    return d;
}

// Column lists shared by several statements; macros so that they concatenate with the literals
// around them into one static SQL text per statement (the statement cache keys on that text).
#define COGNITOD_DEVICE_COLUMNS                                                                    \
    "seq, device_key, user_id, group_key, name, status, remembered, confirmed, last_ip, created, " \
    "last_modified, last_authenticated, verifier, salt"

#define COGNITOD_USER_COLUMNS                                                                      \
    "u.id, u.pool_seq, u.username, u.username_key, u.sub, u.status, u.enabled, u.created, "        \
    "u.last_modified, u.password_salt, u.password_verifier, u.revoked_before, u.mfa"

} // namespace

queries::queries(database db) : db_(std::move(db)) {}

std::int64_t queries::insert_user_pool(user_pool const& pool)
{
    auto st = db_.cached("INSERT INTO user_pools (id, name, created, last_modified, settings) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)");
    st->bind(1, pool.id)
        .bind(2, pool.name)
        .bind(3, pool.created)
        .bind(4, pool.last_modified)
        .bind(5, pool.settings->dump());
    st->execute();
    return db_.last_insert_rowid();
}

user_pool queries::read_pool(statement& st)
{
    user_pool pool;
    pool.seq = st.column_int64(0);
    pool.id = st.column_text(1);
    pool.name = st.column_text(2);
    pool.created = st.column_int64(3);
    pool.last_modified = st.column_int64(4);
    auto const revision = st.column_int64(5);
    // More pools than any test makes: start over rather than grow without bound.
    if (settings_cache_.size() >= max_cached_pools && !settings_cache_.contains(pool.seq))
    {
        settings_cache_.clear();
    }
    auto& cached = settings_cache_[pool.seq];
    if (!cached.value || cached.revision != revision)
    {
        // The text is read only here, by a statement of its own: a statement that selected it would
        // fetch its overflow pages on every step, wanted or not.
        auto text = db_.cached("SELECT settings FROM user_pools WHERE seq = ?1");
        text->bind(1, pool.seq);
        if (!text->step())
        {
            throw std::logic_error("user pool " + pool.id + " has no settings row");
        }
        cached.value =
            std::make_shared<nlohmann::json const>(nlohmann::json::parse(text->column_text_view(0))
            );
        cached.revision = revision;
    }
    pool.settings = pool_settings{cached.value};
    return pool;
}

std::optional<user_pool> queries::first_pool(statement& st)
{
    if (!st.step())
    {
        return std::nullopt;
    }
    return read_pool(st);
}

std::optional<user_pool> queries::find_user_pool(std::string_view id)
{
    auto st = db_.cached("SELECT seq, id, name, created, last_modified, settings_revision "
                         "FROM user_pools WHERE id = ?1");
    st->bind(1, id);
    return first_pool(*st);
}

std::optional<user_pool> queries::find_user_pool_by_name(std::string_view name)
{
    auto st = db_.cached("SELECT seq, id, name, created, last_modified, settings_revision "
                         "FROM user_pools WHERE name = ?1 ORDER BY seq LIMIT 1");
    st->bind(1, name);
    return first_pool(*st);
}

std::optional<user_pool> queries::find_user_pool_by_seq(std::int64_t seq)
{
    auto st = db_.cached("SELECT seq, id, name, created, last_modified, settings_revision "
                         "FROM user_pools WHERE seq = ?1");
    st->bind(1, seq);
    return first_pool(*st);
}

std::vector<user_pool> queries::list_user_pools(std::int64_t after_seq, std::size_t limit)
{
    auto st = db_.cached("SELECT seq, id, name, created, last_modified, settings_revision "
                         "FROM user_pools WHERE seq > ?1 ORDER BY seq LIMIT ?2");
    st->bind(1, after_seq).bind(2, static_cast<std::int64_t>(limit));
    std::vector<user_pool> pools;
    while (st->step())
    {
        pools.push_back(read_pool(*st));
    }
    return pools;
}

void queries::update_user_pool(user_pool const& pool)
{
    auto st = db_.cached("UPDATE user_pools SET name = ?2, last_modified = ?3, settings = ?4 "
                         "WHERE seq = ?1");
    st->bind(1, pool.seq)
        .bind(2, pool.name)
        .bind(3, pool.last_modified)
        .bind(4, pool.settings->dump());
    st->execute();
}

void queries::delete_user_pool(std::int64_t seq)
{
    auto st = db_.cached("DELETE FROM user_pools WHERE seq = ?1");
    st->bind(1, seq);
    st->execute();
}

std::int64_t queries::count_users(std::int64_t pool_seq)
{
    // One row read, however many users the pool has: triggers on users keep the count.
    auto st = db_.cached("SELECT user_count FROM user_pools WHERE seq = ?1");
    st->bind(1, pool_seq);
    if (!st->step())
    {
        return 0;
    }
    return st->column_int64(0);
}

std::int64_t queries::insert_user(user const& u)
{
    std::int64_t id = 0;
    {
        auto st = db_.cached(
            "INSERT INTO users (pool_seq, username, username_key, sub, status, enabled, created, "
            "last_modified, password_salt, password_verifier) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        );
        st->bind(1, u.pool_seq)
            .bind(2, u.username)
            .bind(3, u.username_key)
            .bind(4, u.sub)
            .bind(5, u.status)
            .bind(6, u.enabled)
            .bind(7, u.created)
            .bind(8, u.last_modified);
        if (u.password_verifier.empty())
        {
            st->bind_null(9).bind_null(10);
        }
        else
        {
            st->bind_blob(9, u.password_salt).bind_blob(10, u.password_verifier);
        }
        st->execute();
        id = db_.last_insert_rowid();
    }
    replace_attributes(id, u.attributes);
    return id;
}

std::vector<attribute> queries::load_attributes(std::int64_t user_id)
{
    // Put in order here rather than by ORDER BY position: the rows come by the primary key
    // (user_id, name), and SQLite sorted the user's handful of them in a temporary B-tree.
    auto st = db_.cached("SELECT position, name, value FROM user_attributes WHERE user_id = ?1");
    st->bind(1, user_id);
    std::vector<std::pair<std::int64_t, attribute>> rows;
    while (st->step())
    {
        rows.emplace_back(st->column_int64(0), attribute{st->column_text(1), st->column_text(2)});
    }
    std::stable_sort(
        rows.begin(), rows.end(), [](auto const& a, auto const& b) { return a.first < b.first; }
    );
    std::vector<attribute> attributes;
    attributes.reserve(rows.size());
    for (auto& row : rows)
    {
        attributes.push_back(std::move(row.second));
    }
    return attributes;
}

std::optional<user> queries::read_user(statement& st)
{
    user u;
    u.id = st.column_int64(0);
    u.pool_seq = st.column_int64(1);
    u.username = st.column_text(2);
    u.username_key = st.column_text(3);
    u.sub = st.column_text(4);
    u.status = st.column_text(5);
    u.enabled = st.column_int64(6) != 0;
    u.created = st.column_int64(7);
    u.last_modified = st.column_int64(8);
    u.password_salt = st.column_blob(9);
    u.password_verifier = st.column_blob(10);
    u.revoked_before = st.column_int64(11);
    u.mfa = nlohmann::json::parse(st.column_text(12));
    return u;
}

std::optional<user> queries::first_user(statement& st)
{
    if (!st.step())
    {
        return std::nullopt;
    }
    auto u = read_user(st);
    u->attributes = load_attributes(u->id);
    return u;
}

std::optional<user> queries::find_user(std::int64_t pool_seq, std::string_view username_key)
{
    auto st = db_.cached("SELECT " COGNITOD_USER_COLUMNS
                         " FROM users u WHERE u.pool_seq = ?1 AND u.username_key = ?2");
    st->bind(1, pool_seq).bind(2, username_key);
    return first_user(*st);
}

std::optional<device_owner>
queries::find_device_owner(std::int64_t pool_seq, std::string_view username_key)
{
    // INDEXED BY: for an equality on all of a UNIQUE index SQLite takes that index and then reads
    // the table row for the username, though this index answers alone.
    auto st = db_.cached("SELECT id, username FROM users INDEXED BY users_by_name_key"
                         " WHERE pool_seq = ?1 AND username_key = ?2");
    st->bind(1, pool_seq).bind(2, username_key);
    if (!st->step())
    {
        return std::nullopt;
    }
    return device_owner{st->column_int64(0), st->column_text(1)};
}

std::optional<user> queries::find_user_by_sub(std::int64_t pool_seq, std::string_view sub)
{
    auto st = db_.cached("SELECT " COGNITOD_USER_COLUMNS
                         " FROM users u WHERE u.pool_seq = ?1 AND u.sub = ?2");
    st->bind(1, pool_seq).bind(2, sub);
    return first_user(*st);
}

std::optional<user> queries::find_user_by_id(std::int64_t id)
{
    auto st = db_.cached("SELECT " COGNITOD_USER_COLUMNS " FROM users u WHERE u.id = ?1");
    st->bind(1, id);
    return first_user(*st);
}

std::vector<user> queries::find_users_by_attribute(
    std::int64_t pool_seq, std::string_view name, std::string_view value
)
{
    std::vector<user> users;
    {
        auto st = db_.cached("SELECT " COGNITOD_USER_COLUMNS
                             " FROM user_attributes a JOIN users u ON u.id = a.user_id"
                             " WHERE a.name = ?2 AND a.value = ?3 AND u.pool_seq = ?1"
                             " ORDER BY u.id");
        st->bind(1, pool_seq).bind(2, name).bind(3, value);
        while (st->step())
        {
            users.push_back(*read_user(*st));
        }
    }
    for (auto& u : users)
    {
        u.attributes = load_attributes(u.id);
    }
    return users;
}

std::vector<user> queries::find_users_by_folded_attribute(
    std::int64_t pool_seq, std::string_view name, std::string_view value
)
{
    std::vector<user> users;
    {
        auto st = db_.cached("SELECT " COGNITOD_USER_COLUMNS
                             " FROM user_attributes a JOIN users u ON u.id = a.user_id"
                             " WHERE a.name = ?2 AND lower(a.value) = lower(?3) AND u.pool_seq = ?1"
                             " ORDER BY u.id");
        st->bind(1, pool_seq).bind(2, name).bind(3, value);
        while (st->step())
        {
            users.push_back(*read_user(*st));
        }
    }
    for (auto& u : users)
    {
        u.attributes = load_attributes(u.id);
    }
    return users;
}

std::vector<user> queries::list_users(
    std::int64_t pool_seq,
    std::int64_t after_id,
    std::size_t limit,
    std::optional<user_filter> const& filter
)
{
    // Each filter kind has its own fixed statement; values are always bound, never spliced.
    std::string_view sql = "SELECT " COGNITOD_USER_COLUMNS " FROM users u"
                           " WHERE u.pool_seq = ?1 AND u.id > ?2 ORDER BY u.id LIMIT ?3";
    if (filter)
    {
        using field = user_filter::field;
        bool const prefix = filter->prefix;
        switch (filter->what)
        {
        case field::username:
            sql = prefix ? "SELECT " COGNITOD_USER_COLUMNS
                           " FROM users u WHERE u.pool_seq = ?1 AND u.id > ?2"
                           " AND substr(u.username, 1, length(?4)) = ?4 ORDER BY u.id LIMIT ?3"
                         : "SELECT " COGNITOD_USER_COLUMNS
                           " FROM users u WHERE u.pool_seq = ?1 AND u.id > ?2"
                           " AND u.username = ?4 ORDER BY u.id LIMIT ?3";
            break;
        case field::sub:
            sql = prefix ? "SELECT " COGNITOD_USER_COLUMNS
                           " FROM users u WHERE u.pool_seq = ?1 AND u.id > ?2"
                           " AND substr(u.sub, 1, length(?4)) = ?4 ORDER BY u.id LIMIT ?3"
                         : "SELECT " COGNITOD_USER_COLUMNS
                           " FROM users u WHERE u.pool_seq = ?1 AND u.id > ?2"
                           " AND u.sub = ?4 ORDER BY u.id LIMIT ?3";
            break;
        case field::user_status:
            sql = prefix ? "SELECT " COGNITOD_USER_COLUMNS
                           " FROM users u WHERE u.pool_seq = ?1 AND u.id > ?2"
                           " AND substr(u.status, 1, length(?4)) = ?4 ORDER BY u.id LIMIT ?3"
                         : "SELECT " COGNITOD_USER_COLUMNS
                           " FROM users u WHERE u.pool_seq = ?1 AND u.id > ?2"
                           " AND u.status = ?4 ORDER BY u.id LIMIT ?3";
            break;
        case field::enabled:
            sql = prefix ? "SELECT " COGNITOD_USER_COLUMNS
                           " FROM users u WHERE u.pool_seq = ?1 AND u.id > ?2 AND substr("
                           "CASE u.enabled WHEN 1 THEN 'Enabled' ELSE 'Disabled' END, 1, "
                           "length(?4)) = ?4 ORDER BY u.id LIMIT ?3"
                         : "SELECT " COGNITOD_USER_COLUMNS
                           " FROM users u WHERE u.pool_seq = ?1 AND u.id > ?2 AND "
                           "CASE u.enabled WHEN 1 THEN 'Enabled' ELSE 'Disabled' END = ?4"
                           " ORDER BY u.id LIMIT ?3";
            break;
        case field::attribute:
            sql = prefix ? "SELECT " COGNITOD_USER_COLUMNS
                           " FROM users u JOIN user_attributes a ON a.user_id = u.id"
                           " WHERE u.pool_seq = ?1 AND u.id > ?2 AND a.name = ?5"
                           " AND substr(a.value, 1, length(?4)) = ?4 ORDER BY u.id LIMIT ?3"
                         : "SELECT " COGNITOD_USER_COLUMNS
                           " FROM users u JOIN user_attributes a ON a.user_id = u.id"
                           " WHERE u.pool_seq = ?1 AND u.id > ?2 AND a.name = ?5"
                           " AND a.value = ?4 ORDER BY u.id LIMIT ?3";
            break;
        }
    }
    std::vector<user> users;
    {
        auto st = db_.cached(sql);
        st->bind(1, pool_seq).bind(2, after_id).bind(3, static_cast<std::int64_t>(limit));
        if (filter)
        {
            st->bind(4, filter->value);
            if (filter->what == user_filter::field::attribute)
            {
                st->bind(5, filter->attribute_name);
            }
        }
        while (st->step())
        {
            users.push_back(*read_user(*st));
        }
    }
    for (auto& u : users)
    {
        u.attributes = load_attributes(u.id);
    }
    return users;
}

void queries::update_user(user const& u)
{
    auto st = db_.cached("UPDATE users SET status = ?2, enabled = ?3, last_modified = ?4, "
                         "password_salt = ?5, password_verifier = ?6, revoked_before = ?7, "
                         "mfa = ?8 WHERE id = ?1");
    st->bind(1, u.id).bind(2, u.status).bind(3, u.enabled).bind(4, u.last_modified);
    st->bind(7, u.revoked_before).bind(8, u.mfa.dump());
    if (u.password_verifier.empty())
    {
        st->bind_null(5).bind_null(6);
    }
    else
    {
        st->bind_blob(5, u.password_salt).bind_blob(6, u.password_verifier);
    }
    st->execute();
}

void queries::replace_attributes(std::int64_t user_id, std::vector<attribute> const& attributes)
{
    {
        auto st = db_.cached("DELETE FROM user_attributes WHERE user_id = ?1");
        st->bind(1, user_id);
        st->execute();
    }
    auto st = db_.cached(
        "INSERT INTO user_attributes (user_id, position, name, value) VALUES (?1, ?2, ?3, ?4)"
    );
    std::int64_t position = 0;
    for (auto const& a : attributes)
    {
        st->reset();
        st->bind(1, user_id).bind(2, position++).bind(3, a.name).bind(4, a.value);
        st->execute();
    }
}

void queries::delete_user(std::int64_t user_id)
{
    auto st = db_.cached("DELETE FROM users WHERE id = ?1");
    st->bind(1, user_id);
    st->execute();
}

std::int64_t queries::insert_device(device const& d)
{
    auto st = db_.cached(
        "INSERT INTO devices (device_key, user_id, group_key, name, status, remembered, "
        "confirmed, last_ip, created, last_modified, last_authenticated, verifier, salt) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    );
    st->bind(1, d.key)
        .bind(2, d.user_id)
        .bind(3, d.group_key)
        .bind(4, d.name)
        .bind(5, d.status)
        .bind(6, d.remembered)
        .bind(7, d.confirmed)
        .bind(8, d.last_ip)
        .bind(9, d.created)
        .bind(10, d.last_modified)
        .bind(11, d.last_authenticated)
        .bind_blob(12, d.verifier)
        .bind_blob(13, d.salt);
    st->execute();
    return db_.last_insert_rowid();
}

std::optional<device> queries::find_device(std::int64_t user_id, std::string_view key)
{
    auto st = db_.cached("SELECT " COGNITOD_DEVICE_COLUMNS
                         " FROM devices WHERE device_key = ?1 AND user_id = ?2");
    st->bind(1, key).bind(2, user_id);
    if (!st->step())
    {
        return std::nullopt;
    }
    return read_device(*st);
}

std::optional<device> queries::find_device_by_key(std::string_view key)
{
    auto st = db_.cached("SELECT " COGNITOD_DEVICE_COLUMNS " FROM devices WHERE device_key = ?1");
    st->bind(1, key);
    if (!st->step())
    {
        return std::nullopt;
    }
    return read_device(*st);
}

std::vector<device>
queries::list_devices(std::int64_t user_id, std::int64_t after_seq, std::size_t limit)
{
    auto st = db_.cached("SELECT " COGNITOD_DEVICE_COLUMNS
                         " FROM devices WHERE user_id = ?1 AND seq > ?2 AND remembered = 1"
                         " ORDER BY seq LIMIT ?3");
    st->bind(1, user_id).bind(2, after_seq).bind(3, static_cast<std::int64_t>(limit));
    std::vector<device> devices;
    while (st->step())
    {
        devices.push_back(read_device(*st));
    }
    return devices;
}

std::vector<device> queries::list_all_devices(std::int64_t user_id)
{
    auto st = db_.cached("SELECT " COGNITOD_DEVICE_COLUMNS " FROM devices WHERE user_id = ?1"
                         " ORDER BY seq");
    st->bind(1, user_id);
    std::vector<device> devices;
    while (st->step())
    {
        devices.push_back(read_device(*st));
    }
    return devices;
}

void queries::update_device(device const& d)
{
    auto st = db_.cached(
        "UPDATE devices SET name = ?2, status = ?3, remembered = ?4, confirmed = ?5, last_ip = ?6, "
        "last_modified = ?7, last_authenticated = ?8, verifier = ?9, salt = ?10 WHERE seq = ?1"
    );
    st->bind(1, d.seq)
        .bind(2, d.name)
        .bind(3, d.status)
        .bind(4, d.remembered)
        .bind(5, d.confirmed)
        .bind(6, d.last_ip)
        .bind(7, d.last_modified)
        .bind(8, d.last_authenticated)
        .bind_blob(9, d.verifier)
        .bind_blob(10, d.salt);
    st->execute();
}

bool queries::delete_device(std::int64_t user_id, std::string_view key)
{
    auto st = db_.cached("DELETE FROM devices WHERE device_key = ?1 AND user_id = ?2");
    st->bind(1, key).bind(2, user_id);
    return st->execute() == 1;
}

bool queries::seed_applied(std::string_view sha256)
{
    auto st = db_.cached("SELECT 1 FROM applied_seeds WHERE sha256 = ?1");
    st->bind(1, sha256);
    return st->step();
}

void queries::record_seed(std::string_view sha256, std::int64_t now)
{
    auto st = db_.cached("INSERT OR REPLACE INTO applied_seeds (sha256, applied) VALUES (?1, ?2)");
    st->bind(1, sha256).bind(2, now);
    st->execute();
}

} // namespace cognitod::storage
