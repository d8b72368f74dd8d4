// Domains, resource servers, identity providers and UI customizations (migration 012).
#include "storage/store.hpp"

namespace cognitod::storage
{

namespace
{

#define COGNITOD_DOMAIN_COLUMNS                                                                    \
    "domain, pool_seq, custom, certificate_arn, managed_login_version, created"
#define COGNITOD_OBJECT_COLUMNS "seq, pool_seq, kind, name, body, created, last_modified"

pool_domain read_domain(statement const& st)
{
    pool_domain d;
    d.domain = st.column_text(0);
    d.pool_seq = st.column_int64(1);
    d.custom = st.column_int64(2) != 0;
    d.certificate_arn = st.column_optional_text(3);
    d.managed_login_version = st.column_int64(4);
    d.created = st.column_int64(5);
    return d;
}

pool_object read_object(statement const& st)
{
    pool_object o;
    o.seq = st.column_int64(0);
    o.pool_seq = st.column_int64(1);
    o.kind = st.column_text(2);
    o.name = st.column_text(3);
    o.body = st.column_text(4);
    o.created = st.column_int64(5);
    o.last_modified = st.column_int64(6);
    return o;
}

} // namespace

void queries::insert_domain(pool_domain const& d)
{
    auto st = db_.cached("INSERT INTO pool_domains (" COGNITOD_DOMAIN_COLUMNS
                         ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    st->bind(1, d.domain)
        .bind(2, d.pool_seq)
        .bind(3, d.custom)
        .bind_optional(4, d.certificate_arn)
        .bind(5, d.managed_login_version)
        .bind(6, d.created);
    st->execute();
}

std::optional<pool_domain> queries::find_domain(std::string_view domain)
{
    auto st = db_.cached("SELECT " COGNITOD_DOMAIN_COLUMNS " FROM pool_domains WHERE domain = ?1");
    st->bind(1, domain);
    if (!st->step())
    {
        return std::nullopt;
    }
    return read_domain(*st);
}

std::vector<pool_domain> queries::domains_of_pool(std::int64_t pool_seq)
{
    auto st = db_.cached("SELECT " COGNITOD_DOMAIN_COLUMNS
                         " FROM pool_domains WHERE pool_seq = ?1 ORDER BY custom, domain");
    st->bind(1, pool_seq);
    std::vector<pool_domain> domains;
    while (st->step())
    {
        domains.push_back(read_domain(*st));
    }
    return domains;
}

void queries::update_domain(pool_domain const& d)
{
    auto st = db_.cached("UPDATE pool_domains SET certificate_arn = ?2, managed_login_version = ?3 "
                         "WHERE domain = ?1");
    st->bind(1, d.domain).bind_optional(2, d.certificate_arn).bind(3, d.managed_login_version);
    st->execute();
}

void queries::delete_domain(std::string_view domain)
{
    auto st = db_.cached("DELETE FROM pool_domains WHERE domain = ?1");
    st->bind(1, domain);
    st->execute();
}

std::int64_t queries::insert_pool_object(pool_object const& o)
{
    auto st = db_.cached("INSERT INTO pool_objects (pool_seq, kind, name, body, created, "
                         "last_modified) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    st->bind(1, o.pool_seq)
        .bind(2, o.kind)
        .bind(3, o.name)
        .bind(4, o.body)
        .bind(5, o.created)
        .bind(6, o.last_modified);
    st->execute();
    return db_.last_insert_rowid();
}

std::optional<pool_object>
queries::find_pool_object(std::int64_t pool_seq, std::string_view kind, std::string_view name)
{
    auto st = db_.cached("SELECT " COGNITOD_OBJECT_COLUMNS
                         " FROM pool_objects WHERE pool_seq = ?1 AND kind = ?2 AND name = ?3");
    st->bind(1, pool_seq).bind(2, kind).bind(3, name);
    if (!st->step())
    {
        return std::nullopt;
    }
    return read_object(*st);
}

std::vector<pool_object> queries::list_pool_objects(
    std::int64_t pool_seq, std::string_view kind, std::int64_t after_seq, std::size_t limit
)
{
    auto st = db_.cached("SELECT " COGNITOD_OBJECT_COLUMNS
                         " FROM pool_objects WHERE pool_seq = ?1 AND kind = ?2 AND seq > ?3"
                         " ORDER BY seq LIMIT ?4");
    st->bind(1, pool_seq)
        .bind(2, kind)
        .bind(3, after_seq)
        .bind(4, static_cast<std::int64_t>(limit));
    std::vector<pool_object> objects;
    while (st->step())
    {
        objects.push_back(read_object(*st));
    }
    return objects;
}

void queries::update_pool_object(pool_object const& o)
{
    auto st = db_.cached("UPDATE pool_objects SET body = ?2, last_modified = ?3 WHERE seq = ?1");
    st->bind(1, o.seq).bind(2, o.body).bind(3, o.last_modified);
    st->execute();
}

void queries::delete_pool_object(std::int64_t seq)
{
    auto st = db_.cached("DELETE FROM pool_objects WHERE seq = ?1");
    st->bind(1, seq);
    st->execute();
}

#undef COGNITOD_DOMAIN_COLUMNS
#undef COGNITOD_OBJECT_COLUMNS

void queries::insert_authorization_code(authorization_code const& c)
{
    auto st = db_.cached(
        "INSERT INTO authorization_codes (code_hash, client_seq, user_id, redirect_uri, scope, "
        "nonce, code_challenge, auth_time, expires) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    );
    st->bind(1, c.code_hash).bind(2, c.client_seq).bind(3, c.user_id).bind(4, c.redirect_uri);
    st->bind(5, c.scope).bind_optional(6, c.nonce).bind_optional(7, c.code_challenge);
    st->bind(8, c.auth_time).bind(9, c.expires);
    st->execute();
}

std::optional<authorization_code> queries::take_authorization_code(std::string_view code_hash)
{
    std::optional<authorization_code> found;
    {
        auto st = db_.cached(
            "SELECT code_hash, client_seq, user_id, redirect_uri, scope, nonce, code_challenge, "
            "auth_time, expires FROM authorization_codes WHERE code_hash = ?1"
        );
        st->bind(1, code_hash);
        if (!st->step())
        {
            return std::nullopt;
        }
        authorization_code c;
        c.code_hash = st->column_text(0);
        c.client_seq = st->column_int64(1);
        c.user_id = st->column_int64(2);
        c.redirect_uri = st->column_text(3);
        c.scope = st->column_text(4);
        c.nonce = st->column_optional_text(5);
        c.code_challenge = st->column_optional_text(6);
        c.auth_time = st->column_int64(7);
        c.expires = st->column_int64(8);
        found = std::move(c);
    }
    auto st = db_.cached("DELETE FROM authorization_codes WHERE code_hash = ?1");
    st->bind(1, code_hash);
    st->execute();
    return found;
}

void queries::insert_login_session(login_session const& s)
{
    auto st = db_.cached("INSERT INTO login_sessions (cookie_hash, pool_seq, user_id, auth_time, "
                         "expires) VALUES (?1, ?2, ?3, ?4, ?5)");
    st->bind(1, s.cookie_hash).bind(2, s.pool_seq).bind(3, s.user_id).bind(4, s.auth_time);
    st->bind(5, s.expires);
    st->execute();
}

std::optional<login_session> queries::find_login_session(std::string_view cookie_hash)
{
    auto st = db_.cached("SELECT cookie_hash, pool_seq, user_id, auth_time, expires "
                         "FROM login_sessions WHERE cookie_hash = ?1");
    st->bind(1, cookie_hash);
    if (!st->step())
    {
        return std::nullopt;
    }
    login_session s;
    s.cookie_hash = st->column_text(0);
    s.pool_seq = st->column_int64(1);
    s.user_id = st->column_int64(2);
    s.auth_time = st->column_int64(3);
    s.expires = st->column_int64(4);
    return s;
}

void queries::delete_login_session(std::string_view cookie_hash)
{
    auto st = db_.cached("DELETE FROM login_sessions WHERE cookie_hash = ?1");
    st->bind(1, cookie_hash);
    st->execute();
}

void queries::delete_expired_oauth_state(std::int64_t now_ms)
{
    for (auto const* sql :
         {"DELETE FROM authorization_codes WHERE expires < ?1",
          "DELETE FROM login_sessions WHERE expires < ?1"})
    {
        auto st = db_.cached(sql);
        st->bind(1, now_ms);
        st->execute();
    }
}

} // namespace cognitod::storage
