#include "schema/service_model.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cognitod::schema
{

namespace
{

// ordered_json keeps structure members in model order (the order DescribeX shapes and the
// validator walk them in); the default json would sort them by name.
using model_json = nlohmann::ordered_json;

[[noreturn]] void malformed(std::string_view shape_name, std::string const& why)
{
    throw std::runtime_error(
        "malformed service model: shape " + std::string(shape_name) + ": " + why
    );
}

std::optional<std::int64_t>
read_bound(model_json const& node, char const* key, std::string_view name)
{
    auto const it = node.find(key);
    if (it == node.end())
    {
        return std::nullopt;
    }
    if (it->is_number_integer())
    {
        return it->get<std::int64_t>();
    }
    // Bounds on doubles may be fractional in other models; this one has none, so refuse to guess.
    malformed(name, std::string(key) + " is not an integer");
}

// Reads everything but the references to other shapes, which need every shape to exist first.
// The function-try-block turns nlohmann's type errors into one that names the shape.
std::unique_ptr<shape> read_shape(std::string const& name, model_json const& node)
try
{
    if (!node.is_object() || !node.contains("type") || !node.at("type").is_string())
    {
        malformed(name, "has no type");
    }
    auto result = std::make_unique<shape>();
    result->name = name;
    result->type = node.at("type").get<std::string>();
    // A document is free-form JSON; giving it its own type lets the validator accept anything.
    if (node.value("document", false))
    {
        result->type = "document";
    }
    result->min = read_bound(node, "min", name);
    result->max = read_bound(node, "max", name);
    result->sensitive = node.value("sensitive", false);
    // DomainType's pattern fits only a prefix domain: AWS accepts custom domains (host names with
    // dots) through the same member and words its own refusal of a bad prefix, so
    // CreateUserPoolDomain checks it.
    if (auto const it = node.find("pattern"); it != node.end() && name != "DomainType")
    {
        result->pattern_text = it->get<std::string>();
        try
        {
            result->compiled_pattern = std::make_shared<pattern const>(result->pattern_text);
        }
        catch (std::invalid_argument const& e)
        {
            malformed(name, e.what());
        }
    }
    if (auto const it = node.find("enum"); it != node.end())
    {
        result->enum_values = it->get<std::vector<std::string>>();
    }
    if (auto const it = node.find("required"); it != node.end())
    {
        result->required = it->get<std::vector<std::string>>();
    }
    return result;
}
catch (model_json::exception const& e)
{
    malformed(name, e.what());
}

using shape_table = std::unordered_map<std::string, std::unique_ptr<shape>>;

// The shape a {"shape": "Name"} reference names; owner is only for the error message.
shape const* resolve(shape_table const& shapes, std::string_view owner, model_json const& reference)
{
    if (!reference.is_object() || !reference.contains("shape"))
    {
        malformed(owner, "has a reference without a shape");
    }
    auto const target = reference.at("shape").get<std::string>();
    auto const it = shapes.find(target);
    if (it == shapes.end())
    {
        malformed(owner, "refers to unknown shape " + target);
    }
    return it->second.get();
}

// Second pass: members (in model order), list elements and map keys/values become pointers.
void link_shape(shape_table const& shapes, shape& target, model_json const& node)
{
    if (auto const it = node.find("members"); it != node.end())
    {
        for (auto const& [member_name, reference] : it->items())
        {
            target.members.emplace_back(member_name, resolve(shapes, target.name, reference));
        }
    }
    auto const element = [&](char const* key)
    {
        auto const it = node.find(key);
        return it == node.end() ? nullptr : resolve(shapes, target.name, *it);
    };
    target.member = element("member");
    target.key = element("key");
    target.value = element("value");
    if ((target.type == "list" && target.member == nullptr) ||
        (target.type == "map" && (target.key == nullptr || target.value == nullptr)))
    {
        malformed(target.name, "is a " + target.type + " without its element shapes");
    }
}

operation_model
read_operation(shape_table const& shapes, std::string const& name, model_json const& node)
{
    operation_model operation;
    operation.name = name;
    if (auto const it = node.find("input"); it != node.end())
    {
        operation.input = resolve(shapes, name, *it);
    }
    if (auto const it = node.find("output"); it != node.end())
    {
        operation.output = resolve(shapes, name, *it);
    }
    for (auto const& error : node.value("errors", model_json::array()))
    {
        operation.errors.push_back(resolve(shapes, name, error)->name);
    }
    operation.unsigned_request = node.value("authtype", "") == "none";
    return operation;
}

} // namespace

shape const* shape::find_member(std::string_view member_name) const
{
    auto const it = std::find_if(
        members.begin(),
        members.end(),
        [&](auto const& entry) { return entry.first == member_name; }
    );
    return it == members.end() ? nullptr : it->second;
}

service_model service_model::parse(std::string_view json_text)
{
    // nlohmann reports bad JSON and wrongly typed keys with its own exceptions; callers are
    // promised std::runtime_error. The errors raised here by malformed() already name the shape.
    try
    {
        model_json const root = model_json::parse(json_text);
        if (!root.is_object() || !root.contains("shapes") || !root.contains("operations"))
        {
            throw std::runtime_error("malformed service model: no shapes or operations");
        }
        service_model model;
        if (auto const metadata = root.find("metadata"); metadata != root.end())
        {
            model.target_prefix_ = metadata->value("targetPrefix", "");
        }
        // Every shape exists before any is linked, so a reference may point forwards.
        for (auto const& [name, node] : root.at("shapes").items())
        {
            model.shapes_.emplace(name, read_shape(name, node));
        }
        for (auto const& [name, node] : root.at("shapes").items())
        {
            link_shape(model.shapes_, *model.shapes_.at(name), node);
        }
        for (auto const& [name, node] : root.at("operations").items())
        {
            model.operation_index_.emplace(name, model.operations_.size());
            model.operations_.push_back(read_operation(model.shapes_, name, node));
        }
        return model;
    }
    catch (model_json::exception const& e)
    {
        throw std::runtime_error(std::string("malformed service model: ") + e.what());
    }
}

operation_model const* service_model::find_operation(std::string_view name) const
{
    auto const it = operation_index_.find(std::string(name));
    return it == operation_index_.end() ? nullptr : &operations_[it->second];
}

shape const* service_model::find_shape(std::string_view name) const
{
    auto const it = shapes_.find(std::string(name));
    return it == shapes_.end() ? nullptr : it->second.get();
}

} // namespace cognitod::schema
