// The store's database file: refused at open when cognitod cannot write it, and watched while
// open, so that writes stop once its path names another file or none.
#include "storage/store.hpp"
#include "unit/storage/storage_helpers.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace
{

using cognitod::storage::store;
using cognitod::storage::unwritable_error;
using cognitod::storage::testing::make_pool;
using cognitod::storage::testing::rows;

namespace fs = std::filesystem;

constexpr uid_t nobody = 65534;

class database_file : public ::testing::Test
{
protected:
    fs::path dir_ = fs::temp_directory_path() /
                    ("cognitod-file-" + std::to_string(::getpid()) + "-" +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::string path_ = (dir_ / "store.db").string();

    void SetUp() override { fs::create_directories(dir_); }
    void TearDown() override
    {
        fs::permissions(dir_, fs::perms::owner_all);
        fs::remove_all(dir_);
    }

    std::string lost_reason() const
    {
        return "The database file " + path_ +
               " was deleted, renamed or replaced while cognitod ran; writes are refused, as they "
               "would be lost. Restart cognitod.";
    }

    // A database as a clean stop leaves it, with one pool.
    void make_database() const
    {
        store s{path_};
        make_pool().insert(*s.write());
    }

    // Opens the store in a child process as a user file modes apply to (root ignores them: the
    // child drops to nobody); exits 2 printing what() when the store refuses, 0 when it opens.
    void open_as_unprivileged() const
    {
        if (::geteuid() == 0 && (::setgid(nobody) != 0 || ::setuid(nobody) != 0))
        {
            std::cerr << "cannot become nobody";
            std::_Exit(3);
        }
        try
        {
            store s{path_};
        }
        catch (unwritable_error const& e)
        {
            std::cerr << e.what();
            std::_Exit(2);
        }
        std::_Exit(0);
    }

    // Whether open_as_unprivileged can run: root must be allowed to become nobody.
    static bool can_drop_privileges()
    {
        if (::geteuid() != 0)
        {
            return true;
        }
        pid_t const child = ::fork();
        if (child == 0)
        {
            std::_Exit(::setgid(nobody) == 0 && ::setuid(nobody) == 0 ? 0 : 1);
        }
        int status = 0;
        return child > 0 && ::waitpid(child, &status, 0) == child && WIFEXITED(status) &&
               WEXITSTATUS(status) == 0;
    }

    // Gives the directory to the user open_as_unprivileged runs as.
    void hand_over(fs::path const& path) const
    {
        if (::geteuid() == 0)
        {
            ASSERT_EQ(::chown(path.c_str(), nobody, nobody), 0);
        }
    }
};

void replace_with_empty_file(std::string const& path)
{
    auto const other = path + ".other";
    std::ofstream{other}.flush();
    fs::rename(other, path);
}

} // namespace

TEST_F(database_file, a_read_only_file_is_refused_at_open)
{
    if (!can_drop_privileges())
    {
        GTEST_SKIP() << "running as root without the right to become nobody (CAP_SETUID)";
    }
    make_database();
    hand_over(dir_);
    fs::permissions(path_, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    EXPECT_EXIT(
        open_as_unprivileged(),
        ::testing::ExitedWithCode(2),
        "^database " + path_ + " cannot be written: the file is read-only$"
    );
}

TEST_F(database_file, a_directory_that_refuses_the_wal_is_refused_at_open)
{
    if (!can_drop_privileges())
    {
        GTEST_SKIP() << "running as root without the right to become nobody (CAP_SETUID)";
    }
    make_database();
    hand_over(path_);
    fs::permissions(
        dir_,
        fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
            fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec
    );
    EXPECT_EXIT(
        open_as_unprivileged(),
        ::testing::ExitedWithCode(2),
        "^database " + path_ + " cannot be written: its directory " + dir_.string() +
            " does not let cognitod create files \\(SQLite keeps its write-ahead log beside the "
            "database\\)$"
    );
}

TEST_F(database_file, a_file_in_place_is_writable)
{
    store s{path_};
    EXPECT_NO_THROW(s.write());
    EXPECT_EQ(s.fault(), "");
}

TEST_F(database_file, a_deleted_file_is_found_at_once_by_the_health_look)
{
    store s{path_};
    make_pool().insert(*s.write());
    fs::remove(path_);
    EXPECT_EQ(s.fault(), lost_reason());
    try
    {
        s.write();
        ADD_FAILURE() << "a write was let through";
    }
    catch (unwritable_error const& e)
    {
        EXPECT_EQ(e.what(), lost_reason());
    }
}

TEST_F(database_file, the_checkpointer_finds_a_deleted_file_and_reports_it_once)
{
    store s{path_};
    std::mutex reports_mutex;
    std::vector<std::string> reports;
    s.on_fault(
        [&](std::string const& reason)
        {
            std::lock_guard lock{reports_mutex};
            reports.push_back(reason);
        }
    );
    fs::remove(path_);
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;)
    {
        {
            std::lock_guard lock{reports_mutex};
            if (!reports.empty() || std::chrono::steady_clock::now() > deadline)
            {
                break;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_THROW(s.write(), unwritable_error);
    EXPECT_THROW(s.write()->wipe(), unwritable_error);
    EXPECT_EQ(s.fault(), lost_reason());
    std::lock_guard lock{reports_mutex};
    EXPECT_EQ(reports, std::vector<std::string>{lost_reason()});
}

TEST_F(database_file, the_first_write_after_a_look_of_the_checkpointer_looks_again)
{
    store s{path_};
    // Wait out one look of the checkpointer, with the file in place; then lose the file with no
    // look between the loss and the write.
    std::atomic<bool> found{false};
    s.on_fault([&](std::string const&) { found = true; });
    std::this_thread::sleep_for(std::chrono::seconds(2));
    fs::rename(path_, path_ + ".moved");
    // Either the write looks, or the checkpointer looked in the meantime: refused both ways.
    EXPECT_THROW(s.write(), unwritable_error);
    EXPECT_TRUE(found);
}

TEST_F(database_file, a_report_registered_after_the_loss_comes_at_once)
{
    store s{path_};
    replace_with_empty_file(path_);
    ASSERT_EQ(s.fault(), lost_reason());
    std::vector<std::string> reports;
    s.on_fault([&](std::string const& reason) { reports.push_back(reason); });
    EXPECT_EQ(reports, std::vector<std::string>{lost_reason()});
}

TEST_F(database_file, a_reader_is_never_opened_on_a_file_that_replaced_the_database)
{
    store s{path_};
    auto const* const writer = &*s.write();
    make_pool().insert(*s.write());
    replace_with_empty_file(path_);
    {
        // No reader was opened yet: the writer, which still has the file, serves the read.
        auto reader = s.read();
        EXPECT_EQ(&*reader, writer);
        EXPECT_EQ(rows(*reader, "user_pools"), 1);
    }
    EXPECT_EQ(fs::file_size(path_), 0U);
    EXPECT_EQ(s.fault(), lost_reason());
}

TEST_F(database_file, no_file_is_made_again_at_the_path_of_a_deleted_database)
{
    store s{path_};
    make_pool().insert(*s.write());
    fs::remove(path_);
    {
        auto reader = s.read();
        EXPECT_EQ(rows(*reader, "user_pools"), 1);
    }
    EXPECT_FALSE(fs::exists(path_));
}

TEST(store_memory, an_in_memory_store_is_always_writable)
{
    store s{":memory:"};
    EXPECT_NO_THROW(s.write());
    EXPECT_EQ(s.fault(), "");
}
