// The cognito-idp API description, parsed once from botocore's model (schema/cognito-idp.json,
// embedded in the binary). Immutable after parse(): safe to share between threads.
#pragma once

#include "schema/pattern.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cognitod::schema
{

struct shape
{
    std::string name;
    // botocore type: structure, list, map, string, integer, long, boolean, timestamp, blob, double.
    std::string type;
    // Length for string/blob/list/map, value for integer/long/double.
    std::optional<std::int64_t> min;
    std::optional<std::int64_t> max;
    std::string pattern_text; // as the model spells it; printed in validation messages
    std::shared_ptr<pattern const> compiled_pattern;
    std::vector<std::string> enum_values;
    std::vector<std::string> required;
    // Structure members in model order: (wire name, shape).
    std::vector<std::pair<std::string, shape const*>> members;
    shape const* member = nullptr; // list element
    shape const* key = nullptr;    // map key
    shape const* value = nullptr;  // map value
    bool sensitive = false;

    shape const* find_member(std::string_view member_name) const;
};

struct operation_model
{
    std::string name;
    shape const* input = nullptr;  // null when the operation takes no input
    shape const* output = nullptr; // null when the operation has no output
    std::vector<std::string> errors;
    // authtype none: authorised by tokens or an auth session, never SigV4-signed.
    bool unsigned_request = false;
};

class service_model
{
    std::unordered_map<std::string, std::unique_ptr<shape>> shapes_;
    std::vector<operation_model> operations_;
    std::unordered_map<std::string, std::size_t> operation_index_;
    std::string target_prefix_;

public:
    // Throws std::runtime_error naming the shape when the model is malformed or a pattern does
    // not compile.
    static service_model parse(std::string_view json_text);

    operation_model const* find_operation(std::string_view name) const;
    shape const* find_shape(std::string_view name) const;
    std::span<operation_model const> operations() const { return operations_; }
    std::string const& target_prefix() const { return target_prefix_; }
};

// The model committed at schema/cognito-idp.json, embedded at build time.
std::string_view embedded_model_json();

} // namespace cognitod::schema
