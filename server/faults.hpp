// Fault injection (/_cognitod/faults): rules that make an operation answer one of its modelled
// exceptions, or answer late, before its handler runs, so a faulted call changes nothing.
// Thread-safe: every member takes the rules' own mutex.
#pragma once

#include "schema/service_model.hpp"
#include "server/aws_error.hpp"
#include "server/ids.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cognitod
{

// A rule that cannot be added; the message names the member at fault.
class invalid_fault_rule : public std::invalid_argument
{
public:
    using std::invalid_argument::invalid_argument;
};

// What a matching rule does to one call.
struct fault
{
    std::optional<aws_error> error; // none: the call runs, only later
    std::chrono::milliseconds delay{0};
};

class fault_rules
{
    struct rule
    {
        std::string id;
        std::string operation; // "*": every operation whose model lists the error
        std::string error;     // empty: a delay only
        std::string message;
        std::optional<std::int64_t> remaining; // none: until deleted
        double probability = 1;
        std::int64_t delay_ms = 0;
        std::string user_pool_id; // empty: any
        std::string username;     // empty: any
        std::int64_t hits = 0;
    };
    schema::service_model const& model_;
    std::vector<rule> rules_; // in the order added; the first that fires decides
    std::uint64_t next_id_ = 1;
    std::mt19937_64 random_;
    mutable std::mutex mutex_;

    static nlohmann::json describe(rule const& r);
    bool lists_error(std::string_view operation, std::string_view error) const;

public:
    explicit fault_rules(schema::service_model const& model, std::uint64_t seed);

    // Adds the rule a POST body describes and returns it as GET shows it. Throws
    // invalid_fault_rule.
    nlohmann::json add(nlohmann::json const& body);
    nlohmann::json list() const;
    bool remove(std::string_view id);
    std::size_t clear();

    // The fault for this call, if a rule fires; counts the hit and retires a spent rule.
    std::optional<fault> match(std::string_view operation, nlohmann::json const& input);
};

} // namespace cognitod
