// A pool's attribute schema: the standard attributes every pool has, custom ones from
// CreateUserPool's Schema, and the check of user attributes against it.
#pragma once

#include "server/operations/operations.hpp"

namespace cognitod
{

// SchemaAttributes for DescribeUserPool: the standard list, adjusted and extended by schema_input
// (CreateUserPool's Schema). Throws InvalidParameterException for an unusable entry.
json build_schema(json const& schema_input);

// Appends a custom attribute (a SchemaAttributeType whose Name lacks the custom: prefix) to
// SchemaAttributes: CreateUserPool's Schema and AddCustomAttributes. Throws
// InvalidParameterException when it is required or its name is taken.
void add_custom_attribute(json& schema, json const& given);

enum class attribute_use
{
    create, // AdminCreateUser: any attribute in the schema but sub
    update, // AdminUpdateUserAttributes: also refuses immutable attributes
};

// Throws InvalidParameterException "Attributes did not conform to the schema: ..." listing every
// attribute that is not in the pool's schema (or cannot be written).
void check_attributes(json const& pool_settings, json const& attributes, attribute_use use);

// Throws InvalidParameterException "Attributes did not conform to the schema: ..." listing every
// name that is not in the pool's schema, or names sub or a required attribute.
void check_deletable(json const& pool_settings, json const& names);

// The value to keep for a {Name, Value} that check_attributes accepted: a Boolean attribute's in
// lower case ("True" is accepted, as AWS accepts it, and kept as "true"), any other as given.
std::string stored_value(json const& pool_settings, json const& attribute);

} // namespace cognitod
