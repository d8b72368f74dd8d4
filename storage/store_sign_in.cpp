// The store's sign-in tables: signing keys, app clients, auth sessions and challenges.
#include "storage/store.hpp"

namespace cognitod::storage
{

namespace
{

app_client read_client(statement& st)
{
    app_client c;
    c.seq = st.column_int64(0);
    c.id = st.column_text(1);
    c.pool_seq = st.column_int64(2);
    c.name = st.column_text(3);
    c.secret = st.column_text(4);
    c.created = st.column_int64(5);
    c.last_modified = st.column_int64(6);
    c.settings = nlohmann::json::parse(st.column_text(7));
    return c;
}

auth_session read_session(statement& st)
{
    auth_session s;
    s.origin_jti = st.column_text(0);
    s.user_id = st.column_int64(1);
    s.client_seq = st.column_int64(2);
    s.refresh_hash = st.column_text(3);
    s.device_key = st.column_text(4);
    s.auth_time = st.column_int64(5);
    s.refresh_expires = st.column_int64(6);
    s.revoked = st.column_int64(7) != 0;
    s.scope = st.column_optional_text(8).value_or("");
    return s;
}

} // namespace

std::optional<std::string> queries::pool_signing_keys(std::int64_t pool_seq)
{
    auto st = db_.cached("SELECT signing_keys FROM user_pools WHERE seq = ?1");
    st->bind(1, pool_seq);
    if (!st->step() || st->column_is_null(0))
    {
        return std::nullopt;
    }
    return st->column_text(0);
}

bool queries::set_pool_signing_keys(std::int64_t pool_seq, std::string_view keys)
{
    auto st =
        db_.cached("UPDATE user_pools SET signing_keys = ?2 WHERE seq = ?1 AND signing_keys IS NULL"
        );
    st->bind(1, pool_seq).bind(2, keys);
    return st->execute() == 1;
}

void queries::add_stock_key(std::string_view pem)
{
    auto st = db_.cached("INSERT INTO signing_key_stock (pem) VALUES (?1)");
    st->bind(1, pem);
    st->execute();
}

std::vector<std::string> queries::take_stock_keys(std::size_t count)
{
    std::vector<std::string> keys;
    std::int64_t last = 0;
    {
        auto st = db_.cached("SELECT seq, pem FROM signing_key_stock ORDER BY seq LIMIT ?1");
        st->bind(1, static_cast<std::int64_t>(count));
        while (st->step())
        {
            last = st->column_int64(0);
            keys.push_back(st->column_text(1));
        }
    }
    if (keys.size() < count)
    {
        return {};
    }
    auto st = db_.cached("DELETE FROM signing_key_stock WHERE seq <= ?1");
    st->bind(1, last);
    st->execute();
    return keys;
}

std::vector<std::string> queries::stock_keys()
{
    std::vector<std::string> keys;
    auto st = db_.cached("SELECT pem FROM signing_key_stock ORDER BY seq");
    while (st->step())
    {
        keys.push_back(st->column_text(0));
    }
    return keys;
}

std::size_t queries::count_stock_keys()
{
    auto st = db_.cached("SELECT count(*) FROM signing_key_stock");
    st->step();
    return static_cast<std::size_t>(st->column_int64(0));
}

std::int64_t queries::insert_app_client(app_client const& c)
{
    auto st = db_.cached(
        "INSERT INTO app_clients (id, pool_seq, name, secret, created, last_modified, settings) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    );
    st->bind(1, c.id).bind(2, c.pool_seq).bind(3, c.name);
    if (c.secret.empty())
    {
        st->bind_null(4);
    }
    else
    {
        st->bind(4, c.secret);
    }
    st->bind(5, c.created).bind(6, c.last_modified).bind(7, c.settings.dump());
    st->execute();
    return db_.last_insert_rowid();
}

std::optional<app_client> queries::find_app_client(std::string_view id)
{
    auto st = db_.cached("SELECT seq, id, pool_seq, name, secret, created, last_modified, settings "
                         "FROM app_clients WHERE id = ?1");
    st->bind(1, id);
    if (!st->step())
    {
        return std::nullopt;
    }
    return read_client(*st);
}

std::vector<app_client>
queries::list_app_clients(std::int64_t pool_seq, std::int64_t after_seq, std::size_t limit)
{
    auto st = db_.cached("SELECT seq, id, pool_seq, name, secret, created, last_modified, settings "
                         "FROM app_clients WHERE pool_seq = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
    st->bind(1, pool_seq).bind(2, after_seq).bind(3, static_cast<std::int64_t>(limit));
    std::vector<app_client> clients;
    while (st->step())
    {
        clients.push_back(read_client(*st));
    }
    return clients;
}

void queries::update_app_client(app_client const& c)
{
    auto st = db_.cached(
        "UPDATE app_clients SET name = ?2, last_modified = ?3, settings = ?4 WHERE seq = ?1"
    );
    st->bind(1, c.seq).bind(2, c.name).bind(3, c.last_modified).bind(4, c.settings.dump());
    st->execute();
}

void queries::delete_app_client(std::int64_t seq)
{
    auto st = db_.cached("DELETE FROM app_clients WHERE seq = ?1");
    st->bind(1, seq);
    st->execute();
}

void queries::insert_auth_session(auth_session const& s)
{
    auto st = db_.cached(
        "INSERT INTO auth_sessions (origin_jti, user_id, client_seq, refresh_hash, device_key, "
        "auth_time, refresh_expires, revoked, scope) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    );
    st->bind(1, s.origin_jti).bind(2, s.user_id).bind(3, s.client_seq).bind(4, s.refresh_hash);
    if (s.device_key.empty())
    {
        st->bind_null(5);
    }
    else
    {
        st->bind(5, s.device_key);
    }
    st->bind(6, s.auth_time).bind(7, s.refresh_expires).bind(8, s.revoked);
    st->bind_optional(9, s.scope.empty() ? std::nullopt : std::optional<std::string>{s.scope});
    st->execute();
}

std::optional<auth_session> queries::find_auth_session(std::string_view origin_jti)
{
    auto st = db_.cached("SELECT origin_jti, user_id, client_seq, refresh_hash, device_key, "
                         "auth_time, refresh_expires, revoked, scope FROM auth_sessions "
                         "WHERE origin_jti = ?1");
    st->bind(1, origin_jti);
    if (!st->step())
    {
        return std::nullopt;
    }
    return read_session(*st);
}

std::optional<auth_session> queries::find_auth_session_by_refresh(std::string_view refresh_hash)
{
    auto st = db_.cached("SELECT origin_jti, user_id, client_seq, refresh_hash, device_key, "
                         "auth_time, refresh_expires, revoked, scope FROM auth_sessions "
                         "WHERE refresh_hash = ?1");
    st->bind(1, refresh_hash);
    if (!st->step())
    {
        return std::nullopt;
    }
    return read_session(*st);
}

void queries::revoke_auth_session(std::string_view origin_jti)
{
    auto st = db_.cached("UPDATE auth_sessions SET revoked = 1 WHERE origin_jti = ?1");
    st->bind(1, origin_jti);
    st->execute();
}

void queries::revoke_user_sessions(std::int64_t user_id)
{
    auto st = db_.cached("UPDATE auth_sessions SET revoked = 1 WHERE user_id = ?1");
    st->bind(1, user_id);
    st->execute();
}

void queries::set_session_refresh(std::string_view origin_jti, std::string_view refresh_hash)
{
    auto st = db_.cached("UPDATE auth_sessions SET refresh_hash = ?2 WHERE origin_jti = ?1");
    st->bind(1, origin_jti).bind(2, refresh_hash);
    st->execute();
}

void queries::insert_challenge(challenge const& c)
{
    auto st = db_.cached("INSERT INTO challenges (session_hash, user_id, client_seq, name, "
                         "expires, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    st->bind(1, c.session_hash)
        .bind(2, c.user_id)
        .bind(3, c.client_seq)
        .bind(4, c.name)
        .bind(5, c.expires)
        .bind(6, c.state.dump());
    st->execute();
}

std::optional<challenge> queries::find_challenge(std::string_view session_hash)
{
    auto st = db_.cached("SELECT session_hash, user_id, client_seq, name, expires, state "
                         "FROM challenges WHERE session_hash = ?1");
    st->bind(1, session_hash);
    if (!st->step())
    {
        return std::nullopt;
    }
    return challenge{
        st->column_text(0),
        st->column_int64(1),
        st->column_int64(2),
        st->column_text(3),
        st->column_int64(4),
        nlohmann::json::parse(st->column_text(5)),
    };
}

void queries::delete_challenge(std::string_view session_hash)
{
    auto st = db_.cached("DELETE FROM challenges WHERE session_hash = ?1");
    st->bind(1, session_hash);
    st->execute();
}

void queries::mark_challenge_used(std::string_view session_hash)
{
    auto st = db_.cached("UPDATE challenges SET name = 'USED' WHERE session_hash = ?1");
    st->bind(1, session_hash);
    st->execute();
}

void queries::delete_expired_challenges(std::int64_t now_ms)
{
    auto st = db_.cached("DELETE FROM challenges WHERE expires < ?1");
    st->bind(1, now_ms);
    st->execute();
}

void queries::insert_message(message const& m)
{
    auto st = db_.cached(
        "INSERT INTO messages (pool_id, username, medium, destination, purpose, code, message, "
        "created, subject) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    );
    st->bind(1, m.pool_id)
        .bind(2, m.username)
        .bind(3, m.medium)
        .bind(4, m.destination)
        .bind(5, m.purpose)
        .bind(6, m.code)
        .bind(7, m.text)
        .bind(8, m.created)
        .bind(9, m.subject);
    st->execute();
}

namespace
{

std::vector<message> read_messages(statement& st)
{
    std::vector<message> out;
    while (st.step())
    {
        out.push_back({
            st.column_int64(0),
            st.column_text(1),
            st.column_text(2),
            st.column_text(3),
            st.column_text(4),
            st.column_text(5),
            st.column_text(6),
            st.column_text(7),
            st.column_int64(8),
            st.column_text(9),
            {},
        });
    }
    return out;
}

} // namespace

std::vector<message> queries::list_messages(std::string_view pool_id, std::string_view username)
{
    auto st =
        db_.cached("SELECT seq, pool_id, username, medium, destination, purpose, code, "
                   "message, created, subject FROM messages WHERE (?1 = '' OR pool_id = ?1) AND "
                   "(?2 = '' OR username = ?2) ORDER BY seq");
    st->bind(1, pool_id).bind(2, username);
    return read_messages(*st);
}

std::vector<message> queries::recent_messages(std::string_view pool_id, std::size_t limit)
{
    auto st = db_.cached("SELECT seq, pool_id, username, medium, destination, purpose, code, "
                         "message, created, subject FROM messages WHERE pool_id = ?1 ORDER BY seq "
                         "DESC LIMIT ?2");
    st->bind(1, pool_id).bind(2, static_cast<std::int64_t>(limit));
    return read_messages(*st);
}

void queries::clear_messages()
{
    db_.exec("DELETE FROM messages");
}

void queries::wipe()
{
    // Every table but the signing-key stock, each cut whole rather than row by row: SQLite
    // truncates a table (drops its pages, without visiting its rows' cells or indexes) when no
    // trigger and no foreign key makes it look at the rows. The pragma takes effect only outside
    // a transaction; the triggers are dropped and made again inside it, from their own text.
    db_.exec("PRAGMA foreign_keys = OFF");
    try
    {
        transaction tx{db_, transaction_mode::immediate};
        std::vector<std::string> tables;
        {
            auto st = db_.cached(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name <> 'signing_key_stock'"
            );
            while (st->step())
            {
                tables.push_back(st->column_text(0));
            }
        }
        std::vector<std::pair<std::string, std::string>> triggers; // name, CREATE TRIGGER
        {
            auto st = db_.cached("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND "
                                 "tbl_name <> 'signing_key_stock'");
            while (st->step())
            {
                triggers.emplace_back(st->column_text(0), st->column_text(1));
            }
        }
        for (auto const& [name, sql] : triggers)
        {
            db_.exec("DROP TRIGGER \"" + name + "\"");
        }
        for (auto const& table : tables)
        {
            db_.exec("DELETE FROM \"" + table + "\"");
        }
        for (auto const& [name, sql] : triggers)
        {
            db_.exec(sql);
        }
        tx.commit();
    }
    catch (...)
    {
        db_.exec("PRAGMA foreign_keys = ON");
        throw;
    }
    db_.exec("PRAGMA foreign_keys = ON");
}

} // namespace cognitod::storage
