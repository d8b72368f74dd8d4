#include "server/seed.hpp"
#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace
{

using cognitod::apply_seed;
using cognitod::seed_error;
using cognitod::seed_mode;
using cognitod::seed_outcome;
using namespace cognitod::testing;

constexpr char const* pool_id = "us-east-1_DemoShop1";
constexpr char const* phone_key = "us-east-1_5b5a60a5-cfc8-4deb-8b60-b60d7fe39f4b";
constexpr char const* kiosk_key = "us-east-1_ddc96700-fb23-4532-9680-3fd01ea3bc1b";

// One pool, alice (permanent password, two devices, one not remembered) and bob (temporary).
json demo_seed()
{
    return json::parse(R"({
      "UserPools": [{
        "Id": "us-east-1_DemoShop1",
        "PoolName": "demo-shop",
        "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": false,
                                "DeviceOnlyRememberedOnUserPrompt": false},
        "Users": [
          {"Username": "alice", "Password": "Passw0rd!",
           "Attributes": [{"Name": "email", "Value": "alice@example.com"},
                          {"Name": "email_verified", "Value": "true"}],
           "Devices": [
             {"DeviceKey": "us-east-1_5b5a60a5-cfc8-4deb-8b60-b60d7fe39f4b",
              "DeviceName": "Alice's iPhone", "LastIpUsed": "192.0.2.10"},
             {"DeviceKey": "us-east-1_ddc96700-fb23-4532-9680-3fd01ea3bc1b",
              "DeviceName": "Kiosk", "DeviceRememberedStatus": "not_remembered"}]},
          {"Username": "bob", "TemporaryPassword": "Sunflower-42"}
        ]
      }]
    })");
}

seed_outcome seed(fixture& f, json const& doc, seed_mode mode = seed_mode::once)
{
    return apply_seed(
        cognito_model(),
        f.store,
        f.ids,
        f.keys,
        f.time.now,
        "us-east-1",
        account_id,
        doc.dump(),
        mode
    );
}

// The seed_error's message, or a test failure.
std::string seed_failure(fixture& f, std::string const& text)
{
    try
    {
        apply_seed(
            cognito_model(),
            f.store,
            f.ids,
            f.keys,
            t0,
            "us-east-1",
            account_id,
            text,
            seed_mode::once
        );
        ADD_FAILURE() << "the seed was applied";
    }
    catch (seed_error const& e)
    {
        return e.what();
    }
    return {};
}

std::size_t pool_count(fixture& f)
{
    return f.store.read()->list_user_pools(0, 100).size();
}

json get_user(fixture& f, std::string const& username)
{
    return f.call("AdminGetUser", {{"UserPoolId", pool_id}, {"Username", username}});
}

} // namespace

TEST(apply_seed, creates_pools_users_and_devices)
{
    fixture f;
    auto const outcome = seed(f, demo_seed());
    EXPECT_TRUE(outcome.applied);
    EXPECT_EQ(outcome.pools_created, 1);
    EXPECT_EQ(outcome.users_created, 2);
    EXPECT_EQ(outcome.devices_created, 2);
}

TEST(apply_seed, keeps_the_given_pool_id)
{
    fixture f;
    seed(f, demo_seed());
    auto const pool = f.call("DescribeUserPool", {{"UserPoolId", pool_id}}).at("UserPool");
    EXPECT_EQ(pool.at("Name"), "demo-shop");
    EXPECT_TRUE(pool.contains("DeviceConfiguration"));
}

TEST(apply_seed, a_password_confirms_the_user_and_a_temporary_one_does_not)
{
    fixture f;
    seed(f, demo_seed());
    EXPECT_EQ(get_user(f, "alice").at("UserStatus"), "CONFIRMED");
    EXPECT_EQ(get_user(f, "bob").at("UserStatus"), "FORCE_CHANGE_PASSWORD");
}

