#include "schema/validator.hpp"
#include "unit/schema/schema_helpers.hpp"

#include <gtest/gtest.h>

#include <string>

namespace
{

using cognitod::schema::format_violations;
using cognitod::schema::validate;
using cognitod::schema::violation;
using cognitod::schema::testing::input_of;
using cognitod::schema::testing::validation_message;
using nlohmann::json;

constexpr char const* pool_id = "us-east-1_aB3dE5gH7";
constexpr char const* device_key = "us-east-1_0f3c5b8e-1c5f-4f0a-9c51-9a8a1f6b2d3e";

json forget_device()
{
    return {{"UserPoolId", pool_id}, {"Username", "alice"}, {"DeviceKey", device_key}};
}

json sign_up()
{
    return {
        {"ClientId", "5cj9ag4nvskjkv0dg3sade5fd5"},
        {"Username", "alice"},
        {"Password", "Passw0rd!"}};
}

json new_client()
{
    return {{"UserPoolId", pool_id}, {"ClientName", "web"}};
}

} // namespace

// Real AWS golden strings.

TEST(validator, reports_a_pattern_mismatch_like_aws)
{
    auto body = forget_device();
    body["UserPoolId"] = "x y";
    EXPECT_EQ(
        validation_message("AdminForgetDevice", body),
        "1 validation error detected: Value 'x y' at 'userPoolId' failed to satisfy constraint: "
        R"(Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+)"
    );
}

TEST(validator, reports_missing_required_member_as_null)
{
    auto body = forget_device();
    body.erase("DeviceKey");
    EXPECT_EQ(
        validation_message("AdminForgetDevice", body),
        "1 validation error detected: Value null at 'deviceKey' failed to satisfy constraint: "
        "Member must not be null"
    );
}

TEST(validator, never_echoes_a_sensitive_value)
{
    auto body = sign_up();
    body["Username"] = std::string(129, 'a');
    EXPECT_EQ(
        validation_message("SignUp", body),
        "1 validation error detected: Value at 'username' failed to satisfy constraint: Member "
        "must have length less than or equal to 128"
    );
}

TEST(validator, lists_enum_values_in_model_order)
{
    // AWS printed [OPTIONAL, OFF, ON] for this shape; the model says OFF, ON, OPTIONAL.
    json const body = {{"UserPoolId", pool_id}, {"MfaConfiguration", "false"}};
    EXPECT_EQ(
        validation_message("SetUserPoolMfaConfig", body),
        "1 validation error detected: Value 'false' at 'mfaConfiguration' failed to satisfy "
        "constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]"
    );
}

// One behaviour per constraint kind.

TEST(validator, accepts_a_valid_request)
{
    EXPECT_TRUE(validate(input_of("AdminForgetDevice"), forget_device()).empty());
}

TEST(validator, reports_a_string_shorter_than_its_minimum)
{
    auto body = new_client();
    body["ClientSecret"] = "short"; // 24..64, sensitive
    body["DefaultRedirectURI"] = "";
    EXPECT_EQ(
        validation_message("CreateUserPoolClient", body),
        "3 validation errors detected: Value at 'clientSecret' failed to satisfy constraint: "
        "Member must have length greater than or equal to 24; Value '' at 'defaultRedirectURI' "
        "failed to satisfy constraint: Member must have length greater than or equal to 1; Value "
        "'' at 'defaultRedirectURI' failed to satisfy constraint: Member must satisfy regular "
        "expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"
    );
}

TEST(validator, counts_string_length_in_code_points)
{
    auto body = forget_device();
    body["Username"] = std::string(128, 'a');
    EXPECT_TRUE(validate(input_of("AdminForgetDevice"), body).empty());
    std::string accented;
    for (int i = 0; i < 128; ++i)
    {
        accented += "\xC3\xA9"; // é: 2 bytes, 1 code point
    }
    body["Username"] = accented;
    EXPECT_TRUE(validate(input_of("AdminForgetDevice"), body).empty());
}

TEST(validator, reports_an_integer_above_its_maximum)
{
    json const body = {{"AccessToken", "token"}, {"Limit", 70}};
    EXPECT_EQ(
        validation_message("ListDevices", body),
        "1 validation error detected: Value '70' at 'limit' failed to satisfy constraint: Member "
        "must have value less than or equal to 60"
    );
}

TEST(validator, reports_an_integer_below_its_minimum)
{
    json const body = {{"AccessToken", "token"}, {"Limit", -1}};
    EXPECT_EQ(
        validation_message("ListDevices", body),
        "1 validation error detected: Value '-1' at 'limit' failed to satisfy constraint: Member "
        "must have value greater than or equal to 0"
    );
}

TEST(validator, accepts_integers_at_their_bounds)
{
    EXPECT_TRUE(validate(input_of("ListDevices"), {{"AccessToken", "t"}, {"Limit", 0}}).empty());
    EXPECT_TRUE(validate(input_of("ListDevices"), {{"AccessToken", "t"}, {"Limit", 60}}).empty());
}

TEST(validator, reports_a_list_longer_than_its_maximum)
{
    auto body = new_client();
    body["AllowedOAuthFlows"] = {"code", "implicit", "code", "implicit"};
    EXPECT_EQ(
        validation_message("CreateUserPoolClient", body),
        "1 validation error detected: Value '[code, implicit, code, implicit]' at "
        "'allowedOAuthFlows' failed to satisfy constraint: Member must have length less than or "
        "equal to 3"
    );
}

