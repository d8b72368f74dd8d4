#include "storage/sqlite.hpp"
#include "unit/storage/storage_helpers.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <stdexcept>
#include <string>

namespace
{

using cognitod::storage::database;
using cognitod::storage::sqlite_error;
using cognitod::storage::statement;
using cognitod::storage::transaction;
using cognitod::storage::transaction_mode;
using cognitod::storage::testing::scalar;

// A database with one table of numbers 1..3.
database numbers_db()
{
    database db{":memory:"};
    db.exec("CREATE TABLE numbers (n INTEGER PRIMARY KEY, label TEXT);"
            "INSERT INTO numbers VALUES (1, 'one'), (2, 'two'), (3, 'three');");
    return db;
}

std::int64_t count_numbers(database& db)
{
    return scalar(db, "SELECT count(*) FROM numbers");
}

bool in_transaction(database& db)
{
    return sqlite3_get_autocommit(db.handle()) == 0;
}

} // namespace

TEST(transaction, commit_keeps_the_changes)
{
    auto db = numbers_db();
    {
        transaction tx{db, transaction_mode::immediate};
        db.exec("INSERT INTO numbers VALUES (4, 'four')");
        tx.commit();
    }
    EXPECT_EQ(count_numbers(db), 4);
    EXPECT_FALSE(in_transaction(db));
}

TEST(transaction, rolls_back_at_scope_end_without_commit)
{
    auto db = numbers_db();
    {
        transaction tx{db, transaction_mode::immediate};
        db.exec("INSERT INTO numbers VALUES (4, 'four')");
        EXPECT_TRUE(in_transaction(db));
    }
    EXPECT_EQ(count_numbers(db), 3);
    EXPECT_FALSE(in_transaction(db));
}

TEST(transaction, rolls_back_when_an_exception_leaves_the_scope)
{
    auto db = numbers_db();
    try
    {
        transaction tx{db, transaction_mode::deferred};
        db.exec("DELETE FROM numbers");
        throw std::runtime_error("handler failed");
    }
    catch (std::runtime_error const&) // NOLINT(bugprone-empty-catch): the rollback is under test
    {
    }
    EXPECT_EQ(count_numbers(db), 3);
    EXPECT_FALSE(in_transaction(db));
}

TEST(transaction, a_new_transaction_can_begin_after_a_rollback)
{
    auto db = numbers_db();
    {
        transaction first{db, transaction_mode::immediate};
    }
    transaction second{db, transaction_mode::immediate};
    db.exec("INSERT INTO numbers VALUES (4, 'four')");
    second.commit();
    EXPECT_EQ(count_numbers(db), 4);
}

TEST(transaction, beginning_inside_a_transaction_is_an_sqlite_error)
{
    auto db = numbers_db();
    transaction outer{db, transaction_mode::immediate};
    EXPECT_THROW(transaction(db, transaction_mode::immediate), sqlite_error);
}

TEST(database, turns_foreign_keys_on)
{
    database db{":memory:"};
    EXPECT_EQ(scalar(db, "PRAGMA foreign_keys"), 1);
}

TEST(database, enforces_foreign_keys)
{
    database db{":memory:"};
    db.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY);"
            "CREATE TABLE child (parent_id INTEGER NOT NULL REFERENCES parent(id));");
    try
    {
        db.exec("INSERT INTO child VALUES (42)");
        FAIL() << "a dangling reference was accepted";
    }
    catch (sqlite_error const& e)
    {
        EXPECT_EQ(e.code(), SQLITE_CONSTRAINT_FOREIGNKEY);
    }
}

TEST(database, cached_returns_the_same_statement_for_the_same_sql)
{
    auto db = numbers_db();
    statement* first = nullptr;
    {
        auto st = db.cached("SELECT label FROM numbers WHERE n = ?1");
        first = &*st;
    }
    auto st = db.cached("SELECT label FROM numbers WHERE n = ?1");
    EXPECT_EQ(&*st, first);
    auto other = db.cached("SELECT n FROM numbers");
    EXPECT_NE(&*other, first);
}

TEST(database, a_lease_resets_its_statement_so_the_next_use_starts_at_the_first_row)
{
    auto db = numbers_db();
    {
        auto st = db.cached("SELECT n FROM numbers ORDER BY n");
        ASSERT_TRUE(st->step());
        ASSERT_TRUE(st->step());
        EXPECT_EQ(st->column_int64(0), 2);
    }
    auto st = db.cached("SELECT n FROM numbers ORDER BY n");
    ASSERT_TRUE(st->step());
    EXPECT_EQ(st->column_int64(0), 1);
}

