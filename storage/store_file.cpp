// The store's database file: that cognitod can write it when it opens it, and that its path still
// names it while cognitod runs.
#include "storage/migrations.hpp"
#include "storage/store.hpp"

#include <sqlite3.h>

#include <cerrno>
#include <filesystem>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace cognitod::storage
{

namespace
{

bool is_file(std::string const& path)
{
    return !path.empty() && path != ":memory:";
}

// "database <path> cannot be written: <why>", with why found by asking the file system what it
// lets this process do; SQLite's own words (detail) when the file and its directory look fine.
std::string cannot_write(std::string const& path, std::string const& detail)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    auto const dir = fs::absolute(fs::path{path}, ec).parent_path().string();
    auto why = detail;
    bool const dir_writable = ::access(dir.c_str(), W_OK | X_OK) == 0;
    if (::access(path.c_str(), F_OK) == 0)
    {
        if (::access(path.c_str(), R_OK) != 0)
        {
            why = "cognitod may not read the file";
        }
        else if (::access(path.c_str(), W_OK) != 0)
        {
            why = "the file is read-only";
        }
        else if (!dir_writable)
        {
            why = "its directory " + dir +
                  " does not let cognitod create files (SQLite keeps its write-ahead log beside "
                  "the database)";
        }
    }
    else if (::access(dir.c_str(), F_OK) != 0)
    {
        why = "its directory " + dir + " does not exist";
    }
    else if (!dir_writable)
    {
        why = "its directory " + dir + " does not let cognitod create files";
    }
    return "database " + path + " cannot be written: " + why;
}

} // namespace

database store::open_writer(std::string const& path, durability level)
{
    if (!is_file(path))
    {
        database db{path, level};
        migrate(db);
        return db;
    }
    try
    {
        database db{path, level};
        // SQLite opens a file it may not write read-only without a word, and finds that it cannot
        // write the WAL only when a write begins: ask now, rather than fail every write later.
        if (sqlite3_db_readonly(db.handle(), "main") == 1)
        {
            throw unwritable_error(cannot_write(path, "the file is read-only"));
        }
        db.exec("BEGIN IMMEDIATE; COMMIT");
        migrate(db);
        return db;
    }
    catch (sqlite_error const& e)
    {
        int const primary = e.code() & 0xff;
        if (primary != SQLITE_READONLY && primary != SQLITE_CANTOPEN)
        {
            throw;
        }
        throw unwritable_error(cannot_write(path, e.what()));
    }
}

void store::remember_file() noexcept
{
    struct ::stat opened = {};
    if (::stat(path_.c_str(), &opened) == 0)
    {
        file_device_ = static_cast<std::uint64_t>(opened.st_dev);
        file_inode_ = static_cast<std::uint64_t>(opened.st_ino);
    }
}

bool store::file_moved() const noexcept
{
    struct ::stat now = {};
    if (::stat(path_.c_str(), &now) != 0)
    {
        // Gone; any other failure (a stat that cannot allocate, say) proves nothing.
        return errno == ENOENT || errno == ENOTDIR;
    }
    return static_cast<std::uint64_t>(now.st_dev) != file_device_ ||
           static_cast<std::uint64_t>(now.st_ino) != file_inode_;
}

void store::record_loss() noexcept
{
    try
    {
        std::function<void(std::string const&)> report;
        std::string reason;
        {
            std::lock_guard lock{fault_mutex_};
            if (lost_.load())
            {
                return;
            }
            fault_ = "The database file " + path_ +
                     " was deleted, renamed or replaced while cognitod ran; writes are refused, "
                     "as they would be lost. Restart cognitod.";
            reason = fault_;
            report = on_fault_;
            lost_.store(true);
        }
        if (report)
        {
            report(reason);
        }
    }
    catch (...) // NOLINT(bugprone-empty-catch): out of memory; the next look records it
    {
    }
}

void store::check_writable()
{
    if (verify_next_write_.load(std::memory_order_relaxed) && verify_next_write_.exchange(false) &&
        file_moved())
    {
        record_loss();
    }
    if (lost_.load())
    {
        std::lock_guard lock{fault_mutex_};
        throw unwritable_error(fault_);
    }
}

std::string store::fault()
{
    if (shared() && !lost_.load() && file_moved())
    {
        record_loss();
    }
    std::lock_guard lock{fault_mutex_};
    return fault_;
}

void store::on_fault(std::function<void(std::string const&)> report)
{
    std::function<void(std::string const&)> report_now;
    std::string reason;
    {
        std::lock_guard lock{fault_mutex_};
        on_fault_ = std::move(report);
        if (!fault_.empty())
        {
            report_now = on_fault_;
            reason = fault_;
        }
    }
    if (report_now)
    {
        report_now(reason);
    }
}

} // namespace cognitod::storage
