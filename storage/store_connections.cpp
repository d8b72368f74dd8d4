// The store's connections: the writer, the readers it lends, and the background checkpointer.
#include "storage/store.hpp"

#include <sqlite3.h>

#include <chrono>
#include <tuple>
#include <utility>

namespace cognitod::storage
{

namespace
{

// Without commits the checkpointer still looks this often, so that an idle server's WAL ends up
// in the database (and a crash leaves little to recover at the next start).
constexpr auto checkpoint_interval = std::chrono::seconds{1};

// Before the bounded-WAL step takes the writer's lock, unlocked passes run until at most
// small_rest pages are left to copy, or max_unlocked_passes have run.
constexpr int small_rest = 64;
constexpr int max_unlocked_passes = 8;

// When the WAL starts over, SQLite cuts its file back to this size: room for restart_pages of
// 4 KiB, so that under a stream of writes the file is reused rather than extended again (which
// costs the file system more per commit), while one burst does not keep its space for ever.
constexpr char const* wal_size_limit = "PRAGMA journal_size_limit = 142606336"; // 136 MiB
static_assert(store::restart_pages * 4096 < 142606336);

} // namespace

store::store(std::string const& path, durability level)
    : writer_(open_writer(path, level)), path_(path), level_(level)
{
    auto& db = writer_.db();
    sqlite3_commit_hook(db.handle(), &store::on_writer_commit, this);
    if (!shared())
    {
        return;
    }
    remember_file();
    db.exec(wal_size_limit);
    // A WAL hook replaces SQLite's automatic checkpoints (they are one too), which would run inside
    // whichever request commits past the threshold and stall it; the checkpointer does them.
    sqlite3_wal_hook(db.handle(), &store::on_commit, this);
    // A connection of its own: the writer's stays free for requests while this one copies. Opened
    // here rather than on the thread, where the file could be gone already.
    checkpointer_ = std::thread([this, conn = database{path_, level_, open_mode::existing}](
                                ) mutable { run_checkpoints(conn); });
}

store::~store()
{
    if (checkpointer_.joinable())
    {
        {
            std::lock_guard lock{checkpoint_mutex_};
            stopping_ = true;
        }
        checkpoint_wake_.notify_one();
        checkpointer_.join();
    }
    if (!shared())
    {
        return;
    }
    sqlite3_wal_hook(writer_.db().handle(), nullptr, nullptr);
    idle_readers_.clear();
    try
    {
        // With every other connection closed this copies the whole WAL back and empties it.
        writer_.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    catch (...) // NOLINT(bugprone-empty-catch): never throw from a destructor; the WAL stays valid
    {
    }
}

bool store::shared() const noexcept
{
    return !path_.empty() && path_ != ":memory:";
}

void store::give_back(std::unique_ptr<queries> reader) noexcept
{
    std::lock_guard lock{readers_mutex_};
    idle_readers_.push_back(std::move(reader));
}

int store::on_commit(void* self, sqlite3* /*db*/, char const* /*name*/, int wal_pages) noexcept
{
    auto& s = *static_cast<store*>(self);
    bool wake = false;
    {
        std::lock_guard lock{s.checkpoint_mutex_};
        if (wal_pages < s.wal_pages_)
        {
            s.wal_copied_ = 0; // the WAL started over
        }
        s.wal_pages_ = wal_pages;
        wake = wal_pages - s.wal_copied_ >= checkpoint_pages;
    }
    if (wake)
    {
        s.checkpoint_wake_.notify_one();
    }
    return SQLITE_OK;
}

int store::on_writer_commit(void* self) noexcept
{
    // Called inside the commit, before it is done: the version is raised when the lease ends.
    static_cast<store*>(self)->committed_ = true;
    return 0; // commit
}

namespace
{

// Copies what it can of the WAL into the database; returns the WAL's length and how much of it
// is copied.
std::pair<int, int> checkpoint(database& conn) noexcept
{
    int length = 0;
    int copied = 0;
    sqlite3_wal_checkpoint_v2(conn.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &length, &copied);
    return {length, copied};
}

// Writes the database file's pages to disk, as the sync at the end of a whole checkpoint does.
// Through the connection's own file, not a second descriptor: closing one would drop the lock
// that unix-excl holds on the file.
void sync_database(database& conn) noexcept
{
    sqlite3_file* file = nullptr;
    if (sqlite3_file_control(conn.handle(), "main", SQLITE_FCNTL_FILE_POINTER, &file) ==
            SQLITE_OK &&
        file != nullptr && file->pMethods != nullptr)
    {
        file->pMethods->xSync(file, SQLITE_SYNC_NORMAL);
    }
}

} // namespace

std::pair<int, int> store::copy_wal(database& conn) noexcept
{
    auto [length, copied] = checkpoint(conn);
    if (length >= restart_pages)
    {
        // SQLite syncs the database file only in a checkpoint that copies the whole WAL, so
        // everything the passes before copied (up to restart_pages scattered pages on a large
        // database) would be written out in the hold below: 65-140 ms with 1,000,000 devices.
        // Two rounds flush it while writes go on: each syncs what was copied so far, then passes
        // copy what was committed meanwhile until a handful of pages is left, so that the hold
        // copies and syncs almost nothing.
        for (int round = 0; round < 2; ++round)
        {
            sync_database(conn);
            for (int pass = 0; pass < max_unlocked_passes; ++pass)
            {
                std::tie(length, copied) = checkpoint(conn);
                if (length - copied <= small_rest)
                {
                    break;
                }
            }
        }
        std::lock_guard writer{mutex_};
        std::tie(length, copied) = checkpoint(conn);
    }
    return {length, copied};
}

void store::run_checkpoints(database& conn) noexcept
{
    try
    {
        std::unique_lock lock{checkpoint_mutex_};
        for (;;)
        {
            checkpoint_wake_.wait_for(
                lock,
                checkpoint_interval,
                [&] { return stopping_ || wal_pages_ - wal_copied_ >= checkpoint_pages; }
            );
            if (stopping_)
            {
                return;
            }
            bool const all_copied = wal_pages_ <= wal_copied_; // nothing committed since
            lock.unlock();
            // Once a second at least: is the file still there? The next write looks again.
            if (!lost_.load() && file_moved())
            {
                record_loss();
            }
            verify_next_write_.store(true);
            if (all_copied)
            {
                lock.lock();
                continue;
            }
            auto const [length, copied] = copy_wal(conn);
            lock.lock();
            if (wal_pages_ >= length)
            {
                wal_copied_ = copied; // else the WAL started over meanwhile, and none of it is
            }
        }
    }
    catch (...) // NOLINT(bugprone-empty-catch): without a checkpointer the WAL only grows until
                // the clean shutdown checkpoints it; requests are unaffected
    {
    }
}

void store::switch_writer(writer_role role)
{
    if (role_ == role)
    {
        return;
    }
    writer_.db()
        .cached(role == writer_role::reads ? "PRAGMA query_only = ON" : "PRAGMA query_only = OFF")
        ->execute();
    role_ = role;
}

store::write_lease::write_lease(store& owner, std::unique_lock<std::mutex> lock)
    : owner_(&owner), lock_(std::move(lock))
{
    owner.check_writable();
    owner.switch_writer(writer_role::writes);
}

store::write_lease::~write_lease()
{
    // Before the lock goes, so that whoever takes it next sees the version of what it reads.
    if (lock_.owns_lock() && owner_->committed_)
    {
        owner_->committed_ = false;
        if (raises_version_)
        {
            ++owner_->version_;
        }
    }
}

store::write_lease store::write()
{
    return write_lease{*this, std::unique_lock{mutex_}};
}

std::optional<store::write_lease> store::try_write()
{
    std::unique_lock lock{mutex_, std::try_to_lock};
    if (!lock.owns_lock())
    {
        return std::nullopt;
    }
    return write_lease{*this, std::move(lock)};
}

store::read_lease::read_lease(store& owner) : owner_(&owner)
{
    if (!owner.shared())
    {
        lock_ = std::unique_lock{owner.mutex_};
        owner.switch_writer(writer_role::reads);
        return;
    }
    {
        std::lock_guard lock{owner.readers_mutex_};
        if (!owner.idle_readers_.empty())
        {
            reader_ = std::move(owner.idle_readers_.back());
            owner.idle_readers_.pop_back();
            return;
        }
    }
    // Every reader is busy: open another. There are never more than the threads that run requests.
    // It opens the path, so only while the path names the writer's file (looked at before and
    // after, as the file may go in between); else the writer, which still has it, serves the read.
    if (!owner.lost_.load() && !owner.file_moved())
    {
        database db{owner.path_, owner.level_, open_mode::existing};
        db.exec("PRAGMA query_only = ON");
        if (!owner.file_moved())
        {
            reader_ = std::make_unique<queries>(std::move(db));
            return;
        }
    }
    owner.record_loss();
    lock_ = std::unique_lock{owner.mutex_};
    owner.switch_writer(writer_role::reads);
}

store::read_lease::~read_lease()
{
    if (reader_)
    {
        owner_->give_back(std::move(reader_));
    }
}

} // namespace cognitod::storage
