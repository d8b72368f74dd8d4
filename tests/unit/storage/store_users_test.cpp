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

// Users

TEST(store_users, find_user_returns_the_row_and_its_attributes_in_order)
{
    queries s = memory_queries();
    auto const pool = make_pool().insert(s);
    auto const inserted = make_user("Alice")
                              .with_key("alice")
                              .with_status("FORCE_CHANGE_PASSWORD")
                              .with("sub", "sub-Alice")
                              .with("zoneinfo", "Europe/Paris")
                              .with("email", "a@example.com")
                              .with_password(std::string{"\x01\x00", 2}, "verifier")
                              .insert(s, pool);
    auto const found = s.find_user(pool.seq, "alice");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, inserted.id);
    EXPECT_EQ(found->username, "Alice");
    EXPECT_EQ(found->username_key, "alice");
    EXPECT_EQ(found->status, "FORCE_CHANGE_PASSWORD");
    EXPECT_TRUE(found->enabled);
    EXPECT_EQ(found->password_salt, std::string("\x01\x00", 2));
    EXPECT_EQ(found->password_verifier, "verifier");
    EXPECT_EQ(
        found->attributes,
        (std::vector<attribute>{
            {"sub", "sub-Alice"}, {"zoneinfo", "Europe/Paris"}, {"email", "a@example.com"}})
    );
}

TEST(store_users, find_user_looks_up_by_the_key_not_the_display_name)
{
    queries s = memory_queries();
    auto const pool = make_pool().insert(s);
    make_user("Alice").with_key("alice").insert(s, pool);
    EXPECT_FALSE(s.find_user(pool.seq, "Alice"));
    EXPECT_TRUE(s.find_user(pool.seq, "alice"));
}

TEST(store_users, find_user_is_scoped_to_the_pool)
{
    queries s = memory_queries();
    auto const a = make_pool("us-east-1_a").insert(s);
    auto const b = make_pool("us-east-1_b").insert(s);
    make_user("alice").insert(s, a);
    EXPECT_FALSE(s.find_user(b.seq, "alice"));
}

TEST(store_users, the_same_username_key_twice_in_a_pool_is_refused)
{
    queries s = memory_queries();
    auto const pool = make_pool().insert(s);
    make_user("alice").insert(s, pool);
    try
    {
        make_user("ALICE").with_key("alice").with_sub("other").insert(s, pool);
        FAIL() << "a duplicate username key was accepted";
    }
    catch (sqlite_error const& e)
    {
        EXPECT_EQ(e.code(), 2067); // SQLITE_CONSTRAINT_UNIQUE
    }
}

TEST(store_users, a_user_without_password_reads_back_empty_password_fields)
{
    queries s = memory_queries();
    auto const pool = make_pool().insert(s);
    make_user("alice").insert(s, pool);
    auto const found = s.find_user(pool.seq, "alice");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->password_salt, "");
    EXPECT_EQ(found->password_verifier, "");
}

TEST(store_users, find_user_by_sub_finds_the_user)
{
    queries s = memory_queries();
    auto const pool = make_pool().insert(s);
    make_user("alice").with_sub("4320de44-0000-4000-8000-000000000001").insert(s, pool);
    auto const found = s.find_user_by_sub(pool.seq, "4320de44-0000-4000-8000-000000000001");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->username, "alice");
    EXPECT_FALSE(s.find_user_by_sub(pool.seq, "alice"));
}

TEST(store_users, find_users_by_attribute_matches_name_and_value_within_the_pool)
{
    queries s = memory_queries();
    auto const a = make_pool("us-east-1_a").insert(s);
    auto const b = make_pool("us-east-1_b").insert(s);
    make_user("alice").with("email", "shared@example.com").insert(s, a);
    make_user("bob").with("email", "bob@example.com").insert(s, a);
    make_user("carol").with("nickname", "shared@example.com").insert(s, a);
    make_user("dave").with("email", "shared@example.com").insert(s, b);
    auto const found = s.find_users_by_attribute(a.seq, "email", "shared@example.com");
    EXPECT_EQ(usernames(found), (std::vector<std::string>{"alice"}));
    ASSERT_EQ(found.size(), 1U);
    EXPECT_EQ(found[0].attribute_value("email"), "shared@example.com");
}

