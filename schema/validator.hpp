// Validation of an operation's input against its model shape, with AWS's exact messages.
// Stateless; safe to call from any thread.
#pragma once

#include "schema/service_model.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cognitod::schema
{

struct violation
{
    std::string path; // lowerCamel member path: "userPoolId", "userAttributes.1.member.name"
    enum class value_kind
    {
        shown,   // Value 'x' at ...
        null,    // Value null at ...
        omitted, // Value at ...   (sensitive members never echo their value)
    } kind = value_kind::shown;
    std::string value;      // rendered value when kind == shown
    std::string constraint; // "Member must not be null"
};

// A member whose JSON type cannot be read as its shape's type (AWS answers SerializationException).
class type_mismatch : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// Collects every violation, sorted by member path (each member's own in constraint order).
// Throws type_mismatch for wrongly typed members.
std::vector<violation> validate(shape const& input_shape, nlohmann::json const& input);

// "1 validation error detected: ..." / "N validation errors detected: a; b".
std::string format_violations(std::vector<violation> const& violations);

} // namespace cognitod::schema
