// How validate() treats JSON of the wrong type, nulls, unknown members and malformed text.
#include "schema/validator.hpp"
#include "unit/schema/schema_helpers.hpp"

#include <gtest/gtest.h>

#include <string>

namespace
{

using cognitod::schema::type_mismatch;
using cognitod::schema::validate;
using cognitod::schema::violation;
using cognitod::schema::testing::input_of;
using cognitod::schema::testing::model_with_shapes;
using cognitod::schema::testing::validation_message;
using nlohmann::json;

constexpr char const* pool_id = "us-east-1_aB3dE5gH7";

json forget_device()
{
    return {{"UserPoolId", pool_id}, {"Username", "alice"}, {"DeviceKey", "us-east-1_0f3c"}};
}

// The SerializationException message validate() throws for body, or "" when it throws none.
std::string mismatch_message(std::string_view operation, json const& body)
{
    try
    {
        validate(input_of(operation), body);
    }
    catch (type_mismatch const& e)
    {
        return e.what();
    }
    return "";
}

// A model whose input has one member of each type the cognito-idp inputs lack.
cognitod::schema::service_model const& typed_model()
{
    static auto const model = model_with_shapes(R"({
        "Input": {"type": "structure", "members": {
            "When": {"shape": "Stamp"}, "Ratio": {"shape": "Ratio"}, "Picture": {"shape": "Bytes"},
            "Big": {"shape": "Big"}, "Groups": {"shape": "Groups"}, "Any": {"shape": "Doc"},
            "Context": {"shape": "Context"}}},
        "Context": {"type": "structure", "sensitive": true,
                    "members": {"Ip": {"shape": "Short"}}},
        "Short": {"type": "string", "max": 2},
        "Stamp": {"type": "timestamp"},
        "Ratio": {"type": "double", "min": 0, "max": 1},
        "Bytes": {"type": "blob", "min": 2, "max": 4},
        "Big": {"type": "long"},
        "Groups": {"type": "map", "key": {"shape": "Name"}, "value": {"shape": "Group"}},
        "Group": {"type": "structure", "required": ["Name"],
                  "members": {"Name": {"shape": "Name"}}},
        "Name": {"type": "string", "min": 1},
        "Doc": {"type": "structure", "members": {}, "document": true}
    })");
    return model;
}

std::vector<violation> validate_typed(json const& body)
{
    return validate(*typed_model().find_shape("Input"), body);
}

} // namespace

TEST(validator, rejects_a_number_where_a_string_is_expected)
{
    auto body = forget_device();
    body["UserPoolId"] = 5;
    EXPECT_EQ(
        mismatch_message("AdminForgetDevice", body), "NUMBER_VALUE can not be converted to a String"
    );
}

TEST(validator, rejects_a_boolean_where_a_string_is_expected)
{
    auto body = forget_device();
    body["Username"] = true;
    EXPECT_EQ(
        mismatch_message("AdminForgetDevice", body),
        "BOOLEAN_VALUE can not be converted to a String"
    );
}

TEST(validator, rejects_an_object_where_a_scalar_is_expected)
{
    auto body = forget_device();
    body["DeviceKey"] = json::object();
    EXPECT_EQ(
        mismatch_message("AdminForgetDevice", body),
        "Start of structure or map found where not expected."
    );
}

TEST(validator, rejects_an_array_where_a_scalar_is_expected)
{
    auto body = forget_device();
    body["DeviceKey"] = json::array({"a"});
    EXPECT_EQ(
        mismatch_message("AdminForgetDevice", body), "Start of list found where not expected"
    );
}

TEST(validator, rejects_a_string_where_an_integer_is_expected)
{
    json const body = {{"AccessToken", "t"}, {"Limit", "5"}};
    EXPECT_EQ(
        mismatch_message("ListDevices", body), "STRING_VALUE can not be converted to an Integer"
    );
}

TEST(validator, rejects_a_fractional_or_out_of_range_integer)
{
    EXPECT_EQ(
        mismatch_message("ListDevices", {{"AccessToken", "t"}, {"Limit", 1.5}}),
        "NUMBER_VALUE can not be converted to an Integer"
    );
    EXPECT_EQ(
        mismatch_message("ListDevices", {{"AccessToken", "t"}, {"Limit", 4294967296}}),
        "NUMBER_VALUE can not be converted to an Integer"
    );
}

TEST(validator, accepts_a_whole_float_as_an_integer)
{
    EXPECT_TRUE(validate(input_of("ListDevices"), {{"AccessToken", "t"}, {"Limit", 5.0}}).empty());
    EXPECT_EQ(
        validation_message("ListDevices", {{"AccessToken", "t"}, {"Limit", 61.0}}),
        "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member "
        "must have value less than or equal to 60"
    );
}

TEST(validator, rejects_a_string_where_a_boolean_is_expected)
{
    json const body = {{"UserPoolId", pool_id}, {"ClientName", "web"}, {"GenerateSecret", "true"}};
    EXPECT_EQ(
        mismatch_message("CreateUserPoolClient", body),
        "STRING_VALUE can not be converted to a Boolean"
    );
}

