#include "storage/store.hpp"
#include "unit/storage/storage_helpers.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace
{

using cognitod::storage::attribute;
using cognitod::storage::device;
using cognitod::storage::queries;
using cognitod::storage::sqlite_error;
using cognitod::storage::statement;
using cognitod::storage::store;
using cognitod::storage::user;
using cognitod::storage::user_filter;
using cognitod::storage::user_pool;
using cognitod::storage::testing::device_key;
using cognitod::storage::testing::filter;
using cognitod::storage::testing::keys;
using cognitod::storage::testing::make_device;
using cognitod::storage::testing::make_pool;
using cognitod::storage::testing::make_user;
using cognitod::storage::testing::memory_queries;
using cognitod::storage::testing::rows;
using cognitod::storage::testing::t0;
using cognitod::storage::testing::usernames;

using field = user_filter::field;

} // namespace

// Pools

TEST(store_pools, find_user_pool_returns_what_was_inserted)
{
    queries s = memory_queries();
    auto pool = make_pool("us-east-1_aB3dE5gH7").named("shop").insert(s);
    auto const found = s.find_user_pool("us-east-1_aB3dE5gH7");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->seq, pool.seq);
    EXPECT_EQ(found->name, "shop");
    EXPECT_EQ(found->created, t0);
    EXPECT_EQ(found->last_modified, t0);
    EXPECT_EQ(*found->settings, *pool.settings);
}

TEST(store_pools, find_user_pool_returns_nothing_for_an_unknown_id)
{
    queries s = memory_queries();
    make_pool("us-east-1_aaaaaaaaa").insert(s);
    EXPECT_FALSE(s.find_user_pool("us-east-1_bbbbbbbbb"));
}

TEST(store_pools, find_user_pool_by_name_returns_the_oldest_of_that_name)
{
    queries s = memory_queries();
    auto const first = make_pool("us-east-1_000000001").named("same").insert(s);
    make_pool("us-east-1_000000002").named("same").insert(s);
    auto const found = s.find_user_pool_by_name("same");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, first.id);
    EXPECT_FALSE(s.find_user_pool_by_name("other"));
}

TEST(store_pools, pool_ids_are_unique)
{
    queries s = memory_queries();
    make_pool("us-east-1_000000001").insert(s);
    EXPECT_THROW(make_pool("us-east-1_000000001").insert(s), sqlite_error);
}

TEST(store_pools, list_user_pools_pages_in_creation_order)
{
    queries s = memory_queries();
    for (auto const* id : {"us-east-1_ccc", "us-east-1_aaa", "us-east-1_bbb"})
    {
        make_pool(id).insert(s);
    }
    auto const first = s.list_user_pools(0, 2);
    ASSERT_EQ(first.size(), 2U);
    EXPECT_EQ(first[0].id, "us-east-1_ccc");
    EXPECT_EQ(first[1].id, "us-east-1_aaa");
    auto const second = s.list_user_pools(first.back().seq, 2);
    ASSERT_EQ(second.size(), 1U);
    EXPECT_EQ(second[0].id, "us-east-1_bbb");
    EXPECT_TRUE(s.list_user_pools(second.back().seq, 2).empty());
}

TEST(store_pools, update_user_pool_writes_name_time_and_settings)
{
    queries s = memory_queries();
    auto pool = make_pool().insert(s);
    pool.name = "renamed";
    pool.last_modified = t0 + 5000;
    pool.settings.edit()["MfaConfiguration"] = "ON";
    pool.created = 1; // not updatable
    s.update_user_pool(pool);
    auto const found = s.find_user_pool(pool.id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->name, "renamed");
    EXPECT_EQ(found->last_modified, t0 + 5000);
    EXPECT_EQ(found->settings->at("MfaConfiguration"), "ON");
    EXPECT_EQ(found->created, t0);
}

TEST(store_pools, reads_of_an_unchanged_pool_share_its_parsed_settings)
{
    queries s = memory_queries();
    auto const pool = make_pool().insert(s);
    auto const first = s.find_user_pool(pool.id);
    auto const second = s.find_user_pool_by_seq(pool.seq);
    ASSERT_TRUE(first && second);
    EXPECT_EQ(&*first->settings, &*second->settings);
}

