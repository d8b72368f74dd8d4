// Groups and their members (migration 010).
#include "storage/store.hpp"

namespace cognitod::storage
{

namespace
{

#define COGNITOD_GROUP_COLUMNS                                                                     \
    "g.seq, g.pool_seq, g.name, g.name_key, g.description, g.role_arn, g.precedence, g.created, "  \
    "g.last_modified"

group read_group(statement const& st)
{
    group g;
    g.seq = st.column_int64(0);
    g.pool_seq = st.column_int64(1);
    g.name = st.column_text(2);
    g.name_key = st.column_text(3);
    g.description = st.column_optional_text(4);
    g.role_arn = st.column_optional_text(5);
    g.precedence = st.column_optional_int64(6);
    g.created = st.column_int64(7);
    g.last_modified = st.column_int64(8);
    return g;
}

} // namespace

std::int64_t queries::insert_group(group const& g)
{
    auto st = db_.cached(
        "INSERT INTO user_groups (pool_seq, name, name_key, description, role_arn, precedence, "
        "created, last_modified) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    );
    st->bind(1, g.pool_seq).bind(2, g.name).bind(3, g.name_key);
    st->bind_optional(4, g.description);
    st->bind_optional(5, g.role_arn);
    st->bind(6, g.precedence).bind(7, g.created).bind(8, g.last_modified);
    st->execute();
    return db_.last_insert_rowid();
}

std::optional<group> queries::find_group(std::int64_t pool_seq, std::string_view name_key)
{
    auto st = db_.cached("SELECT " COGNITOD_GROUP_COLUMNS
                         " FROM user_groups g WHERE g.pool_seq = ?1 AND g.name_key = ?2");
    st->bind(1, pool_seq).bind(2, name_key);
    if (!st->step())
    {
        return std::nullopt;
    }
    return read_group(*st);
}

std::vector<group>
queries::list_groups(std::int64_t pool_seq, std::int64_t after_seq, std::size_t limit)
{
    auto st = db_.cached("SELECT " COGNITOD_GROUP_COLUMNS " FROM user_groups g WHERE g.pool_seq = "
                         "?1 AND g.seq > ?2 ORDER BY g.seq LIMIT ?3");
    st->bind(1, pool_seq).bind(2, after_seq).bind(3, static_cast<std::int64_t>(limit));
    std::vector<group> groups;
    while (st->step())
    {
        groups.push_back(read_group(*st));
    }
    return groups;
}

void queries::update_group(group const& g)
{
    auto st = db_.cached("UPDATE user_groups SET description = ?2, role_arn = ?3, precedence = ?4, "
                         "last_modified = ?5 WHERE seq = ?1");
    st->bind(1, g.seq);
    st->bind_optional(2, g.description);
    st->bind_optional(3, g.role_arn);
    st->bind(4, g.precedence).bind(5, g.last_modified);
    st->execute();
}

void queries::delete_group(std::int64_t seq)
{
    auto st = db_.cached("DELETE FROM user_groups WHERE seq = ?1");
    st->bind(1, seq);
    st->execute();
}

void queries::add_group_member(std::int64_t group_seq, std::int64_t user_id)
{
    auto st =
        db_.cached("INSERT OR IGNORE INTO group_members (group_seq, user_id) VALUES (?1, ?2)");
    st->bind(1, group_seq).bind(2, user_id);
    st->execute();
}

void queries::remove_group_member(std::int64_t group_seq, std::int64_t user_id)
{
    auto st = db_.cached("DELETE FROM group_members WHERE group_seq = ?1 AND user_id = ?2");
    st->bind(1, group_seq).bind(2, user_id);
    st->execute();
}

std::vector<group>
queries::groups_of_user(std::int64_t user_id, std::int64_t after_seq, std::size_t limit)
{
    auto st =
        db_.cached("SELECT " COGNITOD_GROUP_COLUMNS
                   " FROM group_members m JOIN user_groups g ON g.seq = m.group_seq"
                   " WHERE m.user_id = ?1 AND m.group_seq > ?2 ORDER BY m.group_seq LIMIT ?3");
    st->bind(1, user_id).bind(2, after_seq).bind(3, static_cast<std::int64_t>(limit));
    std::vector<group> groups;
    while (st->step())
    {
        groups.push_back(read_group(*st));
    }
    return groups;
}

std::vector<user>
queries::group_members(std::int64_t group_seq, std::int64_t after_id, std::size_t limit)
{
    std::vector<std::int64_t> ids;
    {
        auto st = db_.cached("SELECT user_id FROM group_members WHERE group_seq = ?1 AND user_id "
                             "> ?2 ORDER BY user_id LIMIT ?3");
        st->bind(1, group_seq).bind(2, after_id).bind(3, static_cast<std::int64_t>(limit));
        while (st->step())
        {
            ids.push_back(st->column_int64(0));
        }
    }
    std::vector<user> users;
    users.reserve(ids.size());
    for (auto const id : ids)
    {
        if (auto u = find_user_by_id(id))
        {
            users.push_back(std::move(*u));
        }
    }
    return users;
}

#undef COGNITOD_GROUP_COLUMNS

} // namespace cognitod::storage
