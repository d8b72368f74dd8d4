// Private to schema/: a shape's own constraints (length, range, pattern, enum) checked against one
// value that already has the right JSON type. Pure; safe to call from any thread.
#pragma once

#include "schema/service_model.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace cognitod::schema::detail
{

struct constraint_check
{
    std::string text; // "Member must have length less than or equal to 128"
    bool satisfied = true;
};

// Every constraint the shape declares, satisfied or not, in the order AWS lists them.
// This is the one place that order is decided; see constraints.cpp.
std::vector<constraint_check>
check_constraints_in_aws_order(shape const& value_shape, nlohmann::json const& value);

// Whether the value satisfies every one of them; builds no message.
bool satisfies_constraints(shape const& value_shape, nlohmann::json const& value);

} // namespace cognitod::schema::detail