TEST(store_users, update_user_writes_status_enabled_password_and_time)
{
    queries s = memory_queries();
    auto const pool = make_pool().insert(s);
    auto u = make_user("alice").with_status("FORCE_CHANGE_PASSWORD").insert(s, pool);
    u.status = "CONFIRMED";
    u.enabled = false;
    u.password_salt = "salt";
    u.password_verifier = "verifier";
    u.last_modified = t0 + 1000;
    u.username = "ignored";
    s.update_user(u);
    auto const found = s.find_user(pool.seq, "alice");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->status, "CONFIRMED");
    EXPECT_FALSE(found->enabled);
    EXPECT_EQ(found->password_salt, "salt");
    EXPECT_EQ(found->password_verifier, "verifier");
    EXPECT_EQ(found->last_modified, t0 + 1000);
    EXPECT_EQ(found->username, "alice");
}

TEST(store_users, replace_attributes_replaces_the_whole_list_in_the_given_order)
{
    queries s = memory_queries();
    auto const pool = make_pool().insert(s);
    auto const u =
        make_user("alice").with("sub", "s").with("email", "old@example.com").insert(s, pool);
    s.replace_attributes(u.id, {{"sub", "s"}, {"name", "Alice"}, {"email", "new@example.com"}});
    auto const found = s.find_user(pool.seq, "alice");
    ASSERT_TRUE(found);
    EXPECT_EQ(
        found->attributes,
        (std::vector<attribute>{{"sub", "s"}, {"name", "Alice"}, {"email", "new@example.com"}})
    );
    EXPECT_TRUE(s.find_users_by_attribute(pool.seq, "email", "old@example.com").empty());
}

TEST(store_users, delete_user_removes_the_user_with_attributes_and_devices)
{
    queries s = memory_queries();
    auto const pool = make_pool().insert(s);
    auto const alice = make_user("alice").with("email", "a@example.com").insert(s, pool);
    auto const bob = make_user("bob").with("email", "b@example.com").insert(s, pool);
    make_device(device_key(1)).insert(s, alice);
    make_device(device_key(2)).insert(s, bob);
    s.delete_user(alice.id);
    EXPECT_FALSE(s.find_user(pool.seq, "alice"));
    EXPECT_FALSE(s.find_device_by_key(device_key(1)));
    EXPECT_TRUE(s.find_device_by_key(device_key(2)));
    EXPECT_EQ(rows(s, "user_attributes"), 1);
}

// list_users

class store_list_users : public ::testing::Test
{
protected:
    queries s_ = memory_queries();
    user_pool pool_ = make_pool("us-east-1_main").insert(s_);

    void SetUp() override
    {
        make_user("alice")
            .with("email", "alice@example.com")
            .with("given_name", "Alice")
            .insert(s_, pool_);
        make_user("albert")
            .with_status("FORCE_CHANGE_PASSWORD")
            .with("email", "albert@example.com")
            .disabled()
            .insert(s_, pool_);
        make_user("bob").with("email", "bob@example.org").insert(s_, pool_);
        make_user("a%b").with("email", "percent@example.com").insert(s_, pool_);
        // Another pool's user matches every filter below and must never show.
        auto const other = make_pool("us-east-1_other").insert(s_);
        make_user("alice").with("email", "alice@example.com").insert(s_, other);
    }

    std::vector<std::string> list(std::optional<user_filter> const& f)
    {
        return usernames(s_.list_users(pool_.seq, 0, 60, f));
    }
};

TEST_F(store_list_users, without_a_filter_lists_the_pool_in_creation_order)
{
    EXPECT_EQ(list(std::nullopt), (std::vector<std::string>{"alice", "albert", "bob", "a%b"}));
}

TEST_F(store_list_users, pages_after_the_last_id_served)
{
    auto const first = s_.list_users(pool_.seq, 0, 2, std::nullopt);
    ASSERT_EQ(usernames(first), (std::vector<std::string>{"alice", "albert"}));
    auto const second = s_.list_users(pool_.seq, first.back().id, 2, std::nullopt);
    EXPECT_EQ(usernames(second), (std::vector<std::string>{"bob", "a%b"}));
}

