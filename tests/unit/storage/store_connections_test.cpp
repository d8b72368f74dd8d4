// The store's connections: readers beside the writer on a file database, the writer itself for an
// in-memory one, and the checkpoints that keep the WAL out of the request path.
#include "storage/store.hpp"
#include "unit/storage/storage_helpers.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace
{

using cognitod::storage::queries;
using cognitod::storage::sqlite_error;
using cognitod::storage::store;
using cognitod::storage::transaction;
using cognitod::storage::transaction_mode;
using cognitod::storage::testing::device_key;
using cognitod::storage::testing::make_device;
using cognitod::storage::testing::make_pool;
using cognitod::storage::testing::make_user;
using cognitod::storage::testing::rows;

namespace fs = std::filesystem;

// A directory of its own for one test's database, removed afterwards.
class store_file : public ::testing::Test
{
protected:
    fs::path dir_ = fs::temp_directory_path() /
                    ("cognitod-store-" + std::to_string(::getpid()) + "-" +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::string path_ = (dir_ / "store.db").string();

    void SetUp() override { fs::create_directories(dir_); }
    void TearDown() override { fs::remove_all(dir_); }
};

} // namespace

TEST_F(store_file, a_reader_sees_the_last_commit_while_a_write_is_open)
{
    store s{path_};
    auto writer = s.write();
    make_pool("us-east-1_committed").insert(*writer);
    transaction tx{writer->db(), transaction_mode::immediate};
    make_pool("us-east-1_pending").insert(*writer);

    auto reader = s.read();
    EXPECT_NE(&*reader, &*writer);
    EXPECT_TRUE(reader->find_user_pool("us-east-1_committed"));
    EXPECT_FALSE(reader->find_user_pool("us-east-1_pending"));
    tx.commit();
}

TEST_F(store_file, a_reader_sees_settings_the_writer_changes_after_it_read_them)
{
    store s{path_};
    auto pool = make_pool().insert(*s.write());
    {
        auto reader = s.read();
        ASSERT_EQ(reader->find_user_pool(pool.id)->settings->at("MfaConfiguration"), "OFF");
    }
    pool.settings.edit()["MfaConfiguration"] = "ON";
    s.write()->update_user_pool(pool);
    auto reader = s.read();
    EXPECT_EQ(reader->find_user_pool(pool.id)->settings->at("MfaConfiguration"), "ON");
}

TEST_F(store_file, a_reader_refuses_to_write)
{
    store s{path_};
    auto reader = s.read();
    EXPECT_THROW(make_pool().insert(*reader), sqlite_error);
}

TEST_F(store_file, readers_are_reused_once_returned)
{
    store s{path_};
    std::set<queries const*> opened;
    {
        auto a = s.read();
        auto b = s.read();
        opened = {&*a, &*b};
        EXPECT_EQ(opened.size(), 2U);
    }
    auto a = s.read();
    auto b = s.read();
    EXPECT_EQ((std::set<queries const*>{&*a, &*b}), opened);
}

TEST_F(store_file, readers_on_other_threads_see_whole_commits_while_the_writer_writes)
{
    store s{path_};
    auto const pool = make_pool().insert(*s.write());
    std::atomic<bool> done{false};
    std::atomic<int> torn{0};
    std::vector<std::thread> readers;
    for (int r = 0; r < 3; ++r)
    {
        readers.emplace_back(
            [&]
            {
                while (!done)
                {
                    // Each user is committed with its two attributes: a snapshot has both or
                    // neither.
                    auto reader = s.read();
                    transaction tx{reader->db(), transaction_mode::deferred};
                    auto const users = rows(*reader, "users");
                    if (rows(*reader, "user_attributes") != 2 * users)
                    {
                        ++torn;
                    }
                    tx.commit();
                }
            }
        );
    }
    for (int i = 0; i < 200; ++i)
    {
        auto writer = s.write();
        transaction tx{writer->db(), transaction_mode::immediate};
        make_user("user" + std::to_string(i))
            .with("email", "u@example.com")
            .with("name", "U")
            .insert(*writer, pool);
        tx.commit();
    }
    done = true;
    for (auto& t : readers)
    {
        t.join();
    }
    EXPECT_EQ(torn, 0);
    EXPECT_EQ(rows(*s.read(), "users"), 200);
}

TEST_F(store_file, the_checkpointer_copies_commits_into_the_database_file)
{
    store s{path_};
    auto const before = fs::file_size(path_);
    auto big = make_pool("us-east-1_large").insert(*s.write());
    big.settings = nlohmann::json{{"Padding", std::string(256 * 1024, 'x')}};
    s.write()->update_user_pool(big);

    // The checkpointer looks at least once a second; nothing else copies the WAL back.
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds{10};
    while (fs::file_size(path_) <= before + 256 * 1024 &&
           std::chrono::steady_clock::now() < deadline)
    {
        std::this_thread::sleep_for(std::chrono::milliseconds{20});
    }
    EXPECT_GT(fs::file_size(path_), before + 256 * 1024);
}

TEST_F(store_file, a_stream_of_writes_keeps_the_wal_bounded)
{
    // Each commit adds a frame to the WAL, and SQLite starts the WAL over only when a write begins
    // with all of it copied back, which back-to-back writes never allow on their own. Past
    // restart_pages the checkpointer copies the rest with the writer's lock held; without that,
    // the file would hold a frame for every commit below.
    store s{path_};
    auto const pool = make_pool().insert(*s.write());
    auto const alice = make_user("alice").insert(*s.write(), pool);
    auto d = make_device(device_key(1)).insert(*s.write(), alice);
    int const commits = store::restart_pages * 3 / 2;
    for (int i = 0; i < commits; ++i)
    {
        {
            auto writer = s.write();
            transaction tx{writer->db(), transaction_mode::immediate};
            d.last_modified = i;
            writer->update_device(d);
            tx.commit();
        }
        // Between two requests an I/O thread reads and answers; here the checkpointer, when it
        // waits for the lock, gets the same chance to take it.
        std::this_thread::yield();
    }
    std::uintmax_t const frame = 24 + 4096;
    EXPECT_LT(fs::file_size(path_ + "-wal"), std::uintmax_t{store::restart_pages + 4000} * frame);
    EXPECT_EQ(s.read()->find_device(alice.id, d.key)->last_modified, commits - 1);
}

TEST_F(store_file, closing_checkpoints_and_removes_the_wal)
{
    {
        store s{path_};
        make_pool().insert(*s.write());
        auto reader = s.read(); // a reader open until the end, then returned
    }
    EXPECT_FALSE(fs::exists(path_ + "-wal") && fs::file_size(path_ + "-wal") > 0);
    store again{path_};
    EXPECT_TRUE(again.read()->find_user_pool("us-east-1_000000001"));
}

namespace
{

// Whether another thread could take the writer's lock now.
bool writer_free(store& s)
{
    bool free = false;
    std::thread([&] { free = s.try_write().has_value(); }).join();
    return free;
}

} // namespace

TEST(store_memory, the_reader_of_an_in_memory_database_is_the_locked_writer)
{
    store s{":memory:"};
    auto const* const writer = &*s.write();
    {
        auto reader = s.read();
        EXPECT_EQ(&*reader, writer);
        EXPECT_FALSE(writer_free(s));
    }
    EXPECT_TRUE(writer_free(s));
}

// Unit tests run on in-memory databases, where a read lease lends the writer: a read that writes
// must fail there as it does on a file database's reader connections, or no test would see it.
TEST(store_memory, a_write_through_a_read_lease_fails_and_the_writer_writes_after)
{
    store s{":memory:"};
    {
        auto reader = s.read();
        transaction tx{reader->db(), transaction_mode::deferred};
        try
        {
            make_pool("us-east-1_read").insert(*reader);
            ADD_FAILURE() << "a read lease wrote";
        }
        catch (sqlite_error const& e)
        {
            EXPECT_EQ(e.code() & 0xff, SQLITE_READONLY) << e.what();
        }
    }
    auto const pool = make_pool("us-east-1_written").insert(*s.write());
    auto reader = s.read();
    EXPECT_TRUE(reader->find_user_pool(pool.id));
    EXPECT_FALSE(reader->find_user_pool("us-east-1_read"));
}

TEST(store_version, a_write_lease_raises_the_version_once_for_what_it_committed)
{
    store s{":memory:"};
    auto const before = s.version();
    {
        auto writer = s.write();
        transaction tx{writer->db(), transaction_mode::immediate};
        make_pool("us-east-1_000000001").insert(*writer);
        make_pool("us-east-1_000000002").insert(*writer);
        tx.commit();
    }
    EXPECT_EQ(s.version(), before + 1);
    {
        // Statements outside a transaction commit one by one: still one write lease.
        auto writer = s.write();
        make_pool("us-east-1_000000003").insert(*writer);
        make_pool("us-east-1_000000004").insert(*writer);
    }
    EXPECT_EQ(s.version(), before + 2);
}

TEST(store_version, a_lease_that_keeps_the_version_commits_without_raising_it)
{
    // The signing-key stock is written so: the console's state has not changed.
    store s{":memory:"};
    auto const before = s.version();
    {
        auto writer = s.write();
        writer.keep_version();
        writer->add_stock_key("PEM");
    }
    EXPECT_EQ(s.version(), before);
    EXPECT_EQ(s.read()->count_stock_keys(), 1U);
    {
        // The next lease that commits raises it once, as before.
        auto writer = s.write();
        make_pool().insert(*writer);
    }
    EXPECT_EQ(s.version(), before + 1);
}

TEST(store_version, a_write_lease_that_commits_nothing_leaves_the_version_alone)
{
    store s{":memory:"};
    auto const before = s.version();
    {
        auto writer = s.write();
        transaction tx{writer->db(), transaction_mode::immediate};
        make_pool().insert(*writer);
    } // rolled back
    {
        auto writer = s.write();
        EXPECT_FALSE(writer->find_user_pool("us-east-1_000000001"));
    }
    EXPECT_EQ(s.version(), before);
}
