#include "server/dispatcher.hpp"

#include "schema/validator.hpp"
#include "server/aws_error.hpp"

#include <mutex>
#include <stdexcept>

namespace cognitod
{

dispatcher::dispatcher(
    schema::service_model const& model,
    storage::store& store,
    clock const& clock,
    id_source& ids,
    key_stock& keys,
    std::string default_region,
    std::string account_id,
    mail_sink* mail,
    lambda_invoker const* lambda
)
    : model_(model), store_(store), clock_(clock), ids_(ids), keys_(keys),
      default_region_(std::move(default_region)), account_id_(std::move(account_id)), mail_(mail),
      lambda_(lambda)
{
    for (auto const& op : make_operations())
    {
        auto const* op_model = model_.find_operation(op.name);
        if (op_model == nullptr)
        {
            throw std::logic_error("operation not in the model: " + std::string{op.name});
        }
        operations_.emplace(op.name, entry{op, op_model});
    }
}

lambda_result dispatcher::call_lambda(lambda_needed const& need, std::size_t run) const
{
    // A run calls each of its triggers once; more runs than any operation has triggers means an
    // event that differs between runs, which would otherwise never end.
    constexpr std::size_t max_runs = 16;
    if (run >= max_runs)
    {
        throw std::logic_error("the event of " + need.trigger + " changes between runs");
    }
    if (lambda_ == nullptr)
    {
        throw errors::unexpected_lambda(
            need.trigger + " is configured (" + need.function +
            ") but cognitod has no Lambda endpoint: start it with --lambda-endpoint URL (a local "
            "Lambda runtime) to call the pool's triggers."
        );
    }
    return lambda_->invoke(need.function, need.event);
}

json dispatcher::invoke(std::string_view operation, json const& input, call_info const& info) const
{
    auto const found = operations_.find(operation);
    if (found == operations_.end())
    {
        if (model_.find_operation(operation) == nullptr)
        {
            throw errors::unknown_operation("");
        }
        throw errors::not_implemented(
            "cognitod does not implement " + std::string{operation} + " yet."
        );
    }
    // Named references, not a structured binding: the lambda below captures op, and clang before
    // 16 cannot capture structured bindings (P1091).
    auto const& op = found->second.op;
    auto const* op_model = found->second.model;

    // Validate before taking any lock: a bad call never touches the store.
    if (op_model->input != nullptr)
    {
        std::vector<schema::violation> violations;
        try
        {
            violations = schema::validate(*op_model->input, input);
        }
        catch (schema::type_mismatch const& e)
        {
            throw errors::serialization(e.what());
        }
        if (!violations.empty())
        {
            throw errors::invalid_parameter(schema::format_violations(violations));
        }
    }

    auto call = [&](request_context& ctx) { return op.handler(ctx, input); };
    return in_transaction(op.mode, info, call, &input);
}

json dispatcher::run(
    access mode,
    call_info const& info,
    json (*fn)(request_context&, std::string const&),
    std::string const& arg
) const
{
    auto call = [&](request_context& ctx) { return fn(ctx, arg); };
    return in_transaction(mode, info, call);
}

json dispatcher::run(
    access mode, call_info const& info, std::function<json(request_context&)> const& fn
) const
{
    auto call = [&](request_context& ctx) { return fn(ctx); };
    return in_transaction(mode, info, call);
}

} // namespace cognitod
