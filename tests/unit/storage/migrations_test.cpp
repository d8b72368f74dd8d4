#include "storage/migrations.hpp"
#include "unit/storage/storage_helpers.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace
{

using cognitod::storage::database;
using cognitod::storage::embedded_migrations;
using cognitod::storage::migrate;
using cognitod::storage::queries;
using cognitod::storage::schema_version;
using cognitod::storage::sqlite_error;
using cognitod::storage::testing::make_pool;
using cognitod::storage::testing::make_user;
using cognitod::storage::testing::scalar;

int step_count()
{
    return static_cast<int>(embedded_migrations().size());
}

std::int64_t table_count(database& db)
{
    return scalar(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'");
}

// The schema an older cognitod left: the first version steps applied, and nothing after them.
void migrate_to(database& db, int version)
{
    for (int step = 0; step < version; ++step)
    {
        db.exec(embedded_migrations()[static_cast<std::size_t>(step)]);
    }
    db.exec("PRAGMA user_version = " + std::to_string(version));
}

} // namespace

TEST(migrations, are_embedded_in_order_starting_with_the_initial_schema)
{
    ASSERT_GE(step_count(), 1);
    EXPECT_NE(embedded_migrations()[0].find("CREATE TABLE user_pools"), std::string::npos);
}

TEST(migrate, brings_a_new_database_to_the_last_step)
{
    database db{":memory:"};
    ASSERT_EQ(schema_version(db), 0);
    migrate(db);
    EXPECT_EQ(schema_version(db), step_count());
    EXPECT_EQ(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'devices'"), 1);
}

TEST(migrate, twice_changes_nothing_the_second_time)
{
    database db{":memory:"};
    migrate(db);
    auto const tables = table_count(db);
    EXPECT_NO_THROW(migrate(db));
    EXPECT_EQ(schema_version(db), step_count());
    EXPECT_EQ(table_count(db), tables);
}

TEST(migrate, refuses_a_database_newer_than_this_binary)
{
    database db{":memory:"};
    db.exec("PRAGMA user_version = " + std::to_string(step_count() + 1));
    try
    {
        migrate(db);
        FAIL() << "a newer schema was accepted";
    }
    catch (sqlite_error const& e)
    {
        EXPECT_NE(std::string{e.what()}.find("newer than this cognitod"), std::string::npos)
            << e.what();
    }
    EXPECT_EQ(schema_version(db), step_count() + 1);
    EXPECT_EQ(table_count(db), 0);
}

TEST(migrate, a_failing_step_changes_nothing)
{
    database db{":memory:"};
    // A table that the first step also creates makes that step fail half way.
    db.exec("CREATE TABLE devices (x INTEGER)");
    EXPECT_THROW(migrate(db), sqlite_error);
    EXPECT_EQ(schema_version(db), 0);
    EXPECT_EQ(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'user_pools'"), 0);
    EXPECT_FALSE(sqlite3_get_autocommit(db.handle()) == 0) << "left a transaction open";
}

TEST(migrate, counts_the_users_a_version_5_database_already_has)
{
    database old{":memory:"};
    migrate_to(old, 5);
    // The store's own inserts write only columns that version 5 has.
    queries q{std::move(old)};
    auto const a = make_pool("us-east-1_a").insert(q);
    auto const b = make_pool("us-east-1_b").insert(q);
    auto const empty = make_pool("us-east-1_empty").insert(q);
    make_user("alice").insert(q, a);
    make_user("bob").insert(q, a);
    make_user("carol").insert(q, b);

    migrate(q.db());

    ASSERT_EQ(schema_version(q.db()), step_count());
    EXPECT_EQ(q.count_users(a.seq), 2);
    EXPECT_EQ(q.count_users(b.seq), 1);
    EXPECT_EQ(q.count_users(empty.seq), 0);
}
