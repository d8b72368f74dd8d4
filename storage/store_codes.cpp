// Codes waiting to be given back, and temporary passwords' expiry (migration 011).
#include "storage/store.hpp"

namespace cognitod::storage
{

void queries::put_code(user_code const& c)
{
    auto st =
        db_.cached("INSERT OR REPLACE INTO user_codes (user_id, purpose, code, expires, failures, "
                   "pending_value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    st->bind(1, c.user_id)
        .bind(2, c.purpose)
        .bind(3, c.code)
        .bind(4, c.expires)
        .bind(5, c.failures)
        .bind_optional(6, c.pending_value);
    st->execute();
}

std::optional<user_code> queries::find_code(std::int64_t user_id, std::string_view purpose)
{
    auto st = db_.cached("SELECT code, expires, failures, pending_value FROM user_codes WHERE "
                         "user_id = ?1 AND purpose = ?2");
    st->bind(1, user_id).bind(2, purpose);
    if (!st->step())
    {
        return std::nullopt;
    }
    user_code c;
    c.user_id = user_id;
    c.purpose = std::string{purpose};
    c.code = st->column_text(0);
    c.expires = st->column_int64(1);
    c.failures = st->column_int64(2);
    c.pending_value = st->column_optional_text(3);
    return c;
}

void queries::count_code_failure(std::int64_t user_id, std::string_view purpose)
{
    auto st = db_.cached(
        "UPDATE user_codes SET failures = failures + 1 WHERE user_id = ?1 AND purpose = ?2"
    );
    st->bind(1, user_id).bind(2, purpose);
    st->execute();
}

void queries::delete_code(std::int64_t user_id, std::string_view purpose)
{
    auto st = db_.cached("DELETE FROM user_codes WHERE user_id = ?1 AND purpose = ?2");
    st->bind(1, user_id).bind(2, purpose);
    st->execute();
}

} // namespace cognitod::storage
