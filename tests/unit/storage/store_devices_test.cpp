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

// Devices

class store_devices : public ::testing::Test
{
protected:
    queries s_ = memory_queries();
    user_pool pool_ = make_pool().insert(s_);
    user alice_ = make_user("alice").insert(s_, pool_);
    user bob_ = make_user("bob").insert(s_, pool_);
};

TEST_F(store_devices, find_device_returns_what_was_inserted)
{
    auto const inserted = make_device(device_key(1))
                              .authenticated_at(t0 + 7)
                              .with_secret(std::string{"\x00v", 2}, "salt")
                              .insert(s_, alice_);
    auto const found = s_.find_device(alice_.id, device_key(1));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->seq, inserted.seq);
    EXPECT_EQ(found->key, device_key(1));
    EXPECT_EQ(found->user_id, alice_.id);
    EXPECT_EQ(found->group_key, "-aBcDeFgH1");
    EXPECT_EQ(found->name, "phone");
    EXPECT_EQ(found->status, "valid");
    EXPECT_TRUE(found->remembered);
    EXPECT_TRUE(found->confirmed);
    EXPECT_EQ(found->last_ip, "192.0.2.10");
    EXPECT_EQ(found->created, t0);
    EXPECT_EQ(found->last_modified, t0);
    EXPECT_EQ(found->last_authenticated, t0 + 7);
    EXPECT_EQ(found->verifier, std::string("\x00v", 2));
    EXPECT_EQ(found->salt, "salt");
}

TEST_F(store_devices, a_device_never_authenticated_has_no_last_authenticated_time)
{
    make_device(device_key(1)).never_authenticated().insert(s_, alice_);
    auto const found = s_.find_device(alice_.id, device_key(1));
    ASSERT_TRUE(found);
    EXPECT_FALSE(found->last_authenticated);
}

TEST_F(store_devices, find_device_does_not_find_another_users_device)
{
    make_device(device_key(1)).insert(s_, alice_);
    EXPECT_FALSE(s_.find_device(bob_.id, device_key(1)));
}

TEST_F(store_devices, find_device_by_key_finds_it_whoever_owns_it)
{
    make_device(device_key(1)).insert(s_, bob_);
    auto const found = s_.find_device_by_key(device_key(1));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->user_id, bob_.id);
    EXPECT_FALSE(s_.find_device_by_key(device_key(2)));
}

TEST_F(store_devices, device_keys_are_unique_across_users)
{
    make_device(device_key(1)).insert(s_, alice_);
    EXPECT_THROW(make_device(device_key(1)).insert(s_, bob_), sqlite_error);
}

TEST_F(store_devices, list_devices_returns_only_remembered_devices_of_the_user)
{
    make_device(device_key(1)).insert(s_, alice_);
    make_device(device_key(2)).not_remembered().insert(s_, alice_);
    make_device(device_key(3)).insert(s_, bob_);
    make_device(device_key(4)).insert(s_, alice_);
    EXPECT_EQ(
        keys(s_.list_devices(alice_.id, 0, 60)),
        (std::vector<std::string>{device_key(1), device_key(4)})
    );
}

TEST_F(store_devices, list_all_devices_returns_remembered_and_not_remembered_of_the_user)
{
    make_device(device_key(1)).insert(s_, alice_);
    make_device(device_key(2)).not_remembered().insert(s_, alice_);
    make_device(device_key(3)).insert(s_, bob_);
    EXPECT_EQ(
        keys(s_.list_all_devices(alice_.id)),
        (std::vector<std::string>{device_key(1), device_key(2)})
    );
}

TEST_F(store_devices, list_devices_pages_by_seq)
{
    for (int n = 1; n <= 5; ++n)
    {
        make_device(device_key(n)).insert(s_, alice_);
    }
    std::vector<std::string> seen;
    std::int64_t after = 0;
    int pages = 0;
    while (true)
    {
        auto const page = s_.list_devices(alice_.id, after, 2);
        if (page.empty())
        {
            break;
        }
        ++pages;
        EXPECT_LE(page.size(), 2U);
        for (auto const& d : page)
        {
            EXPECT_GT(d.seq, after);
            seen.push_back(d.key);
        }
        after = page.back().seq;
        ASSERT_LT(pages, 10) << "paging does not end";
    }
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(
        seen,
        (std::vector<std::string>{
            device_key(1), device_key(2), device_key(3), device_key(4), device_key(5)})
    );
}

TEST_F(store_devices, update_device_writes_the_mutable_fields)
{
    auto d = make_device(device_key(1)).insert(s_, alice_);
    d.name = "tablet";
    d.status = "invalid";
    d.remembered = false;
    d.confirmed = false;
    d.last_ip = "198.51.100.1";
    d.last_modified = t0 + 10;
    d.last_authenticated.reset();
    d.verifier = "v2";
    d.salt = "s2";
    s_.update_device(d);
    auto const found = s_.find_device(alice_.id, device_key(1));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->name, "tablet");
    EXPECT_EQ(found->status, "invalid");
    EXPECT_FALSE(found->remembered);
    EXPECT_FALSE(found->confirmed);
    EXPECT_EQ(found->last_ip, "198.51.100.1");
    EXPECT_EQ(found->last_modified, t0 + 10);
    EXPECT_FALSE(found->last_authenticated);
    EXPECT_EQ(found->verifier, "v2");
    EXPECT_EQ(found->salt, "s2");
}

TEST_F(store_devices, delete_device_deletes_the_owners_device)
{
    make_device(device_key(1)).insert(s_, alice_);
    EXPECT_TRUE(s_.delete_device(alice_.id, device_key(1)));
    EXPECT_FALSE(s_.find_device_by_key(device_key(1)));
}

TEST_F(store_devices, delete_device_leaves_another_users_device_alone)
{
    make_device(device_key(1)).insert(s_, alice_);
    EXPECT_FALSE(s_.delete_device(bob_.id, device_key(1)));
    EXPECT_TRUE(s_.find_device(alice_.id, device_key(1)));
}

TEST_F(store_devices, delete_device_of_an_unknown_key_reports_false)
{
    EXPECT_FALSE(s_.delete_device(alice_.id, device_key(9)));
}
