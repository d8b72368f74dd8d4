#include "server/dispatcher.hpp"
#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace
{

using namespace cognitod::testing;

std::int64_t count_users(fixture& f, std::string const& pool)
{
    auto const reader = f.store.read();
    return reader->count_users(reader->find_user_pool(pool)->seq);
}

} // namespace

TEST(dispatcher, answers_a_modelled_but_unimplemented_operation_with_501_naming_it)
{
    fixture f;
    auto const error = f.error_of(
        "DescribeUserImportJob", {{"UserPoolId", "us-east-1_abc"}, {"JobId", "import-a"}}
    );
    EXPECT_EQ(error.code(), "NotImplementedException");
    EXPECT_EQ(error.status(), 501U);
    EXPECT_NE(std::string{error.what()}.find("DescribeUserImportJob"), std::string::npos)
        << error.what();
}

TEST(dispatcher, answers_an_operation_outside_the_model_with_unknown_operation)
{
    fixture f;
    auto const error = f.error_of("AdminFrobnicate", json::object());
    EXPECT_EQ(error.code(), "UnknownOperationException");
    EXPECT_EQ(error.status(), 400U);
}

TEST(dispatcher, answers_a_wrongly_typed_member_with_serialization_exception)
{
    fixture f;
    auto const error = f.error_of("ListUserPools", {{"MaxResults", "ten"}});
    EXPECT_EQ(error.code(), "SerializationException");
    EXPECT_EQ(error.status(), 400U);
}

TEST(dispatcher, answers_a_constraint_violation_with_the_aws_validation_message)
{
    fixture f;
    EXPECT_AWS_ERROR(
        f,
        "DescribeUserPool",
        json({{"UserPoolId", "x y"}}),
        "InvalidParameterException",
        "1 validation error detected: Value 'x y' at 'userPoolId' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+"
    );
}

TEST(dispatcher, implements_the_admin_device_operations)
{
    fixture f;
    for (auto const* name :
         {"AdminGetDevice", "AdminListDevices", "AdminUpdateDeviceStatus", "AdminForgetDevice"})
    {
        EXPECT_TRUE(f.calls.implements(name)) << name;
    }
    EXPECT_FALSE(f.calls.implements("DescribeUserImportJob"));
}

TEST(dispatcher, leaves_no_transaction_open_after_a_failed_call)
{
    fixture f;
    static_cast<void>(f.error_of("DescribeUserPool", {{"UserPoolId", "us-east-1_AAAAAAAAA"}}));
    EXPECT_NO_THROW(f.call("CreateUserPool", {{"PoolName", "after"}}));
}

TEST(dispatcher, a_refused_write_leaves_the_store_unchanged_and_usable)
{
    fixture f;
    auto const pool = make_pool().insert(f);
    static_cast<void>(f.error_of(
        "AdminCreateUser", {{"UserPoolId", pool}, {"Username", "a"}, {"TemporaryPassword", "x"}}
    ));
    EXPECT_EQ(count_users(f, pool), 0);
    make_user("a").insert(f, pool);
    EXPECT_EQ(count_users(f, pool), 1);
}

// Reads run where a write fails, in memory as on a file's reader connections: an operation
// declared a read that writes fails in every test that calls it.
TEST(dispatcher, a_read_that_writes_fails_and_changes_nothing)
{
    fixture f;
    auto const pool = make_pool().insert(f);
    auto const rename = [](cognitod::request_context& ctx, std::string const& id)
    {
        auto found = ctx.store.find_user_pool(id);
        found->name = "renamed";
        ctx.store.update_user_pool(*found);
        return json::object();
    };
    auto const name = [&] {
        return f.call("DescribeUserPool", {{"UserPoolId", pool}}).at("UserPool").at("Name");
    };
    EXPECT_THROW(
        f.calls.run(cognitod::access::read, f.info, rename, pool), cognitod::storage::sqlite_error
    );
    EXPECT_EQ(name(), "test-pool");
    f.calls.run(cognitod::access::write, f.info, rename, pool);
    EXPECT_EQ(name(), "renamed");
}

TEST(dispatcher, refuses_a_model_without_an_implemented_operation)
{
    auto const tiny = cognitod::schema::service_model::parse(
        R"({"metadata": {"targetPrefix": "Test"}, "operations": {}, "shapes": {}})"
    );
    cognitod::storage::store store{":memory:"};
    fixed_clock time;
    cognitod::counting_ids ids;
    cognitod::logger const log{cognitod::log_level::error};
    cognitod::key_stock keys{store, log, 0};
    EXPECT_THROW(
        cognitod::dispatcher(tiny, store, time, ids, keys, "us-east-1", account_id),
        std::logic_error
    );
}
