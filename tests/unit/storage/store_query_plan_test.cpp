// The lookups that run on every device and sign-in call must use an index, not scan a table:
// each test runs a store call, takes the SQL the store actually prepared for it, and reads
// SQLite's plan for that SQL.
#include "storage/store.hpp"
#include "unit/storage/storage_helpers.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace
{

using cognitod::storage::queries;
using cognitod::storage::statement;
using cognitod::storage::testing::challenge_row;
using cognitod::storage::testing::client_row;
using cognitod::storage::testing::device_key;
using cognitod::storage::testing::insert_client;
using cognitod::storage::testing::make_device;
using cognitod::storage::testing::make_pool;
using cognitod::storage::testing::make_user;
using cognitod::storage::testing::memory_queries;
using cognitod::storage::testing::query_plan;
using cognitod::storage::testing::session_row;
using cognitod::storage::testing::sql_used_by;
using cognitod::storage::testing::t0;

// The plans of every statement fn made the store prepare, each headed by its SQL.
template <class Fn> std::string plans_of(queries& s, Fn&& fn)
{
    std::string all;
    auto const texts = sql_used_by(s, std::forward<Fn>(fn));
    for (auto const& sql : texts)
    {
        all += sql + "\n" + query_plan(s.db(), sql);
    }
    return all;
}

bool scans(std::string const& plans)
{
    return plans.find("SCAN") != std::string::npos;
}

// The statements fn prepared whose plan scans a table, each with its plan.
template <class Fn> std::string scanning_statements(queries& s, Fn&& fn)
{
    std::string found;
    for (auto const& sql : sql_used_by(s, std::forward<Fn>(fn)))
    {
        auto const plan = query_plan(s.db(), sql);
        if (scans(plan))
        {
            found += sql + "\n" + plan;
        }
    }
    return found;
}

class store_query_plan : public ::testing::Test
{
protected:
    queries s_ = memory_queries();

    void SetUp() override
    {
        // A little data, then ANALYZE-free plans: SQLite picks indexes from the schema alone.
        auto const pool = make_pool().insert(s_);
        auto const alice = make_user("alice").with("email", "a@example.com").insert(s_, pool);
        make_device(device_key(1)).insert(s_, alice);
    }
};

} // namespace

TEST_F(store_query_plan, find_device_by_key_and_user_uses_an_index)
{
    auto const plans = plans_of(s_, [&] { s_.find_device(1, device_key(1)); });
    ASSERT_NE(plans.find("FROM devices"), std::string::npos) << plans;
    EXPECT_FALSE(scans(plans)) << plans;
    EXPECT_NE(plans.find("SEARCH devices USING INDEX"), std::string::npos) << plans;
}

TEST_F(store_query_plan, find_device_by_key_uses_an_index)
{
    auto const plans = plans_of(s_, [&] { s_.find_device_by_key(device_key(1)); });
    ASSERT_NE(plans.find("FROM devices"), std::string::npos) << plans;
    EXPECT_FALSE(scans(plans)) << plans;
}

TEST_F(store_query_plan, list_devices_by_user_uses_the_user_index)
{
    auto const plans = plans_of(s_, [&] { s_.list_devices(1, 0, 60); });
    ASSERT_NE(plans.find("FROM devices"), std::string::npos) << plans;
    EXPECT_FALSE(scans(plans)) << plans;
    EXPECT_NE(plans.find("devices_by_user"), std::string::npos) << plans;
    EXPECT_EQ(plans.find("TEMP B-TREE"), std::string::npos) << "sorts instead of using the index\n"
                                                            << plans;
}

TEST_F(store_query_plan, list_all_devices_uses_the_user_index)
{
    auto const plans = plans_of(s_, [&] { s_.list_all_devices(1); });
    EXPECT_FALSE(scans(plans)) << plans;
    EXPECT_NE(plans.find("devices_by_user"), std::string::npos) << plans;
    EXPECT_EQ(plans.find("TEMP B-TREE"), std::string::npos) << "sorts instead of using the index\n"
                                                            << plans;
}

TEST_F(store_query_plan, delete_device_uses_an_index)
{
    auto const plans = plans_of(s_, [&] { s_.delete_device(1, device_key(9)); });
    ASSERT_NE(plans.find("FROM devices"), std::string::npos) << plans;
    EXPECT_FALSE(scans(plans)) << plans;
}

TEST_F(store_query_plan, find_user_by_username_key_uses_an_index)
{
    auto const plans = plans_of(s_, [&] { s_.find_user(1, "alice"); });
    ASSERT_NE(plans.find("username_key = ?2"), std::string::npos) << plans;
    EXPECT_FALSE(scans(plans)) << plans;
}

TEST_F(store_query_plan, a_device_owner_is_read_from_an_index_without_the_users_row)
{
    auto const plans = plans_of(s_, [&] { s_.find_device_owner(1, "alice"); });
    ASSERT_NE(plans.find("FROM users"), std::string::npos) << plans;
    EXPECT_NE(plans.find("SEARCH users USING COVERING INDEX users_by_name_key"), std::string::npos)
        << plans;
}