TEST(validator, reports_a_bad_scalar_list_element_once_at_the_list)
{
    auto body = new_client();
    body["ExplicitAuthFlows"] = {"ALLOW_USER_SRP_AUTH", "ADMIN_USER_PASSWORD_AUTH", "BOGUS"};
    EXPECT_EQ(
        validation_message("CreateUserPoolClient", body),
        "1 validation error detected: Value '[ALLOW_USER_SRP_AUTH, ADMIN_USER_PASSWORD_AUTH, "
        "BOGUS]' at 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy "
        "constraint: [Member must satisfy enum value set: [ADMIN_NO_SRP_AUTH, "
        "CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH, "
        "ALLOW_CUSTOM_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH, "
        "ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH]]"
    );
}

TEST(validator, reports_bad_map_keys_at_the_map_listing_every_key_constraint)
{
    json const body = {{"PoolName", "pool"}, {"UserPoolTags", {{"", "v"}}}};
    EXPECT_EQ(
        validation_message("CreateUserPool", body),
        "1 validation error detected: Value '{=v}' at 'userPoolTags' failed to satisfy "
        "constraint: Map keys must satisfy constraint: [Member must have length less than or "
        "equal to 128, Member must have length greater than or equal to 1]"
    );
}

TEST(validator, reports_bad_map_values_at_the_map_listing_every_value_constraint)
{
    json const body = {{"PoolName", "pool"}, {"UserPoolTags", {{"team", std::string(257, 'x')}}}};
    auto const found = validate(input_of("CreateUserPool"), body);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].path, "userPoolTags");
    EXPECT_EQ(
        found[0].constraint,
        "Map value must satisfy constraint: [Member must have length less than or equal to 256, "
        "Member must have length greater than or equal to 0]"
    );
}

TEST(validator, hides_the_whole_value_of_a_sensitive_map)
{
    json const body = {
        {"AuthFlow", "USER_PASSWORD_AUTH"},
        {"ClientId", "client"},
        {"AuthParameters", {{"PASSWORD", std::string(131073, 'p')}}}};
    auto const found = validate(input_of("InitiateAuth"), body);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].path, "authParameters");
    EXPECT_EQ(found[0].kind, violation::value_kind::omitted);
    EXPECT_EQ(found[0].value, "");
}

// Paths and several violations.

TEST(validator, addresses_structure_list_elements_one_based_with_member)
{
    json const body = {
        {"UserPoolId", pool_id},
        {"Username", "alice"},
        {"UserAttributes",
         {{{"Name", "email"}, {"Value", "a@example.com"}}, {{"Value", "x"}}, {{"Name", ""}}}}};
    EXPECT_EQ(
        validation_message("AdminUpdateUserAttributes", body),
        "3 validation errors detected: Value null at 'userAttributes.2.member.name' failed to "
        "satisfy constraint: Member must not be null; Value '' at 'userAttributes.3.member.name' "
        "failed to satisfy constraint: Member must have length greater than or equal to 1; Value "
        "'' at 'userAttributes.3.member.name' failed to satisfy constraint: Member must satisfy "
        "regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r ]+"
    );
}

TEST(validator, hides_sensitive_members_inside_list_elements)
{
    json const body = {
        {"UserPoolId", pool_id},
        {"Username", "alice"},
        {"UserAttributes", {{{"Name", "email"}, {"Value", std::string(2049, 'v')}}}}};
    EXPECT_EQ(
        validation_message("AdminUpdateUserAttributes", body),
        "1 validation error detected: Value at 'userAttributes.1.member.value' failed to satisfy "
        "constraint: Member must have length less than or equal to 2048"
    );
}

TEST(validator, lower_cases_only_the_first_letter_of_a_member_name)
{
    json const body = {{"UserPoolId", pool_id}, {"Username", "alice"}};
    EXPECT_EQ(
        validation_message("AdminSetUserSettings", body),
        "1 validation error detected: Value null at 'mFAOptions' failed to satisfy constraint: "
        "Member must not be null"
    );
}

TEST(validator, reports_every_violation_sorted_by_member_path)
{
    json const body = {{"DeviceKey", "bad key"}, {"Username", ""}};
    EXPECT_EQ(
        validation_message("AdminForgetDevice", body),
        "4 validation errors detected: Value 'bad key' at 'deviceKey' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-f-]+; Value "
        "null at 'userPoolId' failed to satisfy constraint: Member must not be null; Value at "
        "'username' failed to satisfy constraint: Member must have length greater than or equal "
        "to 1; Value at 'username' failed to satisfy constraint: Member must satisfy regular "
        "expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"
    );
}

TEST(validator, reports_missing_members_of_nested_structures_with_dotted_paths)
{
    json const body = {{"PoolName", "pool"}, {"SmsConfiguration", {{"ExternalId", "x"}}}};
    EXPECT_EQ(
        validation_message("CreateUserPool", body),
        "1 validation error detected: Value null at 'smsConfiguration.snsCallerArn' failed to "
        "satisfy constraint: Member must not be null"
    );
}

// format_violations on its own.

TEST(format_violations, formats_one_violation_in_the_singular)
{
    std::vector<violation> const one{
        {"limit", violation::value_kind::shown, "70", "Member must be small"}};
    EXPECT_EQ(
        format_violations(one),
        "1 validation error detected: Value '70' at 'limit' failed to satisfy constraint: Member "
        "must be small"
    );
}

TEST(format_violations, joins_several_violations_with_semicolons)
{
    std::vector<violation> const two{
        {"a", violation::value_kind::null, "", "Member must not be null"},
        {"b", violation::value_kind::omitted, "secret", "Member must be short"}};
    EXPECT_EQ(
        format_violations(two),
        "2 validation errors detected: Value null at 'a' failed to satisfy constraint: Member "
        "must not be null; Value at 'b' failed to satisfy constraint: Member must be short"
    );
}

TEST(format_violations, returns_an_empty_string_when_nothing_is_wrong)
{
    EXPECT_EQ(format_violations({}), "");
}