TEST(apply_seed, seeded_remembered_devices_are_listed)
{
    fixture f;
    seed(f, demo_seed());
    auto const listed =
        f.call("AdminListDevices", {{"UserPoolId", pool_id}, {"Username", "alice"}}).at("Devices");
    EXPECT_EQ(device_keys(listed), std::vector<std::string>{phone_key});
    auto const kiosk = f.call(
        "AdminGetDevice", {{"UserPoolId", pool_id}, {"Username", "alice"}, {"DeviceKey", kiosk_key}}
    );
    EXPECT_EQ(
        attribute_in(kiosk.at("Device").at("DeviceAttributes"), "dev:device_remembered_status"),
        "not_remembered"
    );
}

TEST(apply_seed, once_skips_a_seed_already_applied)
{
    fixture f;
    seed(f, demo_seed());
    f.call(
        "AdminForgetDevice",
        {{"UserPoolId", pool_id}, {"Username", "alice"}, {"DeviceKey", phone_key}}
    );
    auto const second = seed(f, demo_seed(), seed_mode::once);
    EXPECT_FALSE(second.applied);
    EXPECT_EQ(second.devices_created, 0);
    EXPECT_FALSE(f.store.read()->find_device_by_key(phone_key)) << "the forgotten device came back";
}

TEST(apply_seed, always_recreates_only_what_is_missing)
{
    fixture f;
    seed(f, demo_seed());
    f.call(
        "AdminForgetDevice",
        {{"UserPoolId", pool_id}, {"Username", "alice"}, {"DeviceKey", phone_key}}
    );
    auto const second = seed(f, demo_seed(), seed_mode::always);
    EXPECT_TRUE(second.applied);
    EXPECT_EQ(second.pools_created, 0);
    EXPECT_EQ(second.users_created, 0);
    EXPECT_EQ(second.devices_created, 1);
    EXPECT_TRUE(f.store.read()->find_device_by_key(phone_key));
    EXPECT_EQ(pool_count(f), 1U);
}

TEST(apply_seed, a_changed_seed_is_applied_in_once_mode)
{
    fixture f;
    seed(f, demo_seed());
    auto changed = demo_seed();
    changed["UserPools"][0]["Users"].push_back({{"Username", "carol"}});
    auto const second = seed(f, changed, seed_mode::once);
    EXPECT_TRUE(second.applied);
    EXPECT_EQ(second.users_created, 1);
}

TEST(apply_seed, a_bad_seed_names_the_json_path_of_the_problem)
{
    fixture f;
    auto doc = demo_seed();
    doc["UserPools"][0]["Users"][1].erase("Username");
    EXPECT_EQ(
        seed_failure(f, doc.dump()), "$.UserPools[0].Users[1].Username: Member must not be null"
    );
}

TEST(apply_seed, a_bad_seed_leaves_the_store_unchanged)
{
    fixture f;
    auto doc = demo_seed();
    doc["UserPools"].push_back({{"PoolName", "second"}, {"Users", {{{"Username", 5}}}}});
    static_cast<void>(seed_failure(f, doc.dump()));
    EXPECT_EQ(pool_count(f), 0U);
    EXPECT_FALSE(f.store.read()->find_device_by_key(phone_key));
    auto const reader = f.store.read();
    cognitod::storage::statement seeds{reader->db().handle(), "SELECT count(*) FROM applied_seeds"};
    ASSERT_TRUE(seeds.step());
    EXPECT_EQ(seeds.column_int64(0), 0);
}

TEST(apply_seed, a_failed_seed_is_not_recorded_as_applied)
{
    fixture f;
    auto doc = demo_seed();
    doc["UserPools"][0]["Users"][1]["TemporaryPassword"] = "short";
    static_cast<void>(seed_failure(f, doc.dump()));
    doc["UserPools"][0]["Users"][1]["TemporaryPassword"] = "Sunflower-42";
    EXPECT_TRUE(seed(f, doc).applied);
}

TEST(apply_seed, reports_a_password_the_policy_refuses_at_its_member)
{
    fixture f;
    auto doc = demo_seed();
    doc["UserPools"][0]["Users"][0]["Password"] = "password";
    EXPECT_EQ(
        seed_failure(f, doc.dump()),
        "$.UserPools[0].Users[0].Password: InvalidPasswordException: Password did not conform with "
        "password policy: Password must have uppercase characters"
    );
}

