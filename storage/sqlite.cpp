#include "storage/sqlite.hpp"

#include <sqlite3.h>

namespace cognitod::storage
{

namespace
{

[[noreturn]] void fail(sqlite3* db, int code, std::string_view what)
{
    std::string message{what};
    message += ": ";
    message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    throw sqlite_error(message, db != nullptr ? sqlite3_extended_errcode(db) : code);
}

void check(sqlite3* db, int code, std::string_view what)
{
    if (code != SQLITE_OK)
    {
        fail(db, code, what);
    }
}

} // namespace

void statement::deleter::operator()(sqlite3_stmt* stmt) const noexcept
{
    sqlite3_finalize(stmt);
}

statement::statement(sqlite3* db, std::string_view sql) : db_(db)
{
    sqlite3_stmt* raw = nullptr;
    int const rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    stmt_.reset(raw);
    check(db, rc, "prepare");
}

statement& statement::bind(int index, std::string_view text)
{
    check(
        db_,
        sqlite3_bind_text64(
            stmt_.get(), index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8
        ),
        "bind"
    );
    return *this;
}

statement& statement::bind(int index, std::int64_t value)
{
    check(db_, sqlite3_bind_int64(stmt_.get(), index, value), "bind");
    return *this;
}

statement& statement::bind(int index, std::optional<std::int64_t> value)
{
    return value ? bind(index, *value) : bind_null(index);
}

statement& statement::bind_optional(int index, std::optional<std::string> const& text)
{
    return text ? bind(index, std::string_view{*text}) : bind_null(index);
}

statement& statement::bind_blob(int index, std::string_view bytes)
{
    check(
        db_,
        sqlite3_bind_blob64(stmt_.get(), index, bytes.data(), bytes.size(), SQLITE_TRANSIENT),
        "bind"
    );
    return *this;
}

statement& statement::bind_null(int index)
{
    check(db_, sqlite3_bind_null(stmt_.get(), index), "bind");
    return *this;
}

bool statement::step()
{
    int const rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW)
    {
        return true;
    }
    if (rc == SQLITE_DONE)
    {
        return false;
    }
    fail(db_, rc, "step");
}

int statement::execute()
{
    while (step())
    {
    }
    return sqlite3_changes(db_);
}

void statement::reset() noexcept
{
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
}

std::string statement::column_text(int index) const
{
    return std::string{column_text_view(index)};
}

std::string_view statement::column_text_view(int index) const
{
    auto const* text = sqlite3_column_text(stmt_.get(), index);
    if (text == nullptr)
    {
        return {};
    }
    auto const size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), index));
    return {reinterpret_cast<char const*>(text), size};
}

std::string statement::column_blob(int index) const
{
    auto const* data = sqlite3_column_blob(stmt_.get(), index);
    if (data == nullptr)
    {
        return {};
    }
    auto const size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), index));
    return {static_cast<char const*>(data), size};
}

std::int64_t statement::column_int64(int index) const
{
    return sqlite3_column_int64(stmt_.get(), index);
}

std::optional<std::int64_t> statement::column_optional_int64(int index) const
{
    if (column_is_null(index))
    {
        return std::nullopt;
    }
    return column_int64(index);
}

std::optional<std::string> statement::column_optional_text(int index) const
{
    if (column_is_null(index))
    {
        return std::nullopt;
    }
    return column_text(index);
}

bool statement::column_is_null(int index) const
{
    return sqlite3_column_type(stmt_.get(), index) == SQLITE_NULL;
}

void database::deleter::operator()(sqlite3* db) const noexcept
{
    sqlite3_close_v2(db);
}

namespace
{

// Process-wide settings, which SQLite takes only before it initializes itself. Memory statistics
// off: with them on, every allocation SQLite makes (dozens a request) takes a global mutex, and
// nothing here reads the statistics.
void configure_sqlite_once()
{
    static bool const configured = []
    {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        return true;
    }();
    (void)configured;
}

} // namespace

database::database(std::string const& path, durability level, open_mode mode)
{
    configure_sqlite_once();
    sqlite3* raw = nullptr;
    int const flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                      (mode == open_mode::create ? SQLITE_OPEN_CREATE : 0);
    // unix-excl: the first lock any connection of this process takes is a POSIX lock on the whole
    // file, held until the last connection closes, and every lock after it is kept in memory. With
    // the plain unix VFS each read transaction made one or two fcntl calls on the -shm file to take
    // and drop its read mark; with unix-excl the WAL index lives in this process's memory and a
    // read takes no system call. Another process can open the file only once cognitod is gone.
    char const* const vfs = path == ":memory:" ? nullptr : "unix-excl";
    int const rc = sqlite3_open_v2(path.c_str(), &raw, flags, vfs);
    db_.reset(raw);
    check(raw, rc, "open " + path);
    sqlite3_extended_result_codes(raw, 1);
    check(raw, sqlite3_busy_timeout(raw, 5000), "busy_timeout");
    // Foreign keys are off by default, per connection; the cascades depend on them.
    exec("PRAGMA foreign_keys = ON");
    // Debian builds SQLite with secure_delete on: every deleted row's bytes overwritten, and every
    // page that held one written again. Nothing cognitod deletes is secret from whoever can read
    // its file; deleting 1,000 fixture pools row by row wrote 6.2 MB of WAL with it, 1.4 MB
    // without.
    exec("PRAGMA secure_delete = OFF");
    if (path != ":memory:")
    {
        exec("PRAGMA journal_mode = WAL");
        exec("PRAGMA mmap_size = 1073741824");
    }
    exec(level == durability::full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
}

void database::exec(std::string_view sql)
{
    std::string const text{sql};
    char* error = nullptr;
    int const rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK)
    {
        std::string message = error != nullptr ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        throw sqlite_error("exec: " + message, sqlite3_extended_errcode(db_.get()));
    }
}

statement_lease database::cached(std::string_view sql)
{
    auto it = cache_.find(sql);
    if (it == cache_.end())
    {
        it = cache_.emplace(std::string{sql}, std::make_unique<statement>(db_.get(), sql)).first;
    }
    return statement_lease{*it->second};
}

std::int64_t database::last_insert_rowid() const
{
    return sqlite3_last_insert_rowid(db_.get());
}

// BEGIN, COMMIT and ROLLBACK run on every request: as cached statements rather than through
// sqlite3_exec, which parses and prepares its text anew on each call.
transaction::transaction(database& db, transaction_mode mode) : db_(db)
{
    db_.cached(mode == transaction_mode::immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED")
        ->execute();
}

transaction::~transaction()
{
    if (!done_)
    {
        try
        {
            db_.cached("ROLLBACK")->execute();
        }
        catch (...) // NOLINT(bugprone-empty-catch): never throw from a destructor
        {
        }
    }
}

void transaction::commit()
{
    db_.cached("COMMIT")->execute();
    done_ = true;
}

} // namespace cognitod::storage
