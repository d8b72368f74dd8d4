#include "bench/seedgen.hpp"
#include "storage/store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <unistd.h>

namespace
{

using namespace cognitod::bench;
using cognitod::storage::store;

constexpr std::int64_t users = 50;
constexpr std::int64_t devices = 200;
constexpr std::int64_t spare = 1500; // two spare users: 1000 devices and 500
constexpr std::int64_t t0 = 1'715'100'742'022;
constexpr char const* pool_id = "us-east-1_BenchPool1";

// A small generated database in a file of its own (WAL needs a file), removed afterwards.
class seedgen : public ::testing::Test
{
protected:
    std::string path_;

    void SetUp() override
    {
        auto const* test = ::testing::UnitTest::GetInstance()->current_test_info();
        path_ = (std::filesystem::temp_directory_path() /
                 ("cognitod-seedgen-" + std::to_string(::getpid()) + "-" + test->name() + ".db"))
                    .string();
        TearDown();
        seedgen_options options;
        options.path = path_;
        options.users = users;
        options.devices = devices;
        options.spare_devices = spare;
        options.now_ms = t0;
        auto const result = generate(options);
        ASSERT_EQ(result.users, users + 2);
        ASSERT_EQ(result.devices, devices + spare);
    }

    void TearDown() override
    {
        for (char const* suffix : {"", "-wal", "-shm"})
        {
            std::error_code ignored;
            std::filesystem::remove(path_ + suffix, ignored);
        }
    }
};

TEST_F(seedgen, creates_the_pool_and_client_through_the_seed_code)
{
    store db{path_};
    auto const s = db.read();
    auto const pool = s->find_user_pool(pool_id);
    ASSERT_TRUE(pool);
    EXPECT_EQ(pool->name, "bench");
    EXPECT_TRUE(pool->settings->contains("Policies"));
    auto const client = s->find_app_client("benchclient000000000000001");
    ASSERT_TRUE(client);
    EXPECT_EQ(client->pool_seq, pool->seq);
    EXPECT_EQ(s->count_users(pool->seq), users + 2);
}

TEST_F(seedgen, gives_every_user_the_shape_of_the_seeded_first_user)
{
    store db{path_};
    auto const s = db.read();
    auto const pool = s->find_user_pool(pool_id);
    auto const first = s->find_user(pool->seq, "user00000000");
    auto const last = s->find_user(pool->seq, bench_username(users - 1));
    ASSERT_TRUE(first);
    ASSERT_TRUE(last);
    EXPECT_EQ(last->username, "user00000049");
    EXPECT_EQ(last->status, first->status);
    EXPECT_EQ(last->enabled, first->enabled);
    EXPECT_EQ(last->created, t0);
    EXPECT_EQ(last->password_verifier, first->password_verifier);
    ASSERT_EQ(last->attributes.size(), first->attributes.size());
    for (std::size_t i = 0; i < first->attributes.size(); ++i)
    {
        EXPECT_EQ(last->attributes[i].name, first->attributes[i].name);
    }
    EXPECT_EQ(last->attribute_value("email"), "user00000049@example.com");
    EXPECT_EQ(last->attribute_value("sub"), last->sub);
    EXPECT_EQ(s->find_user_by_sub(pool->seq, last->sub)->id, last->id);
    EXPECT_FALSE(s->find_user(pool->seq, bench_username(users + 2)));
}

TEST_F(seedgen, derives_device_keys_and_owners_from_the_index)
{
    EXPECT_EQ(bench_device_key(pool_id, 42), "us-east-1_d0000000-0000-4000-8000-000000000042");
    store db{path_};
    auto const s = db.read();
    auto const pool = s->find_user_pool(pool_id);
    for (std::int64_t i : {std::int64_t{0}, std::int64_t{3}, std::int64_t{4}, devices - 1})
    {
        auto const owner =
            s->find_user(pool->seq, bench_username(bench_device_owner(i, users, devices)));
        ASSERT_TRUE(owner);
        auto const d = s->find_device(owner->id, bench_device_key(pool_id, i));
        ASSERT_TRUE(d) << "device " << i;
        EXPECT_TRUE(d->remembered);
        EXPECT_TRUE(d->confirmed);
        EXPECT_EQ(d->status, "valid");
        EXPECT_EQ(d->last_authenticated, t0);
    }
    EXPECT_EQ(bench_device_owner(devices - 1, users, devices), users - 1);
    EXPECT_FALSE(s->find_device_by_key(bench_device_key(pool_id, devices + spare)));
}

TEST_F(seedgen, gives_spare_devices_to_spare_users_a_thousand_each)
{
    store db{path_};
    auto const s = db.read();
    auto const pool = s->find_user_pool(pool_id);
    auto const first_spare = s->find_user(pool->seq, bench_username(users));
    auto const last_spare = s->find_user(pool->seq, bench_username(users + 1));
    ASSERT_TRUE(first_spare);
    ASSERT_TRUE(last_spare);
    EXPECT_EQ(bench_device_owner(devices, users, devices), users);
    EXPECT_EQ(bench_device_owner(devices + 999, users, devices), users);
    EXPECT_EQ(bench_device_owner(devices + 1000, users, devices), users + 1);
    EXPECT_TRUE(s->find_device(first_spare->id, bench_device_key(pool_id, devices)));
    EXPECT_TRUE(s->find_device(first_spare->id, bench_device_key(pool_id, devices + 999)));
    EXPECT_TRUE(s->find_device(last_spare->id, bench_device_key(pool_id, devices + spare - 1)));
    EXPECT_EQ(s->list_all_devices(last_spare->id).size(), 500U);
}

TEST_F(seedgen, spreads_devices_evenly_and_lists_them_in_key_order)
{
    store db{path_};
    auto const s = db.read();
    auto const pool = s->find_user_pool(pool_id);
    for (std::int64_t u = 0; u < users; ++u)
    {
        auto const owner = s->find_user(pool->seq, bench_username(u));
        auto const listed = s->list_devices(owner->id, 0, 60);
        ASSERT_EQ(listed.size(), static_cast<std::size_t>(devices / users)) << "user " << u;
        for (std::size_t j = 0; j < listed.size(); ++j)
        {
            EXPECT_EQ(
                listed[j].key,
                bench_device_key(pool_id, u * (devices / users) + static_cast<std::int64_t>(j))
            );
        }
    }
}

TEST_F(seedgen, leaves_a_database_in_wal_mode_that_refuses_to_be_overwritten)
{
    {
        store db{path_};
        auto const s = db.read();
        auto st = s->db().cached("PRAGMA journal_mode");
        ASSERT_TRUE(st->step());
        EXPECT_EQ(st->column_text(0), "wal");
        auto check = s->db().cached("PRAGMA integrity_check");
        ASSERT_TRUE(check->step());
        EXPECT_EQ(check->column_text(0), "ok");
    }
    seedgen_options again;
    again.path = path_;
    EXPECT_THROW(generate(again), std::runtime_error);
    EXPECT_TRUE(std::filesystem::exists(path_));
}

} // namespace