TEST(apply_seed, reports_a_temporary_password_the_policy_refuses_at_its_member)
{
    fixture f;
    auto doc = demo_seed();
    doc["UserPools"][0]["Users"][1]["TemporaryPassword"] = "Sh0rt!";
    EXPECT_EQ(
        seed_failure(f, doc.dump()),
        "$.UserPools[0].Users[1].TemporaryPassword: InvalidPasswordException: Password did not "
        "conform with password policy: Password not long enough"
    );
}

TEST(apply_seed, refuses_an_unknown_member)
{
    fixture f;
    auto doc = demo_seed();
    doc["UserPools"][0]["Colour"] = "blue";
    EXPECT_EQ(seed_failure(f, doc.dump()), "$.UserPools[0].Colour: unknown member");
}

TEST(apply_seed, refuses_text_that_is_not_json)
{
    fixture f;
    EXPECT_EQ(seed_failure(f, "{\"UserPools\": ["), "$: not valid JSON");
}

// Found by feeding request_fuzzer a 1 MiB POST /_cognitod/seed, deeper than its 8 KiB inputs go:
// a pool nested 400,000 levels deep overflowed the stack while the seeder copied the pool. This
// depth is enough for the overflow under ASan.
TEST(apply_seed, refuses_a_seed_nested_100000_levels_deep)
{
    fixture f;
    std::size_t const depth = 100'000;
    auto const text = R"({"UserPools":[{"PoolName":"p","Schema":)" + std::string(depth, '[') +
                      std::string(depth, ']') + "}]}";
    EXPECT_EQ(seed_failure(f, text), "$: nested more than 100 levels deep");
    EXPECT_EQ(pool_count(f), 0U);
}

TEST(apply_seed, validates_a_seed_nested_100_levels_deep_as_usual)
{
    fixture f;
    // UserPools, the pool, UserPoolTags: 4 levels with the document; the tag's value fills up.
    auto const text = R"({"UserPools":[{"PoolName":"p","UserPoolTags":{"k":)" +
                      std::string(96, '[') + std::string(96, ']') + "}}]}";
    EXPECT_EQ(seed_failure(f, text), "$.UserPools[0]: Start of list found where not expected");
}

TEST(apply_seed, refuses_a_device_key_of_another_user)
{
    fixture f;
    auto doc = demo_seed();
    doc["UserPools"][0]["Users"][1]["Devices"] = {{{"DeviceKey", phone_key}}};
    EXPECT_EQ(
        seed_failure(f, doc.dump()),
        "$.UserPools[0].Users[1].Devices[0].DeviceKey: belongs to another user"
    );
}

TEST(apply_seed, refuses_an_unknown_remembered_status)
{
    fixture f;
    auto doc = demo_seed();
    doc["UserPools"][0]["Users"][0]["Devices"][0]["DeviceRememberedStatus"] = "yes";
    EXPECT_EQ(
        seed_failure(f, doc.dump()),
        "$.UserPools[0].Users[0].Devices[0].DeviceRememberedStatus: must be remembered or "
        "not_remembered"
    );
}

TEST(apply_seed, refuses_a_user_named_twice_in_a_pool)
{
    fixture f;
    auto doc = demo_seed();
    doc["UserPools"][0]["Users"].push_back({{"Username", "alice"}, {"Password", "0therPass!"}});
    EXPECT_EQ(
        seed_failure(f, doc.dump()),
        "$.UserPools[0].Users[2].Username: user alice of pool us-east-1_DemoShop1 is already "
        "given at $.UserPools[0].Users[0]"
    );
    EXPECT_EQ(pool_count(f), 0U);
}

TEST(apply_seed, refuses_a_user_named_twice_in_another_case_where_case_is_ignored)
{
    fixture f;
    auto doc = demo_seed();
    doc["UserPools"][0]["UsernameConfiguration"] = {{"CaseSensitive", false}};
    doc["UserPools"][0]["Users"][1]["Username"] = "ALICE";
    EXPECT_EQ(
        seed_failure(f, doc.dump()),
        "$.UserPools[0].Users[1].Username: user ALICE of pool us-east-1_DemoShop1 is already "
        "given at $.UserPools[0].Users[0]"
    );
}