TEST_F(store_query_plan, a_user_s_attributes_are_read_by_the_key_without_a_sort)
{
    auto const plans = plans_of(s_, [&] { s_.find_user(1, "alice"); });
    ASSERT_NE(plans.find("FROM user_attributes"), std::string::npos) << plans;
    EXPECT_FALSE(scans(plans)) << plans;
    EXPECT_EQ(plans.find("TEMP B-TREE"), std::string::npos) << plans;
}

TEST_F(store_query_plan, find_user_by_sub_uses_an_index)
{
    auto const plans = plans_of(s_, [&] { s_.find_user_by_sub(1, "sub-alice"); });
    ASSERT_NE(plans.find("u.sub = ?2"), std::string::npos) << plans;
    EXPECT_FALSE(scans(plans)) << plans;
}

TEST_F(store_query_plan, alias_lookup_by_attribute_value_uses_an_index)
{
    auto const plans =
        plans_of(s_, [&] { s_.find_users_by_attribute(1, "email", "a@example.com"); });
    ASSERT_NE(plans.find("user_attributes"), std::string::npos) << plans;
    EXPECT_FALSE(scans(plans)) << plans;
}

// Counting through users_by_pool is a search, not a scan, yet reads every user of the pool: the
// count must come from the pool's own row.
TEST_F(store_query_plan, count_users_reads_the_pool_row_not_its_users)
{
    auto const plans = plans_of(s_, [&] { s_.count_users(1); });
    ASSERT_NE(plans.find("FROM user_pools"), std::string::npos) << plans;
    EXPECT_NE(plans.find("SEARCH user_pools USING INTEGER PRIMARY KEY"), std::string::npos)
        << plans;
    EXPECT_EQ(plans.find(" users "), std::string::npos) << plans;
}

// Every statement the device operations and the user lookups around them run, from a store that
// has prepared none yet, so that each one is seen.
TEST(store_query_plans, no_statement_of_the_device_and_user_lifecycle_scans_a_table)
{
    queries s = memory_queries();
    auto const scanning = scanning_statements(
        s,
        [&]
        {
            auto const pool = make_pool().insert(s);
            s.find_user_pool(pool.id);
            s.find_user_pool_by_seq(pool.seq);
            auto u = make_user("alice").with("email", "a@example.com").insert(s, pool);
            s.find_user(pool.seq, "alice");
            s.find_device_owner(pool.seq, "alice");
            s.find_user_by_sub(pool.seq, "sub-alice");
            s.find_user_by_id(u.id);
            s.find_users_by_attribute(pool.seq, "email", "a@example.com");
            s.find_users_by_folded_attribute(pool.seq, "email", "A@example.com");
            s.count_users(pool.seq);
            s.update_user(u);
            s.replace_attributes(u.id, u.attributes);

            auto d = make_device(device_key(1)).insert(s, u);
            s.find_device(u.id, d.key);
            s.find_device_by_key(d.key);
            s.list_devices(u.id, 0, 60);
            s.list_all_devices(u.id);
            d.status = "invalid";
            s.update_device(d);
            s.delete_device(u.id, d.key);

            auto const c = insert_client(s, client_row("client1", pool));
            s.find_app_client(c.id);
            auto const session = session_row("jti-1", u, c);
            s.insert_auth_session(session);
            s.find_auth_session(session.origin_jti);
            s.find_auth_session_by_refresh(session.refresh_hash);
            s.set_session_refresh(session.origin_jti, "hash-2");
            s.revoke_auth_session(session.origin_jti);
            s.revoke_user_sessions(u.id);
            auto const ch = challenge_row("session-1", u, c, t0);
            s.insert_challenge(ch);
            s.find_challenge(ch.session_hash);
            s.mark_challenge_used(ch.session_hash);
            s.delete_challenge(ch.session_hash);
            s.delete_user(u.id);
        }
    );
    EXPECT_EQ(scanning, "");
}

TEST_F(store_query_plan, list_users_pages_through_one_pool_without_sorting)
{
    std::string plan;
    for (auto const& sql : sql_used_by(s_, [&] { s_.list_users(1, 0, 60, std::nullopt); }))
    {
        if (sql.find("FROM users u WHERE") != std::string::npos)
        {
            plan = sql + "\n" + query_plan(s_.db(), sql);
        }
    }
    ASSERT_NE(plan, "");
    EXPECT_FALSE(scans(plan)) << plan;
    EXPECT_NE(plan.find("users_by_pool"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << "sorts instead of using the index\n"
                                                           << plan;
}

// ON DELETE CASCADE and the foreign key checks look the child rows up by the referencing column:
// deleting a user or a device must not scan the tables that hang under them.
TEST_F(store_query_plan, every_foreign_key_is_indexed_for_its_cascade)
{
    statement tables{s_.db().handle(), "SELECT name FROM sqlite_master WHERE type = 'table'"};
    std::string scanning;
    while (tables.step())
    {
        auto const table = tables.column_text(0);
        // Names from the schema itself, not from input: safe to splice into the test's SQL.
        statement keys{s_.db().handle(), "SELECT \"from\" FROM pragma_foreign_key_list(?1)"};
        keys.bind(1, table);
        while (keys.step())
        {
            auto const sql = "SELECT 1 FROM " + table + " WHERE " + keys.column_text(0) + " = ?1";
            auto const plan = query_plan(s_.db(), sql);
            if (scans(plan))
            {
                scanning += sql + "\n" + plan;
            }
        }
    }
    EXPECT_EQ(scanning, "");
}
