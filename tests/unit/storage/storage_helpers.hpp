// Test helpers for storage/: rows built with readable defaults, inserted into an in-memory
// database's queries.
#pragma once

#include "storage/migrations.hpp"
#include "storage/store.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace cognitod::storage::testing
{

constexpr std::int64_t t0 = 1'715'100'742'022; // a fixed instant, in milliseconds

// The queries over a fresh in-memory database, migrated: what a store's writer is, for the tests
// of the queries themselves (the store's connections and leases have tests of their own).
inline queries memory_queries()
{
    database db{":memory:"};
    migrate(db);
    return queries{std::move(db)};
}

class pool_row
{
    user_pool pool_;

public:
    explicit pool_row(std::string id)
    {
        pool_.id = std::move(id);
        pool_.name = "pool-" + pool_.id;
        pool_.created = t0;
        pool_.last_modified = t0;
        pool_.settings = nlohmann::json{{"MfaConfiguration", "OFF"}};
    }
    pool_row& named(std::string name)
    {
        pool_.name = std::move(name);
        return *this;
    }
    // Returns the pool as stored, seq included.
    user_pool insert(queries& s)
    {
        pool_.seq = s.insert_user_pool(pool_);
        return pool_;
    }
};

inline pool_row make_pool(std::string id = "us-east-1_000000001")
{
    return pool_row{std::move(id)};
}

class user_row
{
    user user_;

public:
    explicit user_row(std::string username)
    {
        user_.username = username;
        user_.username_key = std::move(username);
        user_.sub = "sub-" + user_.username;
        user_.status = "CONFIRMED";
        user_.created = t0;
        user_.last_modified = t0;
    }
    user_row& with_sub(std::string sub)
    {
        user_.sub = std::move(sub);
        return *this;
    }
    user_row& with_key(std::string key)
    {
        user_.username_key = std::move(key);
        return *this;
    }
    user_row& with_status(std::string status)
    {
        user_.status = std::move(status);
        return *this;
    }
    user_row& disabled()
    {
        user_.enabled = false;
        return *this;
    }
    user_row& with(std::string name, std::string value)
    {
        user_.attributes.push_back({std::move(name), std::move(value)});
        return *this;
    }
    user_row& with_password(std::string salt, std::string verifier)
    {
        user_.password_salt = std::move(salt);
        user_.password_verifier = std::move(verifier);
        return *this;
    }
    user insert(queries& s, user_pool const& pool)
    {
        user_.pool_seq = pool.seq;
        user_.id = s.insert_user(user_);
        return user_;
    }
};

inline user_row make_user(std::string username)
{
    return user_row{std::move(username)};
}

class device_row
{
    device device_;

public:
    explicit device_row(std::string key)
    {
        device_.key = std::move(key);
        device_.group_key = "-aBcDeFgH1";
        device_.name = "phone";
        device_.remembered = true;
        device_.confirmed = true;
        device_.last_ip = "192.0.2.10";
        device_.created = t0;
        device_.last_modified = t0;
    }
    device_row& not_remembered()
    {
        device_.remembered = false;
        return *this;
    }
    device_row& never_authenticated()
    {
        device_.last_authenticated.reset();
        return *this;
    }
    device_row& authenticated_at(std::int64_t ms)
    {
        device_.last_authenticated = ms;
        return *this;
    }
    device_row& with_secret(std::string verifier, std::string salt)
    {
        device_.verifier = std::move(verifier);
        device_.salt = std::move(salt);
        return *this;
    }
    device insert(queries& s, user const& owner)
    {
        device_.user_id = owner.id;
        device_.seq = s.insert_device(device_);
        return device_;
    }
};

inline device_row make_device(std::string key)
{
    return device_row{std::move(key)};
}

// A device key in Cognito's format whose last group is n.
inline std::string device_key(int n)
{
    std::string digits = std::to_string(n);
    return "us-east-1_00000000-0000-4000-8000-" + std::string(12 - digits.size(), '0') + digits;
}

// One value from a query that returns one row.
inline std::int64_t scalar(database& db, std::string const& sql)
{
    statement st{db.handle(), sql};
    st.step();
    return st.column_int64(0);
}

// Usernames of users, in order.
inline std::vector<std::string> usernames(std::vector<user> const& users)
{
    std::vector<std::string> names;
    for (auto const& u : users)
    {
        names.push_back(u.username);
    }
    return names;
}

// Keys of devices, in order.
inline std::vector<std::string> keys(std::vector<device> const& devices)
{
    std::vector<std::string> out;
    for (auto const& d : devices)
    {
        out.push_back(d.key);
    }
    return out;
}

inline user_filter
filter(user_filter::field what, std::string value, bool prefix = false, std::string name = {})
{
    user_filter f;
    f.what = what;
    f.value = std::move(value);
    f.prefix = prefix;
    f.attribute_name = std::move(name);
    return f;
}

inline std::int64_t rows(queries& s, std::string const& table)
{
    return scalar(s.db(), "SELECT count(*) FROM " + table);
}

// Sign-in rows: an app client of pool, a session and a challenge of user u through client c.
inline app_client client_row(std::string id, user_pool const& pool)
{
    app_client c;
    c.id = std::move(id);
    c.pool_seq = pool.seq;
    c.name = "client-" + c.id;
    c.created = t0;
    c.last_modified = t0;
    c.settings = {{"RefreshTokenValidity", 30}, {"TokenValidityUnits", nlohmann::json::object()}};
    return c;
}

inline app_client insert_client(queries& s, app_client c)
{
    c.seq = s.insert_app_client(c);
    return c;
}

inline auth_session session_row(std::string origin_jti, user const& u, app_client const& c)
{
    auth_session session;
    session.refresh_hash = "hash-" + origin_jti;
    session.origin_jti = std::move(origin_jti);
    session.user_id = u.id;
    session.client_seq = c.seq;
    session.auth_time = t0 / 1000;
    session.refresh_expires = t0 / 1000 + 30 * 86400;
    return session;
}

inline challenge
challenge_row(std::string hash, user const& u, app_client const& c, std::int64_t expires)
{
    challenge ch;
    ch.session_hash = std::move(hash);
    ch.user_id = u.id;
    ch.client_seq = c.seq;
    ch.name = "NEW_PASSWORD_REQUIRED";
    ch.expires = expires;
    ch.state = {{"device_key", nullptr}};
    return ch;
}

// The statements the database holds now (the store keeps each one it has used in its cache).
inline std::set<sqlite3_stmt*> live_statements(database& db)
{
    std::set<sqlite3_stmt*> found;
    for (sqlite3_stmt* st = sqlite3_next_stmt(db.handle(), nullptr); st != nullptr;
         st = sqlite3_next_stmt(db.handle(), st))
    {
        found.insert(st);
    }
    return found;
}

// The SQL of every statement the store prepared while running fn.
template <class Fn> std::vector<std::string> sql_used_by(queries& s, Fn&& fn)
{
    auto const before = live_statements(s.db());
    std::forward<Fn>(fn)();
    std::vector<std::string> texts;
    for (sqlite3_stmt* st : live_statements(s.db()))
    {
        if (!before.contains(st))
        {
            texts.emplace_back(sqlite3_sql(st));
        }
    }
    return texts;
}

// EXPLAIN QUERY PLAN's detail lines for sql, joined with newlines.
inline std::string query_plan(database& db, std::string const& sql)
{
    statement st{db.handle(), "EXPLAIN QUERY PLAN " + sql};
    std::string plan;
    while (st.step())
    {
        plan += st.column_text(3);
        plan += '\n';
    }
    return plan;
}

} // namespace cognitod::storage::testing