TEST(apply_seed, refuses_a_user_named_twice_across_two_entries_for_one_pool)
{
    fixture f;
    auto doc = demo_seed();
    auto again = doc["UserPools"][0];
    again["Users"] = {{{"Username", "bob"}}};
    doc["UserPools"].push_back(again);
    EXPECT_EQ(
        seed_failure(f, doc.dump()),
        "$.UserPools[1].Users[0].Username: user bob of pool us-east-1_DemoShop1 is already "
        "given at $.UserPools[0].Users[1]"
    );
}

namespace
{

json group_seed()
{
    return json::parse(R"({
      "UserPools": [{
        "Id": "us-east-1_DemoShop1",
        "PoolName": "demo-shop",
        "Groups": [
          {"GroupName": "admins", "Precedence": 0,
           "RoleArn": "arn:aws:iam::123456789012:role/admins"},
          {"GroupName": "staff", "Description": "Everyone at the shop"}
        ],
        "Users": [
          {"Username": "alice", "Password": "Passw0rd!", "Groups": ["staff", "ADMINS"]},
          {"Username": "bob", "Password": "Passw0rd!", "Groups": ["staff"]}
        ]
      }]
    })");
}

std::vector<std::string> groups_of(fixture& f, std::string const& username)
{
    std::vector<std::string> names;
    auto const out =
        f.call("AdminListGroupsForUser", {{"UserPoolId", pool_id}, {"Username", username}});
    for (auto const& g : out.at("Groups"))
    {
        names.push_back(g.at("GroupName").get<std::string>());
    }
    return names;
}

TEST(seed_groups, creates_the_groups_and_the_memberships)
{
    fixture f;
    auto const outcome = seed(f, group_seed());
    EXPECT_EQ(outcome.groups_created, 2);
    auto const admins = f.call("GetGroup", {{"UserPoolId", pool_id}, {"GroupName", "admins"}});
    EXPECT_EQ(admins.at("Group").at("Precedence"), 0);
    EXPECT_EQ(admins.at("Group").at("RoleArn"), "arn:aws:iam::123456789012:role/admins");
    EXPECT_EQ(groups_of(f, "alice"), (std::vector<std::string>{"admins", "staff"}));
    EXPECT_EQ(groups_of(f, "bob"), (std::vector<std::string>{"staff"}));
}

TEST(seed_groups, applied_again_leaves_existing_groups_and_adds_lost_memberships)
{
    fixture f;
    seed(f, group_seed());
    f.call("UpdateGroup", {{"UserPoolId", pool_id}, {"GroupName", "staff"}, {"Precedence", 9}});
    f.call(
        "AdminRemoveUserFromGroup",
        {{"UserPoolId", pool_id}, {"Username", "bob"}, {"GroupName", "staff"}}
    );
    auto const outcome = seed(f, group_seed(), seed_mode::always);
    EXPECT_EQ(outcome.groups_created, 0);
    auto const staff = f.call("GetGroup", {{"UserPoolId", pool_id}, {"GroupName", "staff"}});
    EXPECT_EQ(staff.at("Group").at("Precedence"), 9);
    EXPECT_EQ(groups_of(f, "bob"), (std::vector<std::string>{"staff"}));
}

TEST(seed_groups, refuses_a_group_the_pool_does_not_have)
{
    fixture f;
    auto doc = group_seed();
    doc["UserPools"][0]["Users"][1]["Groups"] = {"staff", "owners"};
    EXPECT_EQ(
        seed_failure(f, doc.dump()),
        "$.UserPools[0].Users[1].Groups[1]: pool us-east-1_DemoShop1 has no group owners"
    );
}

