#include "schema/service_model.hpp"
#include "server/aws_error.hpp"
#include "server/operations/operations.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>

namespace
{

using namespace cognitod;
using nlohmann::json;

// The status the model gives an error shape: its own httpStatusCode where it has one, else what
// botocore's JSON protocol assumes: 500 for a fault, 400 for the rest.
unsigned model_status(json const& shape)
{
    if (auto const error = shape.find("error");
        error != shape.end() && error->contains("httpStatusCode"))
    {
        return error->at("httpStatusCode").get<unsigned>();
    }
    return shape.value("fault", false) ? 500U : 400U;
}

errors::error_kind const* find_kind(std::string_view code)
{
    auto const found = std::find_if(
        errors::catalog.begin(),
        errors::catalog.end(),
        [&](auto const* kind) { return kind->code == code; }
    );
    return found == errors::catalog.end() ? nullptr : *found;
}

json model_shapes()
{
    return json::parse(schema::embedded_model_json()).at("shapes");
}

} // namespace

TEST(aws_error, has_a_factory_with_the_models_status_for_every_error_an_implemented_operation_lists)
{
    auto const model = schema::service_model::parse(schema::embedded_model_json());
    // Code → the implemented operations that list it, so a failure names where it is needed.
    std::map<std::string, std::set<std::string>> listed;
    for (auto const& op : make_operations())
    {
        auto const* op_model = model.find_operation(op.name);
        ASSERT_NE(op_model, nullptr) << op.name;
        for (auto const& code : op_model->errors)
        {
            listed[code].emplace(op.name);
        }
    }
    ASSERT_FALSE(listed.empty());
    auto const shapes = model_shapes();
    for (auto const& [code, operations] : listed)
    {
        auto const* kind = find_kind(code);
        auto const first = *operations.begin();
        if (kind == nullptr)
        {
            ADD_FAILURE() << code << " (listed by " << first << " and " << operations.size() - 1
                          << " more) has no factory in errors::catalog";
            continue;
        }
        EXPECT_EQ(kind->status, model_status(shapes.at(code))) << code;
    }
}

TEST(aws_error, gives_every_code_the_model_defines_the_models_status)
{
    auto const shapes = model_shapes();
    for (auto const* kind : errors::catalog)
    {
        auto const shape = shapes.find(std::string{kind->code});
        if (shape != shapes.end())
        {
            EXPECT_TRUE(shape->value("exception", false)) << kind->code;
            EXPECT_EQ(kind->status, model_status(*shape)) << kind->code;
        }
    }
}

TEST(aws_error, lists_each_code_once_in_the_catalog)
{
    std::set<std::string_view> seen;
    for (auto const* kind : errors::catalog)
    {
        EXPECT_TRUE(seen.insert(kind->code).second) << kind->code;
    }
}

TEST(aws_error, keeps_the_statuses_of_codes_outside_the_model)
{
    EXPECT_EQ(errors::not_implemented("x").status(), 501U);
    EXPECT_EQ(errors::internal_error().status(), 500U);
    EXPECT_EQ(errors::serialization("x").status(), 400U);
    EXPECT_EQ(errors::unknown_operation("").status(), 400U);
}

TEST(aws_error, makes_a_bare_worded_kind_with_the_text_aws_sends)
{
    auto const e = errors::user_not_found();
    EXPECT_EQ(e.code(), "UserNotFoundException");
    EXPECT_EQ(e.message(), "User does not exist.");
    EXPECT_EQ(e.status(), 400U);
    EXPECT_EQ(errors::user_not_found("Other.").message(), "Other.");
}

TEST(aws_error, words_a_missing_device_in_one_place)
{
    auto const e = errors::device_not_found();
    EXPECT_EQ(e.code(), "ResourceNotFoundException");
    EXPECT_EQ(e.message(), "Device does not exist.");
    EXPECT_EQ(e.status(), 400U);
}

TEST(aws_error, answers_a_missing_pools_discovery_document_with_404)
{
    auto const e = errors::pool_document_not_found("us-east-1_000001");
    EXPECT_EQ(e.code(), "ResourceNotFoundException");
    EXPECT_EQ(e.message(), "User pool us-east-1_000001 does not exist.");
    EXPECT_EQ(e.status(), 404U);
}
