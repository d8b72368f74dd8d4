#include "schema/validator.hpp"

#include "schema/constraints.hpp"
#include "schema/type_check.hpp"
#include "schema/value_text.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cognitod::schema
{

namespace
{

using nlohmann::json;

bool is_scalar(shape const& value_shape)
{
    auto const& type = value_shape.type;
    return type != "structure" && type != "list" && type != "map" && type != "document";
}

std::string join_path(std::string const& prefix, std::string_view part)
{
    return prefix.empty() ? std::string(part) : prefix + "." + std::string(part);
}

// Walks one request body and its shape together, appending violations in model member order.
class walker
{
    std::vector<violation>& out_;

    void
    add(std::string const& path, shape const& at, json const& value, bool hidden, std::string text)
    {
        violation found{path, violation::value_kind::omitted, {}, std::move(text)};
        auto rendered = hidden ? std::nullopt : detail::render_value(at, value);
        if (rendered)
        {
            found.kind = violation::value_kind::shown;
            found.value = std::move(*rendered);
        }
        out_.push_back(std::move(found));
    }

    void add_null(std::string const& path)
    {
        out_.push_back({path, violation::value_kind::null, {}, "Member must not be null"});
    }

    void check_own(shape const& at, json const& value, std::string const& path, bool hidden)
    {
        if (detail::satisfies_constraints(at, value))
        {
            return;
        }
        for (auto& check : detail::check_constraints_in_aws_order(at, value))
        {
            if (!check.satisfied)
            {
                add(path, at, value, hidden, std::move(check.text));
            }
        }
    }

    // Scalar elements of a list or map are not reported one by one: AWS reports the collection
    // once, listing every constraint of the element shape in brackets, e.g. "Member must satisfy
    // constraint: [Member must satisfy enum value set: [...]]" at 'explicitAuthFlows'.
    std::string
    elements_failure(shape const& element_shape, std::vector<json const*> const& elements)
    {
        bool const failed = std::any_of(
            elements.begin(),
            elements.end(),
            [&](json const* element)
            { return !detail::satisfies_constraints(element_shape, *element); }
        );
        if (!failed)
        {
            return {};
        }
        // Every constraint of the element shape; the texts depend on the shape alone (and a
        // failure means there is an element to take them from).
        auto const checks = detail::check_constraints_in_aws_order(element_shape, *elements.back());
        std::string text = "[";
        for (std::size_t i = 0; i < checks.size(); ++i)
        {
            text += (i == 0 ? "" : ", ") + checks[i].text;
        }
        return text + "]";
    }

    void visit_structure(shape const& at, json const& value, std::string const& path, bool hidden)
    {
        for (auto const& [member_name, member_shape] : at.members)
        {
            auto const it = value.find(member_name);
            // JSON null is how some SDKs spell "not set", so it counts as absent.
            if (it == value.end() || it->is_null())
            {
                auto const& required = at.required;
                if (std::find(required.begin(), required.end(), member_name) != required.end())
                {
                    add_null(join_path(path, detail::lower_camel(member_name)));
                }
                continue;
            }
            visit(*member_shape, *it, join_path(path, detail::lower_camel(member_name)), hidden);
        }
    }

    void visit_list(shape const& at, json const& value, std::string const& path, bool hidden)
    {
        check_own(at, value, path, hidden);
        shape const& element_shape = *at.member;
        std::vector<json const*> present;
        for (std::size_t i = 0; i < value.size(); ++i)
        {
            // Elements are addressed as AWS does: 1-based, then ".member".
            auto const element_path = path + "." + std::to_string(i + 1) + ".member";
            if (value[i].is_null())
            {
                add_null(element_path);
            }
            else if (is_scalar(element_shape))
            {
                detail::require_type(element_shape, value[i]);
                present.push_back(&value[i]);
            }
            else
            {
                visit(element_shape, value[i], element_path, hidden);
            }
        }
        auto const failure = elements_failure(element_shape, present);
        if (!failure.empty())
        {
            add(path, at, value, hidden, "Member must satisfy constraint: " + failure);
        }
    }

    // Map keys and scalar values are reported at the map's own path, as AWS does ("Map keys must
    // satisfy constraint: [...]", "Map value must satisfy constraint: [...]"). The model has no
    // map of structures; were there one, its members would be addressed as "<map>.<key>.<member>".
    void visit_map(shape const& at, json const& value, std::string const& path, bool hidden)
    {
        check_own(at, value, path, hidden);
        std::vector<json> key_values;
        std::vector<json const*> values;
        for (auto const& [key, element] : value.items())
        {
            key_values.emplace_back(key);
            if (element.is_null())
            {
                // SDKs send null for an unset map entry (amazon-cognito-identity-js sends
                // "DEVICE_KEY": null); AWS treats it as absent, so the entry is not checked.
                continue;
            }
            if (is_scalar(*at.value))
            {
                detail::require_type(*at.value, element);
                values.push_back(&element);
            }
            else
            {
                visit(*at.value, element, join_path(path, key), hidden);
            }
        }
        std::vector<json const*> keys;
        keys.reserve(key_values.size());
        for (auto const& key : key_values)
        {
            keys.push_back(&key);
        }
        if (auto const failure = elements_failure(*at.key, keys); !failure.empty())
        {
            add(path, at, value, hidden, "Map keys must satisfy constraint: " + failure);
        }
        if (auto const failure = elements_failure(*at.value, values); !failure.empty())
        {
            add(path, at, value, hidden, "Map value must satisfy constraint: " + failure);
        }
    }

public:
    explicit walker(std::vector<violation>& out) : out_(out) {}

    // hidden: this value or one containing it is sensitive, so no message may echo it.
    void visit(shape const& at, json const& value, std::string const& path, bool hidden)
    {
        detail::require_type(at, value);
        hidden = hidden || at.sensitive;
        if (at.type == "structure")
        {
            visit_structure(at, value, path, hidden);
        }
        else if (at.type == "list")
        {
            visit_list(at, value, path, hidden);
        }
        else if (at.type == "map")
        {
            visit_map(at, value, path, hidden);
        }
        else if (at.type != "document")
        {
            check_own(at, value, path, hidden);
        }
    }
};

std::string describe(violation const& item)
{
    std::string text = "Value";
    if (item.kind == violation::value_kind::shown)
    {
        text += " '" + item.value + "'";
    }
    else if (item.kind == violation::value_kind::null)
    {
        text += " null";
    }
    return text + " at '" + item.path + "' failed to satisfy constraint: " + item.constraint;
}

} // namespace

std::vector<violation> validate(shape const& input_shape, nlohmann::json const& input)
{
    std::vector<violation> found;
    walker walk(found);
    // An empty body is sent as {} by SDKs but as nothing by some tools; both mean no members.
    json const no_members = json::object();
    walk.visit(input_shape, input.is_null() ? no_members : input, "", /*hidden=*/false);
    // AWS lists members by path (a captured SignUp error names 'password' before 'username'),
    // each member's own failures in constraint order: a stable sort keeps that order.
    std::stable_sort(
        found.begin(),
        found.end(),
        [](violation const& a, violation const& b) { return a.path < b.path; }
    );
    return found;
}

std::string format_violations(std::vector<violation> const& violations)
{
    if (violations.empty())
    {
        return {};
    }
    std::string text =
        std::to_string(violations.size()) +
        (violations.size() == 1 ? " validation error detected: " : " validation errors detected: ");
    for (std::size_t i = 0; i < violations.size(); ++i)
    {
        text += (i == 0 ? "" : "; ") + describe(violations[i]);
    }
    return text;
}

} // namespace cognitod::schema
