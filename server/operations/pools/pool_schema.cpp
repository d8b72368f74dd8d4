#include "server/operations/pools/pool_schema.hpp"

#include "server/auth/encoding.hpp"
#include "server/aws_error.hpp"

#include <array>
#include <string>
#include <string_view>

namespace cognitod
{

namespace
{

struct standard_attribute
{
    std::string_view name;
    std::string_view type;
    std::string_view min_length; // empty: no string constraints
    std::string_view max_length;
};

// The order and constraints DescribeUserPool shows for every pool.
constexpr std::array<standard_attribute, 20> standard_attributes{{
    {"sub", "String", "1", "2048"},
    {"name", "String", "0", "2048"},
    {"given_name", "String", "0", "2048"},
    {"family_name", "String", "0", "2048"},
    {"middle_name", "String", "0", "2048"},
    {"nickname", "String", "0", "2048"},
    {"preferred_username", "String", "0", "2048"},
    {"profile", "String", "0", "2048"},
    {"picture", "String", "0", "2048"},
    {"website", "String", "0", "2048"},
    {"email", "String", "0", "2048"},
    {"email_verified", "Boolean", "", ""},
    {"gender", "String", "0", "2048"},
    {"birthdate", "String", "10", "10"},
    {"zoneinfo", "String", "0", "2048"},
    {"locale", "String", "0", "2048"},
    {"phone_number", "String", "0", "2048"},
    {"phone_number_verified", "Boolean", "", ""},
    {"address", "String", "0", "2048"},
    {"updated_at", "Number", "", ""},
}};

json standard_entry(standard_attribute const& a)
{
    json entry{
        {"Name", a.name},
        {"AttributeDataType", a.type},
        {"DeveloperOnlyAttribute", false},
        {"Mutable", a.name != "sub"},
        {"Required", a.name == "sub"},
    };
    if (!a.min_length.empty())
    {
        entry["StringAttributeConstraints"] = {
            {"MinLength", a.min_length}, {"MaxLength", a.max_length}};
    }
    else if (a.type == "Number")
    {
        entry["NumberAttributeConstraints"] = {{"MinValue", "0"}};
    }
    return entry;
}

json* find_entry(json& schema, std::string_view name)
{
    for (auto& entry : schema)
    {
        if (entry.at("Name") == name)
        {
            return &entry;
        }
    }
    return nullptr;
}

json const* find_entry(json const& schema, std::string_view name)
{
    for (auto const& entry : schema)
    {
        if (entry.at("Name") == name)
        {
            return &entry;
        }
    }
    return nullptr;
}

// Constraint values are strings on the wire ("MaxLength": "256"); accept numbers too.
json stringify_constraints(json constraints)
{
    for (auto& [key, value] : constraints.items())
    {
        if (value.is_number())
        {
            value = value.dump();
        }
    }
    return constraints;
}

} // namespace

void add_custom_attribute(json& schema, json const& given)
{
    auto const name = given.value("Name", std::string{});
    if (name.empty())
    {
        throw errors::invalid_parameter("Attribute name cannot be empty.");
    }
    if (given.value("Required", false))
    {
        throw errors::invalid_parameter("Required custom attributes are not supported currently.");
    }
    bool const developer_only = given.value("DeveloperOnlyAttribute", false);
    std::string const full_name = (developer_only ? "dev:custom:" : "custom:") + name;
    if (find_entry(schema, full_name) != nullptr)
    {
        throw errors::invalid_parameter("Existing attribute already has name " + full_name + ".");
    }
    std::string const type = given.value("AttributeDataType", std::string{"String"});
    json entry{
        {"Name", full_name},
        {"AttributeDataType", type},
        {"DeveloperOnlyAttribute", developer_only},
        {"Mutable", given.value("Mutable", true)},
        {"Required", false},
    };
    if (type == "Number")
    {
        entry["NumberAttributeConstraints"] =
            stringify_constraints(given.value("NumberAttributeConstraints", json::object()));
    }
    else if (type == "String")
    {
        entry["StringAttributeConstraints"] =
            stringify_constraints(given.value("StringAttributeConstraints", json::object()));
    }
    schema.push_back(std::move(entry));
}

json build_schema(json const& schema_input)
{
    json schema = json::array();
    for (auto const& a : standard_attributes)
    {
        schema.push_back(standard_entry(a));
    }
    for (auto const& given : schema_input)
    {
        auto const name = given.value("Name", std::string{});
        if (name.empty())
        {
            throw errors::invalid_parameter("Attribute name cannot be empty.");
        }
        if (json* standard = find_entry(schema, name);
            standard != nullptr && !name.starts_with("custom:"))
        {
            if (name == "sub")
            {
                throw errors::invalid_parameter("You can not change AttributeDataType or set "
                                                "developerOnlyAttribute for standard "
                                                "schema attribute sub");
            }
            // A standard attribute can be made required or immutable, nothing more.
            (*standard)["Required"] = given.value("Required", false);
            (*standard)["Mutable"] = given.value("Mutable", true);
            if (given.contains("StringAttributeConstraints"))
            {
                (*standard)["StringAttributeConstraints"] =
                    stringify_constraints(given.at("StringAttributeConstraints"));
            }
            continue;
        }
        add_custom_attribute(schema, given);
    }
    return schema;
}

void check_attributes(json const& pool_settings, json const& attributes, attribute_use use)
{
    auto const& schema = pool_settings.at("SchemaAttributes");
    std::string problems;
    for (auto const& attr : attributes)
    {
        auto const name = attr.value("Name", std::string{});
        auto const* entry = find_entry(schema, name);
        if (entry == nullptr)
        {
            problems += name + ": Attribute does not exist in the schema.\n";
        }
        else if (name == "sub" || (use == attribute_use::update && !entry->value("Mutable", true)))
        {
            problems += name + ": Attribute cannot be updated. (changing an immutable attribute)\n";
        }
        else if (entry->value("AttributeDataType", "") == "Boolean")
        {
            auto const value = auth::ascii_lower(attr.value("Value", std::string{}));
            if (value != "true" && value != "false")
            {
                problems += name + ": Attribute value must be true or false.\n";
            }
        }
    }
    if (!problems.empty())
    {
        throw errors::invalid_parameter("Attributes did not conform to the schema: " + problems);
    }
}

void check_deletable(json const& pool_settings, json const& names)
{
    auto const& schema = pool_settings.at("SchemaAttributes");
    std::string problems;
    for (auto const& entry_name : names)
    {
        auto const name = entry_name.get<std::string>();
        auto const* entry = find_entry(schema, name);
        if (entry == nullptr)
        {
            problems += name + ": Attribute does not exist in the schema.\n";
        }
        else if (name == "sub" || entry->value("Required", false))
        {
            problems += name + ": Attribute cannot be deleted. (a required attribute)\n";
        }
    }
    if (!problems.empty())
    {
        throw errors::invalid_parameter("Attributes did not conform to the schema: " + problems);
    }
}

std::string stored_value(json const& pool_settings, json const& attribute)
{
    auto value = attribute.value("Value", std::string{});
    auto const* entry =
        find_entry(pool_settings.at("SchemaAttributes"), attribute.value("Name", std::string{}));
    if (entry != nullptr && entry->value("AttributeDataType", "") == "Boolean")
    {
        return auth::ascii_lower(value);
    }
    return value;
}

} // namespace cognitod