TEST(store_pools, a_pool_read_again_reflects_every_write_and_no_caller_edits)
{
    queries s = memory_queries();
    auto pool = make_pool().insert(s);
    auto first = s.find_user_pool(pool.id);
    ASSERT_TRUE(first);
    // A caller's changes to what it was given stay its own: the next read is the stored pool.
    first->settings.edit()["EstimatedNumberOfUsers"] = 7;
    EXPECT_FALSE(s.find_user_pool(pool.id)->settings->contains("EstimatedNumberOfUsers"));
    for (auto const* mode : {"OPTIONAL", "ON", "OFF"})
    {
        pool.settings.edit()["MfaConfiguration"] = mode;
        s.update_user_pool(pool);
        EXPECT_EQ(s.find_user_pool(pool.id)->settings->at("MfaConfiguration"), mode);
        EXPECT_EQ(s.find_user_pool_by_seq(pool.seq)->settings->at("MfaConfiguration"), mode);
        EXPECT_EQ(s.list_user_pools(0, 10).at(0).settings->at("MfaConfiguration"), mode);
    }
}

TEST(store_pools, a_pool_made_again_under_the_same_seq_and_id_is_read_afresh)
{
    queries s = memory_queries();
    auto first = make_pool().insert(s);
    ASSERT_EQ(s.find_user_pool(first.id)->settings->at("MfaConfiguration"), "OFF");
    s.delete_user_pool(first.seq);
    // The last row's seq is handed out again, and a seed may give the pool the same id.
    auto second = make_pool().insert(s);
    ASSERT_EQ(second.seq, first.seq);
    second.settings.edit()["MfaConfiguration"] = "ON";
    s.update_user_pool(second);
    EXPECT_EQ(s.find_user_pool(first.id)->settings->at("MfaConfiguration"), "ON");
}

TEST(store_pools, settings_read_inside_a_rolled_back_write_are_not_kept)
{
    queries s = memory_queries();
    auto pool = make_pool().insert(s);
    {
        cognitod::storage::transaction tx{s.db(), cognitod::storage::transaction_mode::immediate};
        pool.settings.edit()["MfaConfiguration"] = "ON";
        s.update_user_pool(pool);
        ASSERT_EQ(s.find_user_pool(pool.id)->settings->at("MfaConfiguration"), "ON");
    }
    EXPECT_EQ(s.find_user_pool(pool.id)->settings->at("MfaConfiguration"), "OFF");
    pool.settings.edit()["MfaConfiguration"] = "OPTIONAL";
    s.update_user_pool(pool);
    EXPECT_EQ(s.find_user_pool(pool.id)->settings->at("MfaConfiguration"), "OPTIONAL");
}

TEST(store_pools, writes_that_leave_the_settings_alone_keep_their_parse)
{
    queries s = memory_queries();
    auto const pool = make_pool().insert(s);
    auto const before = s.find_user_pool(pool.id);
    make_user("alice").insert(s, pool);
    s.set_pool_signing_keys(pool.seq, "[]");
    auto const after = s.find_user_pool(pool.id);
    ASSERT_TRUE(before && after);
    EXPECT_EQ(&*before->settings, &*after->settings);
}

TEST(store_pools, delete_user_pool_cascades_to_users_attributes_and_devices)
{
    queries s = memory_queries();
    auto const doomed = make_pool("us-east-1_doomed").insert(s);
    auto const kept = make_pool("us-east-1_kept").insert(s);
    auto const alice = make_user("alice").with("email", "a@example.com").insert(s, doomed);
    make_device(device_key(1)).insert(s, alice);
    auto const bob = make_user("bob").with("email", "b@example.com").insert(s, kept);
    make_device(device_key(2)).insert(s, bob);

    s.delete_user_pool(doomed.seq);

    EXPECT_FALSE(s.find_user_pool(doomed.id));
    EXPECT_EQ(rows(s, "users"), 1);
    EXPECT_EQ(rows(s, "user_attributes"), 1);
    EXPECT_EQ(rows(s, "devices"), 1);
    EXPECT_TRUE(s.find_device(bob.id, device_key(2)));
}

TEST(store_pools, count_users_counts_only_the_pools_users)
{
    queries s = memory_queries();
    auto const a = make_pool("us-east-1_a").insert(s);
    auto const b = make_pool("us-east-1_b").insert(s);
    make_user("alice").insert(s, a);
    make_user("bob").insert(s, a);
    make_user("carol").insert(s, b);
    EXPECT_EQ(s.count_users(a.seq), 2);
    EXPECT_EQ(s.count_users(b.seq), 1);
}

TEST(store_pools, count_users_follows_inserts_and_deletes)
{
    queries s = memory_queries();
    auto const pool = make_pool().insert(s);
    EXPECT_EQ(s.count_users(pool.seq), 0);
    auto const alice = make_user("alice").insert(s, pool);
    auto const bob = make_user("bob").insert(s, pool);
    EXPECT_EQ(s.count_users(pool.seq), 2);
    s.delete_user(alice.id);
    EXPECT_EQ(s.count_users(pool.seq), 1);
    s.delete_user(bob.id);
    EXPECT_EQ(s.count_users(pool.seq), 0);
}

