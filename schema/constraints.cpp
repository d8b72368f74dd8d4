#include "schema/constraints.hpp"

#include "schema/value_text.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

namespace cognitod::schema::detail
{

namespace
{

// Length as AWS measures it: code points for strings (Smithy's definition), decoded bytes for
// blobs, elements for lists and entries for maps.
std::int64_t measured_length(shape const& value_shape, nlohmann::json const& value)
{
    if (value.is_string())
    {
        auto const& text = value.get_ref<std::string const&>();
        bool const blob = value_shape.type == "blob";
        return static_cast<std::int64_t>(blob ? base64_decoded_size(text) : code_point_count(text));
    }
    return static_cast<std::int64_t>(value.size());
}

// Negative, zero or positive as value is below, at or above bound. Doubles compare as doubles so
// 70.5 is above 70; integers compare exactly.
int compare_number(nlohmann::json const& value, std::int64_t bound)
{
    if (value.is_number_float())
    {
        double const number = value.get<double>();
        auto const limit = static_cast<double>(bound);
        return number < limit ? -1 : (number > limit ? 1 : 0);
    }
    if (value.is_number_unsigned() &&
        value.get<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    {
        return 1;
    }
    std::int64_t const number = value.get<std::int64_t>();
    return number < bound ? -1 : (number > bound ? 1 : 0);
}

std::string enum_text(std::vector<std::string> const& values)
{
    // Model order, joined like Java's Set toString. Real AWS prints some sets in another order
    // (MfaConfiguration: [OPTIONAL, OFF, ON] where the model says OFF, ON, OPTIONAL).
    std::string text = "Member must satisfy enum value set: [";
    for (std::size_t i = 0; i < values.size(); ++i)
    {
        text += (i == 0 ? "" : ", ") + values[i];
    }
    return text + "]";
}

} // namespace

namespace
{

// Every check in AWS's order, each handed to report(satisfied, message) with message a callable
// that builds its text: nearly every value passes, and building the texts cost more than the
// checks. Stops as soon as report returns false.
template <typename Report>
void run_checks(shape const& value_shape, nlohmann::json const& value, Report&& report)
{
    // The order: length (max, then min), value range (max, then min), pattern, enum.
    // Max before min is what AWS prints when it lists a shape's constraints together
    // ("Map value must satisfy constraint: [Member must have length less than or equal to 50000,
    // Member must have length greater than or equal to 1]", CodePipeline). Where length, pattern
    // and enum fall relative to each other for one member is not settled; change it only here.
    bool const sized = value_shape.type == "string" || value_shape.type == "blob" ||
                       value_shape.type == "list" || value_shape.type == "map";
    bool const numeric = value_shape.type == "integer" || value_shape.type == "long" ||
                         value_shape.type == "double" || value_shape.type == "float";
    auto const& max = value_shape.max;
    auto const& min = value_shape.min;
    if (sized)
    {
        std::int64_t const length = measured_length(value_shape, value);
        if (max &&
            !report(
                length <= *max,
                [&]
                { return "Member must have length less than or equal to " + std::to_string(*max); }
            ))
        {
            return;
        }
        if (min && !report(
                       length >= *min,
                       [&] {
                           return "Member must have length greater than or equal to " +
                                  std::to_string(*min);
                       }
                   ))
        {
            return;
        }
    }
    if (numeric)
    {
        if (max &&
            !report(
                compare_number(value, *max) <= 0,
                [&]
                { return "Member must have value less than or equal to " + std::to_string(*max); }
            ))
        {
            return;
        }
        if (min && !report(
                       compare_number(value, *min) >= 0,
                       [&] {
                           return "Member must have value greater than or equal to " +
                                  std::to_string(*min);
                       }
                   ))
        {
            return;
        }
    }
    if (value_shape.type != "string")
    {
        return;
    }
    if (value_shape.compiled_pattern &&
        !report(
            value_shape.compiled_pattern->matches(value.get_ref<std::string const&>()),
            [&] {
                return "Member must satisfy regular expression pattern: " +
                       value_shape.pattern_text;
            }
        ))
    {
        return;
    }
    auto const& values = value_shape.enum_values;
    if (!values.empty())
    {
        auto const& member = value.get_ref<std::string const&>();
        report(
            std::find(values.begin(), values.end(), member) != values.end(),
            [&] { return enum_text(values); }
        );
    }
}

} // namespace

std::vector<constraint_check>
check_constraints_in_aws_order(shape const& value_shape, nlohmann::json const& value)
{
    std::vector<constraint_check> checks;
    run_checks(
        value_shape,
        value,
        [&](bool satisfied, auto const& message)
        {
            checks.push_back({message(), satisfied});
            return true;
        }
    );
    return checks;
}

bool satisfies_constraints(shape const& value_shape, nlohmann::json const& value)
{
    bool all = true;
    run_checks(
        value_shape,
        value,
        [&](bool satisfied, auto const& /*message*/)
        {
            all = satisfied;
            return satisfied;
        }
    );
    return all;
}

} // namespace cognitod::schema::detail
