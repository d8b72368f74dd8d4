// Test helpers for schema/: the real cognito-idp model, and small hand-written models for shapes
// the real one lacks (timestamps in input, doubles, maps of structures).
#pragma once

#include "schema/service_model.hpp"
#include "schema/validator.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace cognitod::schema::testing
{

// Parsed once per test binary; const, so sharing it between tests is safe.
inline service_model const& cognito_model()
{
    static service_model const model = service_model::parse(embedded_model_json());
    return model;
}

inline shape const& input_of(std::string_view operation_name)
{
    auto const* operation = cognito_model().find_operation(operation_name);
    if (operation == nullptr || operation->input == nullptr)
    {
        throw std::invalid_argument("no input shape for " + std::string(operation_name));
    }
    return *operation->input;
}

// The InvalidParameterException message cognitod would send for this request body.
inline std::string validation_message(std::string_view operation_name, nlohmann::json const& body)
{
    return format_violations(validate(input_of(operation_name), body));
}

// A model holding only the given shapes; the input shape is the one named "Input".
inline service_model model_with_shapes(std::string_view shapes_json)
{
    return service_model::parse(
        R"({"metadata": {"targetPrefix": "Test"}, "operations": {}, "shapes": )" +
        std::string(shapes_json) + "}"
    );
}

} // namespace cognitod::schema::testing