TEST(store_pools, count_users_is_unchanged_by_a_failed_insert)
{
    queries s = memory_queries();
    auto const pool = make_pool().insert(s);
    make_user("alice").insert(s, pool);
    EXPECT_THROW(make_user("alice").with_sub("other").insert(s, pool), sqlite_error);
    EXPECT_EQ(s.count_users(pool.seq), 1);
}

TEST(store_pools, deleting_a_pool_with_users_leaves_the_other_pools_counts)
{
    queries s = memory_queries();
    auto const doomed = make_pool("us-east-1_doomed").insert(s);
    auto const kept = make_pool("us-east-1_kept").insert(s);
    make_user("alice").insert(s, doomed);
    make_user("bob").insert(s, doomed);
    make_user("carol").insert(s, kept);

    s.delete_user_pool(doomed.seq);

    EXPECT_EQ(s.count_users(doomed.seq), 0);
    EXPECT_EQ(s.count_users(kept.seq), 1);
    // A pool made afterwards may reuse the deleted pool's seq; it starts from zero all the same.
    auto const next = make_pool("us-east-1_next").insert(s);
    EXPECT_EQ(s.count_users(next.seq), 0);
}

TEST(store_pools, count_users_follows_a_user_moved_between_pools)
{
    queries s = memory_queries();
    auto const a = make_pool("us-east-1_a").insert(s);
    auto const b = make_pool("us-east-1_b").insert(s);
    auto const alice = make_user("alice").insert(s, a);
    // No store call moves a user; the trigger keeps the count right for any writer that does.
    statement move{s.db().handle(), "UPDATE users SET pool_seq = ?1 WHERE id = ?2"};
    move.bind(1, b.seq).bind(2, alice.id);
    move.execute();
    EXPECT_EQ(s.count_users(a.seq), 0);
    EXPECT_EQ(s.count_users(b.seq), 1);
}

// Seeds

TEST(store_seeds, a_seed_counts_as_applied_once_recorded)
{
    queries s = memory_queries();
    EXPECT_FALSE(s.seed_applied("abc123"));
    s.record_seed("abc123", t0);
    EXPECT_TRUE(s.seed_applied("abc123"));
    EXPECT_FALSE(s.seed_applied("def456"));
}

TEST(store_seeds, recording_a_seed_twice_is_allowed)
{
    queries s = memory_queries();
    s.record_seed("abc123", t0);
    EXPECT_NO_THROW(s.record_seed("abc123", t0 + 1));
    EXPECT_EQ(rows(s, "applied_seeds"), 1);
}

TEST(store_seeds, wipe_removes_everything_and_forgets_seeds)
{
    queries s = memory_queries();
    auto const pool = make_pool().insert(s);
    auto const alice = make_user("alice").with("email", "a@example.com").insert(s, pool);
    make_device(device_key(1)).insert(s, alice);
    s.record_seed("abc123", t0);
    s.wipe();
    EXPECT_EQ(rows(s, "user_pools"), 0);
    EXPECT_EQ(rows(s, "users"), 0);
    EXPECT_EQ(rows(s, "user_attributes"), 0);
    EXPECT_EQ(rows(s, "devices"), 0);
    EXPECT_FALSE(s.seed_applied("abc123"));
}

TEST(store_seeds, wipe_keeps_the_signing_key_stock_the_triggers_and_the_foreign_keys)
{
    queries s = memory_queries();
    s.add_stock_key("PEM 1");
    s.add_stock_key("PEM 2");
    auto const pool = make_pool().insert(s);
    make_user("alice").insert(s, pool);
    s.wipe();
    EXPECT_EQ(s.stock_keys(), (std::vector<std::string>{"PEM 1", "PEM 2"}));
    // The user-count triggers were made again: a new pool counts its users.
    auto const again = make_pool().insert(s);
    make_user("bob").insert(s, again);
    EXPECT_EQ(s.count_users(again.seq), 1);
    // Foreign keys are on again: deleting the pool takes its users with it.
    s.delete_user_pool(again.seq);
    EXPECT_EQ(rows(s, "users"), 0);
    auto fk = s.db().cached("PRAGMA foreign_keys");
    ASSERT_TRUE(fk->step());
    EXPECT_EQ(fk->column_int64(0), 1);
}

TEST(store_seeds, deleted_rows_are_not_overwritten)
{
    // secure_delete (on in Debian's SQLite) wrote every page a delete touched once more.
    queries s = memory_queries();
    auto st = s.db().cached("PRAGMA secure_delete");
    ASSERT_TRUE(st->step());
    EXPECT_EQ(st->column_int64(0), 0);
}

TEST(store_version, wipe_counts_as_a_write)
{
    store s{":memory:"};
    auto const before = s.version();
    s.write()->wipe();
    EXPECT_GT(s.version(), before);
}