TEST(seed_oauth_objects, gives_the_pool_its_domain_and_resource_servers_once)
{
    fixture f;
    auto doc = group_seed();
    doc["UserPools"][0]["Domain"] = "demo-shop";
    doc["UserPools"][0]["ResourceServers"] = json::parse(R"([
      {"Identifier": "https://api.shop.example", "Name": "shop api",
       "Scopes": [{"ScopeName": "orders.read", "ScopeDescription": "Reads orders"}]}])");
    seed(f, doc);
    EXPECT_EQ(
        f.call("DescribeUserPoolDomain", {{"Domain", "demo-shop"}})
            .at("DomainDescription")
            .at("UserPoolId"),
        pool_id
    );
    auto const servers =
        f.call("ListResourceServers", {{"UserPoolId", pool_id}, {"MaxResults", 5}});
    ASSERT_EQ(servers.at("ResourceServers").size(), 1U);
    EXPECT_EQ(servers.at("ResourceServers")[0].at("Scopes")[0].at("ScopeName"), "orders.read");
    // Applied again, both are found and left as they are.
    seed(f, doc, seed_mode::always);
    EXPECT_EQ(f.call("ListResourceServers", {{"UserPoolId", pool_id}, {"MaxResults", 5}}), servers);
    // A domain another pool has is the seed's error, at its member.
    auto other = doc;
    other["UserPools"][0]["Id"] = "us-east-1_DemoShop2";
    other["UserPools"][0].erase("Users");
    EXPECT_EQ(
        seed_failure(f, other.dump()),
        "$.UserPools[0].Domain: InvalidParameterException: Domain already associated with another "
        "user pool."
    );
}

TEST(seed_groups, validates_a_group_as_create_group_does)
{
    fixture f;
    auto doc = group_seed();
    doc["UserPools"][0]["Groups"][1]["Precedence"] = -1;
    EXPECT_NE(seed_failure(f, doc.dump()).find("$.UserPools[0].Groups[1]"), std::string::npos);
    doc["UserPools"][0]["Groups"][1] = {{"GroupName", "x"}, {"Members", json::array()}};
    EXPECT_EQ(seed_failure(f, doc.dump()), "$.UserPools[0].Groups[1].Members: unknown member");
}

} // namespace

namespace
{

json status_seed(json user)
{
    return {
        {"UserPools",
         {{{"Id", "us-east-1_States01"},
           {"PoolName", "states"},
           {"Clients",
            {{{"ClientName", "app"},
              {"ExplicitAuthFlows", {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}}}},
           {"Users", {std::move(user)}}}}}};
}

} // namespace

TEST(seed_states, starts_users_unconfirmed_or_waiting_for_a_reset)
{
    fixture f;
    auto doc =
        status_seed({{"Username", "una"}, {"Password", "Passw0rd!"}, {"Status", "UNCONFIRMED"}});
    doc["UserPools"][0]["Users"].push_back(
        {{"Username", "rex"}, {"Password", "Passw0rd!"}, {"Status", "RESET_REQUIRED"}}
    );
    EXPECT_EQ(seed(f, doc).users_created, 2);
    auto const status_of = [&](char const* name)
    {
        return f.call(
                    "AdminGetUser", {{"UserPoolId", "us-east-1_States01"}, {"Username", name}}
        ).at("UserStatus");
    };
    EXPECT_EQ(status_of("una"), "UNCONFIRMED");
    EXPECT_EQ(status_of("rex"), "RESET_REQUIRED");
    f.call("AdminConfirmSignUp", {{"UserPoolId", "us-east-1_States01"}, {"Username", "una"}});
    EXPECT_EQ(status_of("una"), "CONFIRMED");
}

TEST(seed_states, refuses_a_status_without_the_password_it_needs_or_unknown)
{
    fixture f;
    EXPECT_EQ(
        seed_failure(f, status_seed({{"Username", "una"}, {"Status", "UNCONFIRMED"}}).dump()),
        "$.UserPools[0].Users[0].Status: UNCONFIRMED needs a Password"
    );
    EXPECT_EQ(
        seed_failure(
            f,
            status_seed({{"Username", "una"},
                         {"Password", "Passw0rd!"},
                         {"Status", "FORCE_CHANGE_PASSWORD"}}
            ).dump()
        ),
        "$.UserPools[0].Users[0].Status: FORCE_CHANGE_PASSWORD needs a TemporaryPassword or none"
    );
    EXPECT_EQ(
        seed_failure(
            f,
            status_seed({{"Username", "una"}, {"Password", "Passw0rd!"}, {"Status", "ARCHIVED"}}
            ).dump()
        ),
        "$.UserPools[0].Users[0].Status: must be CONFIRMED, UNCONFIRMED, RESET_REQUIRED or "
        "FORCE_CHANGE_PASSWORD"
    );
}
