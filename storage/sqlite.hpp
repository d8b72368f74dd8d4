// RAII over the SQLite C API, shaped like SQLiteCpp: one owner per handle, statements finalized by
// their deleter, transactions as scope guards.
// Not thread-safe: a database and its statements are used by one thread at a time (store
// guarantees it: the writer under its mutex, each reader lent to one transaction at a time).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace cognitod::storage
{

// A failed SQLite call; keeps SQLite's extended result code.
class sqlite_error : public std::runtime_error
{
    int code_;

public:
    sqlite_error(std::string const& message, int code) : std::runtime_error(message), code_(code) {}
    int code() const noexcept { return code_; }
};

class statement
{
    struct deleter
    {
        void operator()(sqlite3_stmt* stmt) const noexcept;
    };
    sqlite3* db_;
    std::unique_ptr<sqlite3_stmt, deleter> stmt_;

public:
    statement(sqlite3* db, std::string_view sql);

    // Parameters are 1-based, as in SQL (?1). Text and blobs are copied (SQLITE_TRANSIENT).
    statement& bind(int index, std::string_view text);
    statement& bind(int index, char const* text) { return bind(index, std::string_view{text}); }
    statement& bind(int index, std::int64_t value);
    statement& bind(int index, int value) { return bind(index, std::int64_t{value}); }
    statement& bind(int index, bool value) { return bind(index, std::int64_t{value ? 1 : 0}); }
    statement& bind(int index, std::optional<std::int64_t> value);
    // Text, or NULL when there is none.
    statement& bind_optional(int index, std::optional<std::string> const& text);
    statement& bind_blob(int index, std::string_view bytes);
    statement& bind_null(int index);

    // Advances to the next row: true while a row is available, false when done.
    bool step();
    // Runs a statement that returns no rows; returns sqlite3_changes().
    int execute();
    // Makes the statement ready to run again with new bindings.
    void reset() noexcept;

    std::string column_text(int index) const;
    // The same without a copy: valid until the next step, reset or column call on this row.
    std::string_view column_text_view(int index) const;
    std::string column_blob(int index) const;
    std::int64_t column_int64(int index) const;
    std::optional<std::int64_t> column_optional_int64(int index) const;
    std::optional<std::string> column_optional_text(int index) const;
    bool column_is_null(int index) const;
};

enum class open_mode
{
    create, // create the file when missing
    existing,
};

enum class durability
{
    normal, // WAL + synchronous=NORMAL: acknowledged commits survive a process crash
    full,   // synchronous=FULL: they also survive power loss
};

// A cached statement on loan: reset (bindings cleared, read snapshot released) when it goes out of
// scope, so a lookup that stops after one row holds no lock afterwards.
class statement_lease
{
    statement* stmt_;

public:
    explicit statement_lease(statement& stmt) noexcept : stmt_(&stmt) {}
    statement_lease(statement_lease const&) = delete;
    statement_lease& operator=(statement_lease const&) = delete;
    statement_lease(statement_lease&&) = delete;
    statement_lease& operator=(statement_lease&&) = delete;
    ~statement_lease() { stmt_->reset(); }

    statement* operator->() const noexcept { return stmt_; }
    statement& operator*() const noexcept { return *stmt_; }
};

class database
{
    struct deleter
    {
        void operator()(sqlite3* db) const noexcept;
    };
    struct text_hash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const noexcept
        {
            return std::hash<std::string_view>{}(text);
        }
    };
    std::unique_ptr<sqlite3, deleter> db_;
    std::unordered_map<std::string, std::unique_ptr<statement>, text_hash, std::equal_to<>> cache_;

public:
    // path may be ":memory:". Sets foreign_keys=ON, WAL (for files), busy timeout, synchronous.
    explicit database(
        std::string const& path,
        durability level = durability::normal,
        open_mode mode = open_mode::create
    );

    // Runs one or more statements that return no rows.
    void exec(std::string_view sql);
    // A statement prepared once and kept for the database's lifetime, ready to bind.
    statement_lease cached(std::string_view sql);
    std::int64_t last_insert_rowid() const;
    sqlite3* handle() const noexcept { return db_.get(); }
};

enum class transaction_mode
{
    deferred,  // readers: take the lock on first access
    immediate, // writers: take the write lock up front
};

// BEGIN in the constructor, ROLLBACK in the destructor unless commit() ran. Never throws from
// its destructor.
class transaction
{
    database& db_;
    bool done_ = false;

public:
    transaction(database& db, transaction_mode mode);
    transaction(transaction const&) = delete;
    transaction& operator=(transaction const&) = delete;
    transaction(transaction&&) = delete;
    transaction& operator=(transaction&&) = delete;
    ~transaction();

    void commit();
};

} // namespace cognitod::storage