TEST(validator, rejects_a_scalar_where_a_list_or_structure_is_expected)
{
    json body = {{"UserPoolId", pool_id}, {"Username", "alice"}, {"UserAttributes", "email"}};
    EXPECT_EQ(
        mismatch_message("AdminUpdateUserAttributes", body),
        "STRING_VALUE can not be converted to a List"
    );
    body["UserAttributes"] = json::array({"email"});
    EXPECT_EQ(
        mismatch_message("AdminUpdateUserAttributes", body),
        "STRING_VALUE can not be converted to a Structure"
    );
}

TEST(validator, rejects_a_body_that_is_not_an_object)
{
    EXPECT_EQ(
        mismatch_message("AdminForgetDevice", json::array()),
        "Start of list found where not expected"
    );
}

TEST(validator, type_mismatch_wins_over_constraint_violations)
{
    json const body = {{"UserPoolId", "x y"}, {"Username", 7}};
    EXPECT_EQ(
        mismatch_message("AdminForgetDevice", body), "NUMBER_VALUE can not be converted to a String"
    );
}

TEST(validator, treats_a_null_member_as_absent)
{
    auto body = forget_device();
    body["DeviceKey"] = nullptr;
    body["Username"] = nullptr;
    auto const found = validate(input_of("AdminForgetDevice"), body);
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].path, "deviceKey");
    EXPECT_EQ(found[1].path, "username");
    EXPECT_EQ(found[1].kind, violation::value_kind::null);
}

TEST(validator, treats_a_null_body_as_an_empty_object)
{
    EXPECT_EQ(validate(input_of("AdminForgetDevice"), json()).size(), 3u);
}

TEST(validator, ignores_unknown_members)
{
    auto body = forget_device();
    body["Extra"] = {{"anything", json::array({1, 2})}};
    EXPECT_TRUE(validate(input_of("AdminForgetDevice"), body).empty());
}

TEST(validator, reports_a_pattern_violation_for_invalid_utf8_with_a_replacement_character)
{
    auto body = forget_device();
    body["DeviceKey"] = "us-east-1_\xFF";
    auto const found = validate(input_of("AdminForgetDevice"), body);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].value, "us-east-1_\xEF\xBF\xBD");
    EXPECT_EQ(
        found[0].constraint, "Member must satisfy regular expression pattern: [\\w-]+_[0-9a-f-]+"
    );
}

TEST(validator, accepts_a_number_as_a_timestamp)
{
    EXPECT_TRUE(validate_typed({{"When", 1715100742.022}}).empty());
    EXPECT_THROW(validate_typed({{"When", "yesterday"}}), type_mismatch);
}

TEST(validator, checks_the_range_of_a_double)
{
    auto const found = validate_typed({{"Ratio", 1.5}});
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].value, "1.5");
    EXPECT_EQ(found[0].constraint, "Member must have value less than or equal to 1");
}

TEST(validator, measures_a_blob_in_decoded_bytes)
{
    EXPECT_TRUE(validate_typed({{"Picture", "AAAA"}}).empty()); // 3 bytes
    EXPECT_EQ(
        validate_typed({{"Picture", "AA=="}}).at(0).constraint,
        "Member must have length greater than or equal to 2"
    );
    EXPECT_THROW(validate_typed({{"Picture", "not base64!"}}), type_mismatch);
}

TEST(validator, reads_a_long_beyond_the_integer_range)
{
    EXPECT_TRUE(validate_typed({{"Big", 4294967296}}).empty());
    EXPECT_THROW(validate_typed({{"Big", "4294967296"}}), type_mismatch);
}

TEST(validator, addresses_structure_map_values_by_key)
{
    auto const found = validate_typed({{"Groups", {{"admins", json::object()}}}});
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].path, "groups.admins.name");
    EXPECT_EQ(found[0].kind, violation::value_kind::null);
}

TEST(validator, hides_members_of_a_sensitive_structure)
{
    auto const found = validate_typed({{"Context", {{"Ip", "10.0.0.1"}}}});
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].path, "context.ip");
    EXPECT_EQ(found[0].kind, violation::value_kind::omitted);
}

TEST(validator, reports_a_null_list_element_as_a_null_member)
{
    json const body = {
        {"UserPoolId", pool_id},
        {"ClientName", "web"},
        {"ExplicitAuthFlows", {"ALLOW_CUSTOM_AUTH", nullptr}}};
    EXPECT_EQ(
        validation_message("CreateUserPoolClient", body),
        "1 validation error detected: Value null at 'explicitAuthFlows.2.member' failed to "
        "satisfy constraint: Member must not be null"
    );
}

TEST(validator, accepts_any_json_in_a_document)
{
    EXPECT_TRUE(validate_typed({{"Any", {{"a", json::array({1, "b", nullptr})}}}}).empty());
    EXPECT_TRUE(validate_typed({{"Any", 3}}).empty());
}