TEST_F(store_list_users, returns_each_user_with_attributes)
{
    auto const users = s_.list_users(pool_.seq, 0, 1, std::nullopt);
    ASSERT_EQ(users.size(), 1U);
    EXPECT_EQ(users[0].attribute_value("given_name"), "Alice");
}

TEST_F(store_list_users, filters_by_exact_username)
{
    EXPECT_EQ(list(filter(field::username, "alice")), (std::vector<std::string>{"alice"}));
}

TEST_F(store_list_users, filters_by_username_prefix)
{
    EXPECT_EQ(
        list(filter(field::username, "al", /*prefix=*/true)),
        (std::vector<std::string>{"alice", "albert"})
    );
}

TEST_F(store_list_users, a_prefix_is_literal_not_a_like_pattern)
{
    EXPECT_EQ(
        list(filter(field::username, "a%", /*prefix=*/true)), (std::vector<std::string>{"a%b"})
    );
    EXPECT_TRUE(list(filter(field::username, "_", /*prefix=*/true)).empty());
}

TEST_F(store_list_users, filters_by_sub)
{
    EXPECT_EQ(list(filter(field::sub, "sub-bob")), (std::vector<std::string>{"bob"}));
}

TEST_F(store_list_users, filters_by_user_status)
{
    EXPECT_EQ(
        list(filter(field::user_status, "FORCE_CHANGE_PASSWORD")),
        (std::vector<std::string>{"albert"})
    );
}

TEST_F(store_list_users, filters_by_enabled_state)
{
    EXPECT_EQ(list(filter(field::enabled, "Disabled")), (std::vector<std::string>{"albert"}));
    EXPECT_EQ(
        list(filter(field::enabled, "Enabled")), (std::vector<std::string>{"alice", "bob", "a%b"})
    );
}

TEST_F(store_list_users, filters_by_exact_attribute_value)
{
    EXPECT_EQ(
        list(filter(field::attribute, "bob@example.org", false, "email")),
        (std::vector<std::string>{"bob"})
    );
}

TEST_F(store_list_users, filters_by_attribute_prefix)
{
    EXPECT_EQ(
        list(filter(field::attribute, "al", /*prefix=*/true, "email")),
        (std::vector<std::string>{"alice", "albert"})
    );
}

TEST_F(store_list_users, an_attribute_filter_names_one_attribute)
{
    EXPECT_TRUE(list(filter(field::attribute, "Alice", false, "email")).empty());
    EXPECT_EQ(
        list(filter(field::attribute, "Alice", false, "given_name")),
        (std::vector<std::string>{"alice"})
    );
}

TEST_F(store_list_users, a_filtered_list_pages_too)
{
    auto const first = s_.list_users(pool_.seq, 0, 1, filter(field::username, "al", true));
    ASSERT_EQ(usernames(first), (std::vector<std::string>{"alice"}));
    auto const second =
        s_.list_users(pool_.seq, first.back().id, 1, filter(field::username, "al", true));
    EXPECT_EQ(usernames(second), (std::vector<std::string>{"albert"}));
}

TEST(store_users, a_device_owner_is_found_by_username_key_with_the_username_as_created)
{
    queries s = memory_queries();
    auto const pool = make_pool().insert(s);
    auto const other = make_pool("us-east-1_000000002").insert(s);
    auto const alice = make_user("Alice").with_key("alice").insert(s, pool);
    make_user("alice").insert(s, other);
    auto const owner = s.find_device_owner(pool.seq, "alice");
    ASSERT_TRUE(owner);
    EXPECT_EQ(owner->id, alice.id);
    EXPECT_EQ(owner->username, "Alice");
    EXPECT_FALSE(s.find_device_owner(pool.seq, "Alice")) << "looked up by key, not by username";
    EXPECT_FALSE(s.find_device_owner(pool.seq, "bob"));
    s.delete_user(alice.id);
    EXPECT_FALSE(s.find_device_owner(pool.seq, "alice"));
}
