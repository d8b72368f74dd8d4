// Operation table, validation against the model, and the transaction around each handler.
// Immutable after construction; invoke() is safe from any thread (the store's mutex serialises
// the handlers).
#pragma once

#include "schema/service_model.hpp"
#include "server/operations/operations.hpp"

#include <mutex>
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
    std::string issuer_base; // "http://<Host>"
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

    // Builds the request's context, then runs fn under the store's lock in one transaction
    // (BEGIN IMMEDIATE for writes); a throw rolls it back. A committed write bumps the store's
    // version.
    template <class Fn> json in_transaction(access mode, call_info const& info, Fn&& fn) const
    {
        request_context ctx{
            store_,
            ids_,
            clock_.now_ms(),
            info.region.empty() ? default_region_ : info.region,
            account_id_,
            info.request_id,
            info.source_ip,
            info.issuer_base,
        };
        std::lock_guard lock{store_.mutex()};
        storage::transaction tx{
            store_.db(),
            mode == access::write ? storage::transaction_mode::immediate
                                  : storage::transaction_mode::deferred,
        };
        json output = std::forward<Fn>(fn)(ctx);
        tx.commit();
        if (mode == access::write)
        {
            store_.note_write();
        }
        return output;
    }

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

    // Runs fn inside the store's lock and one transaction, as invoke() runs a handler; for the
    // routes that are not AWS operations (jwks.json, openid-configuration).
    json
    run(access mode,
        call_info const& info,
        json (*fn)(request_context&, std::string const&),
        std::string const& arg) const;
    storage::store& store() const noexcept { return store_; }
};

} // namespace cognitod
