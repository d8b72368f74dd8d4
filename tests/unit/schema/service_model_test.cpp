#include "schema/service_model.hpp"
#include "unit/schema/schema_helpers.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace
{

using cognitod::schema::service_model;
using cognitod::schema::testing::cognito_model;
using cognitod::schema::testing::model_with_shapes;

std::vector<std::string> member_names(cognitod::schema::shape const& structure)
{
    std::vector<std::string> names;
    for (auto const& [name, member] : structure.members)
    {
        names.push_back(name);
    }
    return names;
}

std::string parse_error(std::string_view shapes_json)
{
    try
    {
        model_with_shapes(shapes_json);
    }
    catch (std::runtime_error const& e)
    {
        return e.what();
    }
    return "no error";
}

} // namespace

TEST(service_model, parses_the_embedded_model)
{
    EXPECT_GE(cognito_model().operations().size(), 100u);
    EXPECT_EQ(cognito_model().target_prefix(), "AWSCognitoIdentityProviderService");
}

TEST(service_model, every_operation_has_an_input_shape)
{
    for (auto const& operation : cognito_model().operations())
    {
        ASSERT_NE(operation.input, nullptr) << operation.name;
        EXPECT_EQ(operation.input->type, "structure") << operation.name;
        EXPECT_EQ(cognito_model().find_operation(operation.name), &operation);
        EXPECT_EQ(cognito_model().find_shape(operation.input->name), operation.input);
    }
}

TEST(service_model, admin_forget_device_takes_pool_user_and_device_in_model_order)
{
    auto const* operation = cognito_model().find_operation("AdminForgetDevice");
    ASSERT_NE(operation, nullptr);
    auto const expected = std::vector<std::string>{"UserPoolId", "Username", "DeviceKey"};
    EXPECT_EQ(member_names(*operation->input), expected);
    EXPECT_EQ(operation->input->required, expected);
    EXPECT_EQ(operation->output, nullptr);
}

TEST(service_model, admin_forget_device_is_signed)
{
    EXPECT_FALSE(cognito_model().find_operation("AdminForgetDevice")->unsigned_request);
}

TEST(service_model, token_authorised_operations_are_unsigned)
{
    EXPECT_TRUE(cognito_model().find_operation("ConfirmDevice")->unsigned_request);
    EXPECT_TRUE(cognito_model().find_operation("InitiateAuth")->unsigned_request);
    EXPECT_TRUE(cognito_model().find_operation("RespondToAuthChallenge")->unsigned_request);
}

TEST(service_model, resolves_member_shapes_to_pointers)
{
    auto const* input = cognito_model().find_operation("AdminForgetDevice")->input;
    auto const* device_key = input->find_member("DeviceKey");
    ASSERT_NE(device_key, nullptr);
    EXPECT_EQ(device_key, cognito_model().find_shape("DeviceKeyType"));
    EXPECT_EQ(device_key->type, "string");
    EXPECT_EQ(device_key->max, 55);
    EXPECT_EQ(device_key->min, 1);
    EXPECT_EQ(input->find_member("NoSuchMember"), nullptr);
}

TEST(service_model, compiles_patterns_at_parse_time)
{
    auto const* pool_id = cognito_model().find_shape("UserPoolIdType");
    ASSERT_NE(pool_id->compiled_pattern, nullptr);
    EXPECT_EQ(pool_id->pattern_text, R"([\w-]+_[0-9a-zA-Z]+)");
    EXPECT_EQ(pool_id->compiled_pattern->text(), pool_id->pattern_text);
    EXPECT_EQ(cognito_model().find_shape("DeviceNameType")->compiled_pattern, nullptr);
}

TEST(service_model, leaves_the_domain_pattern_to_create_user_pool_domain)
{
    // AWS takes custom domains (auth.example.com) through DomainType, whose pattern allows no dot.
    auto const* domain = cognito_model().find_shape("DomainType");
    EXPECT_EQ(domain->compiled_pattern, nullptr);
    EXPECT_EQ(domain->max, 63);
}

TEST(service_model, marks_sensitive_shapes)
{
    EXPECT_TRUE(cognito_model().find_shape("UsernameType")->sensitive);
    EXPECT_TRUE(cognito_model().find_shape("PasswordType")->sensitive);
    EXPECT_FALSE(cognito_model().find_shape("UserPoolIdType")->sensitive);
}

TEST(service_model, keeps_enum_values_in_model_order)
{
    auto const expected = std::vector<std::string>{"OFF", "ON", "OPTIONAL"};
    EXPECT_EQ(cognito_model().find_shape("UserPoolMfaType")->enum_values, expected);
}

TEST(service_model, resolves_list_and_map_element_shapes)
{
    auto const* attributes = cognito_model().find_shape("AttributeListType");
    EXPECT_EQ(attributes->member, cognito_model().find_shape("AttributeType"));
    auto const* metadata = cognito_model().find_shape("ClientMetadataType");
    EXPECT_EQ(metadata->key, cognito_model().find_shape("StringType"));
    EXPECT_EQ(metadata->value, cognito_model().find_shape("StringType"));
}

TEST(service_model, lists_error_shape_names)
{
    auto const& errors = cognito_model().find_operation("AdminForgetDevice")->errors;
    EXPECT_NE(std::find(errors.begin(), errors.end(), "ResourceNotFoundException"), errors.end());
    EXPECT_NE(std::find(errors.begin(), errors.end(), "TooManyRequestsException"), errors.end());
}

TEST(service_model, gives_document_shapes_their_own_type)
{
    EXPECT_EQ(cognito_model().find_shape("Document")->type, "document");
}

TEST(service_model, answers_null_for_unknown_names)
{
    EXPECT_EQ(cognito_model().find_operation("NoSuchOperation"), nullptr);
    EXPECT_EQ(cognito_model().find_shape("NoSuchShape"), nullptr);
}

TEST(service_model, rejects_a_reference_to_an_unknown_shape_naming_the_shape)
{
    auto const error =
        parse_error(R"({"Input": {"type": "structure", "members": {"A": {"shape": "Missing"}}}})");
    EXPECT_NE(error.find("Input"), std::string::npos) << error;
    EXPECT_NE(error.find("Missing"), std::string::npos) << error;
}

TEST(service_model, rejects_a_pattern_that_does_not_compile_naming_the_shape)
{
    auto const error = parse_error(R"({"Broken": {"type": "string", "pattern": "[a-"}})");
    EXPECT_NE(error.find("Broken"), std::string::npos) << error;
}

TEST(service_model, rejects_text_that_is_not_json)
{
    EXPECT_THROW(service_model::parse("{not json"), std::runtime_error);
    EXPECT_THROW(service_model::parse("[]"), std::runtime_error);
}
