#include "storage/pool_settings.hpp"

#include <gtest/gtest.h>

namespace
{

using cognitod::storage::pool_settings;
using nlohmann::json;

TEST(pool_settings, starts_as_an_empty_object)
{
    pool_settings const settings;
    EXPECT_EQ(*settings, json::object());
}

TEST(pool_settings, copies_share_one_value)
{
    pool_settings const original{json{{"MfaConfiguration", "OFF"}}};
    pool_settings const copy = original; // NOLINT(performance-unnecessary-copy-initialization)
    EXPECT_EQ(&*copy, &*original);
}

TEST(pool_settings, edit_changes_a_value_of_its_own)
{
    pool_settings const original{json{{"MfaConfiguration", "OFF"}}};
    pool_settings copy = original;
    copy.edit()["MfaConfiguration"] = "ON";
    EXPECT_EQ(copy->at("MfaConfiguration"), "ON");
    EXPECT_EQ(original->at("MfaConfiguration"), "OFF");
}

TEST(pool_settings, assigning_a_json_replaces_the_value_for_that_object_only)
{
    pool_settings original{json{{"MfaConfiguration", "OFF"}}};
    pool_settings const copy = original;
    original = json{{"MfaConfiguration", "ON"}};
    EXPECT_EQ(original->at("MfaConfiguration"), "ON");
    EXPECT_EQ(copy->at("MfaConfiguration"), "OFF");
}

} // namespace
