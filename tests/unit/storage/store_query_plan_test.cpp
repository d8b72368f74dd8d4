// The lookups that run on every device and sign-in call must use an index, not scan a table:
// each test runs a store call, takes the SQL the store actually prepared for it, and reads
// SQLite's plan for that SQL.
#include "storage/store.hpp"
#include "unit/storage/storage_helpers.hpp"

#include <gtest/gtest.h>

#include <string>

namespace
{

using cognitod::storage::store;
using cognitod::storage::testing::device_key;
using cognitod::storage::testing::make_device;
using cognitod::storage::testing::make_pool;
using cognitod::storage::testing::make_user;
using cognitod::storage::testing::query_plan;
using cognitod::storage::testing::sql_used_by;

// The plans of every statement fn made the store prepare, each headed by its SQL.
template <class Fn> std::string plans_of(store& s, Fn&& fn)
{
    std::string all;
    auto const texts = sql_used_by(s, std::forward<Fn>(fn));
    for (auto const& sql : texts)
    {
        all += sql + "\n" + query_plan(s.db(), sql);
    }
    return all;
}

bool scans(std::string const& plans)
{
    return plans.find("SCAN") != std::string::npos;
}

class store_query_plan : public ::testing::Test
{
protected:
    store s_{":memory:"};

    void SetUp() override
    {
        // A little data, then ANALYZE-free plans: SQLite picks indexes from the schema alone.
        auto const pool = make_pool().insert(s_);
        auto const alice = make_user("alice").with("email", "a@example.com").insert(s_, pool);
        make_device(device_key(1)).insert(s_, alice);
    }
};

} // namespace

TEST_F(store_query_plan, find_device_by_key_and_user_uses_an_index)
{
    auto const plans = plans_of(s_, [&] { s_.find_device(1, device_key(1)); });
    ASSERT_NE(plans.find("FROM devices"), std::string::npos) << plans;
    EXPECT_FALSE(scans(plans)) << plans;
    EXPECT_NE(plans.find("SEARCH devices USING INDEX"), std::string::npos) << plans;
}

TEST_F(store_query_plan, find_device_by_key_uses_an_index)
{
    auto const plans = plans_of(s_, [&] { s_.find_device_by_key(device_key(1)); });
    ASSERT_NE(plans.find("FROM devices"), std::string::npos) << plans;
    EXPECT_FALSE(scans(plans)) << plans;
}

TEST_F(store_query_plan, list_devices_by_user_uses_the_user_index)
{
    auto const plans = plans_of(s_, [&] { s_.list_devices(1, 0, 60); });
    ASSERT_NE(plans.find("FROM devices"), std::string::npos) << plans;
    EXPECT_FALSE(scans(plans)) << plans;
    EXPECT_NE(plans.find("devices_by_user"), std::string::npos) << plans;
    EXPECT_EQ(plans.find("TEMP B-TREE"), std::string::npos) << "sorts instead of using the index\n"
                                                            << plans;
}

TEST_F(store_query_plan, list_all_devices_uses_the_user_index)
{
    auto const plans = plans_of(s_, [&] { s_.list_all_devices(1); });
    EXPECT_FALSE(scans(plans)) << plans;
    EXPECT_NE(plans.find("devices_by_user"), std::string::npos) << plans;
    EXPECT_EQ(plans.find("TEMP B-TREE"), std::string::npos) << "sorts instead of using the index\n"
                                                            << plans;
}

TEST_F(store_query_plan, delete_device_uses_an_index)
{
    auto const plans = plans_of(s_, [&] { s_.delete_device(1, device_key(9)); });
    ASSERT_NE(plans.find("FROM devices"), std::string::npos) << plans;
    EXPECT_FALSE(scans(plans)) << plans;
}

TEST_F(store_query_plan, find_user_by_username_key_uses_an_index)
{
    auto const plans = plans_of(s_, [&] { s_.find_user(1, "alice"); });
    ASSERT_NE(plans.find("username_key = ?2"), std::string::npos) << plans;
    EXPECT_FALSE(scans(plans)) << plans;
}

TEST_F(store_query_plan, find_user_by_sub_uses_an_index)
{
    auto const plans = plans_of(s_, [&] { s_.find_user_by_sub(1, "sub-alice"); });
    ASSERT_NE(plans.find("u.sub = ?2"), std::string::npos) << plans;
    EXPECT_FALSE(scans(plans)) << plans;
}

TEST_F(store_query_plan, alias_lookup_by_attribute_value_uses_an_index)
{
    auto const plans =
        plans_of(s_, [&] { s_.find_users_by_attribute(1, "email", "a@example.com"); });
    ASSERT_NE(plans.find("user_attributes"), std::string::npos) << plans;
    EXPECT_FALSE(scans(plans)) << plans;
}
