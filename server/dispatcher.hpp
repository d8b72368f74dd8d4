// Operation table, validation against the model, and the transaction around each handler.
// Immutable after construction; invoke() is safe from any thread (the store's mutex serialises
// the handlers).
#pragma once

#include "schema/service_model.hpp"
#include "server/operations/operations.hpp"

#include <string>
#include <string_view>
#include <unordered_map>

namespace cognitod
{

struct call_info
{
    std::string request_id;
    std::string region; // empty: the configured default
    std::string source_ip;
};

class dispatcher
{
    struct entry
    {
        operation_entry op;
        schema::operation_model const* model = nullptr;
    };
    schema::service_model const& model_;
    storage::store& store_;
    clock const& clock_;
    id_source& ids_;
    std::string default_region_;
    std::string account_id_;
    std::unordered_map<std::string_view, entry> operations_;

public:
    // Throws std::logic_error when an operation in the table is not in the model.
    dispatcher(
        schema::service_model const& model,
        storage::store& store,
        clock const& clock,
        id_source& ids,
        std::string default_region,
        std::string account_id
    );

    // Runs one operation. Throws aws_error for every AWS-visible failure.
    json invoke(std::string_view operation, json const& input, call_info const& info) const;

    bool implements(std::string_view operation) const { return operations_.contains(operation); }
    storage::store& store() const noexcept { return store_; }
};

} // namespace cognitod