TEST(database, a_lease_clears_its_bindings)
{
    auto db = numbers_db();
    char const* sql = "SELECT count(*) FROM numbers WHERE ?1 IS NULL OR n = ?1";
    {
        auto st = db.cached(sql);
        st->bind(1, 2);
        ASSERT_TRUE(st->step());
        EXPECT_EQ(st->column_int64(0), 1);
    }
    auto st = db.cached(sql);
    ASSERT_TRUE(st->step());
    EXPECT_EQ(st->column_int64(0), 3) << "the old binding of ?1 survived the lease";
}

TEST(database, a_lease_that_stops_early_leaves_no_statement_running)
{
    auto db = numbers_db();
    {
        auto st = db.cached("SELECT n FROM numbers");
        ASSERT_TRUE(st->step());
        EXPECT_NE(sqlite3_stmt_busy(sqlite3_next_stmt(db.handle(), nullptr)), 0);
    }
    for (sqlite3_stmt* st = sqlite3_next_stmt(db.handle(), nullptr); st != nullptr;
         st = sqlite3_next_stmt(db.handle(), st))
    {
        EXPECT_EQ(sqlite3_stmt_busy(st), 0) << sqlite3_sql(st);
    }
}

TEST(sqlite_error, carries_the_extended_result_code_of_a_constraint_failure)
{
    auto db = numbers_db();
    try
    {
        auto st = db.cached("INSERT INTO numbers VALUES (?1, 'dup')");
        st->bind(1, 1);
        st->execute();
        FAIL() << "a duplicate primary key was accepted";
    }
    catch (sqlite_error const& e)
    {
        EXPECT_EQ(e.code(), SQLITE_CONSTRAINT_PRIMARYKEY);
        EXPECT_NE(std::string{e.what()}.find("step"), std::string::npos) << e.what();
    }
}

TEST(sqlite_error, carries_the_code_when_sql_does_not_prepare)
{
    database db{":memory:"};
    try
    {
        statement st{db.handle(), "SELEKT 1"};
        FAIL() << "bad SQL prepared";
    }
    catch (sqlite_error const& e)
    {
        EXPECT_EQ(e.code(), SQLITE_ERROR);
        EXPECT_NE(std::string{e.what()}.find("syntax error"), std::string::npos) << e.what();
    }
}

TEST(sqlite_error, carries_the_code_from_exec)
{
    database db{":memory:"};
    try
    {
        db.exec("DROP TABLE missing");
        FAIL() << "dropping a missing table succeeded";
    }
    catch (sqlite_error const& e)
    {
        EXPECT_EQ(e.code(), SQLITE_ERROR);
        EXPECT_NE(std::string{e.what()}.find("no such table: missing"), std::string::npos)
            << e.what();
    }
}

TEST(statement, execute_returns_the_number_of_changed_rows)
{
    auto db = numbers_db();
    auto st = db.cached("UPDATE numbers SET label = 'big' WHERE n >= ?1");
    st->bind(1, 2);
    EXPECT_EQ(st->execute(), 2);
}

TEST(statement, round_trips_text_and_blobs_with_embedded_nul_bytes)
{
    database db{":memory:"};
    db.exec("CREATE TABLE t (text_value TEXT, blob_value BLOB)");
    std::string const text{"a\0b", 3};
    std::string const bytes{"\0\xff\0", 3};
    statement{db.handle(), "INSERT INTO t VALUES (?1, ?2)"}
        .bind(1, text)
        .bind_blob(2, bytes)
        .execute();
    statement st{db.handle(), "SELECT text_value, blob_value FROM t"};
    ASSERT_TRUE(st.step());
    EXPECT_EQ(st.column_text(0), text);
    EXPECT_EQ(st.column_blob(1), bytes);
}

TEST(statement, reads_null_as_empty_text_and_as_no_integer)
{
    database db{":memory:"};
    statement st{db.handle(), "SELECT NULL, NULL, NULL, 7"};
    ASSERT_TRUE(st.step());
    EXPECT_TRUE(st.column_is_null(0));
    EXPECT_EQ(st.column_text(0), "");
    EXPECT_EQ(st.column_blob(1), "");
    EXPECT_EQ(st.column_optional_int64(2), std::nullopt);
    EXPECT_EQ(st.column_optional_int64(3), std::optional<std::int64_t>{7});
}

TEST(statement, binds_an_empty_optional_as_null)
{
    database db{":memory:"};
    statement st{db.handle(), "SELECT ?1 IS NULL, ?2"};
    st.bind(1, std::optional<std::int64_t>{}).bind(2, std::optional<std::int64_t>{5});
    ASSERT_TRUE(st.step());
    EXPECT_EQ(st.column_int64(0), 1);
    EXPECT_EQ(st.column_int64(1), 5);
}

TEST(statement, step_returns_false_when_the_rows_run_out)
{
    auto db = numbers_db();
    statement st{db.handle(), "SELECT n FROM numbers WHERE n > 2"};
    EXPECT_TRUE(st.step());
    EXPECT_FALSE(st.step());
}
