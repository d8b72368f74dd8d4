// Operation table, validation against the model, and the transaction around each handler.
// Immutable after construction; invoke() is safe from any thread (the store serialises the
// writers and gives each reader a connection of its own).
#pragma once

#include "schema/service_model.hpp"
#include "server/operations/operations.hpp"
#include "server/operations/triggers/triggers.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cognitod
{

// Where a committed call's emails go beyond the outbox (--smtp). send() must not block for long
// and must be thread-safe: it runs on the request's thread.
class mail_sink
{
public:
    virtual ~mail_sink() = default;
    virtual void send(storage::message const& email) = 0;
};

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
    key_stock& keys_;
    std::string default_region_;
    std::string account_id_;
    mail_sink* mail_ = nullptr;
    lambda_invoker const* lambda_ = nullptr;
    std::unordered_map<std::string_view, entry> operations_;

    // What the runs of one call share: the triggers' answers, and the ids the runs draw.
    struct call_runs
    {
        trigger_answers triggers;
        replayed_ids ids;
    };

    // Builds the request's context and runs fn in one transaction on q; a throw rolls it back.
    template <class Fn>
    json in_transaction_on(
        storage::queries& q,
        storage::transaction_mode mode,
        call_info const& info,
        unsigned_tokens& tokens,
        call_runs& runs,
        Fn&& fn
    ) const
    {
        request_context ctx{
            q,
            runs.ids,
            keys_,
            tokens,
            clock_.now_ms(),
            info.region.empty() ? default_region_ : info.region,
            account_id_,
            info.request_id,
            info.source_ip,
            info.issuer_base,
        };
        ctx.triggers = &runs.triggers;
        storage::transaction tx{q.db(), mode};
        json output;
        try
        {
            output = std::forward<Fn>(fn)(ctx);
        }
        catch (committed_error const& failed)
        {
            tx.commit();
            throw failed.error;
        }
        tx.commit();
        if (mail_ != nullptr)
        {
            for (auto const& email : ctx.emails)
            {
                mail_->send(email);
            }
        }
        return output;
    }

    // Writes run on the writer's lease (BEGIN IMMEDIATE), which raises the store's version once
    // a commit is made, unless the store refuses them (storage::unwritable_error: its file is
    // gone); reads run on a read lease (BEGIN DEFERRED), beside the writer, where a write fails.
    // A call that finds its pool without signing keys runs again once they are made, which
    // happens with no lease held (key_stock).
    // input: the call's, for the triggers' events (null for a call made without one). Each run
    // draws the ids the run before drew (replayed_ids), so a run builds the same state and the
    // same events from them.
    template <class Fn>
    json
    in_transaction(access mode, call_info const& info, Fn& fn, json const* input = nullptr) const
    {
        call_runs runs{trigger_answers{input}, replayed_ids{ids_}};
        for (std::size_t run = 0;; ++run)
        {
            runs.ids.rewind();
            try
            {
                return in_lease(mode, info, runs, fn);
            }
            catch (keys_needed const& need)
            {
                keys_.supply(need.pool_seq);
            }
            catch (lambda_needed const& need)
            {
                runs.triggers.put(need.function, need.event, call_lambda(need, run));
            }
        }
    }

    // A trigger's answer, with no lease held. Without --lambda-endpoint a pool's trigger is never
    // skipped: the call fails, saying so.
    lambda_result call_lambda(lambda_needed const& need, std::size_t run) const;

    // The tokens the call minted are signed once its lease is given back (unsigned_tokens).
    template <class Fn>
    json in_lease(access mode, call_info const& info, call_runs& runs, Fn& fn) const
    {
        unsigned_tokens tokens;
        json output;
        if (mode == access::read)
        {
            auto reader = store_.read();
            output = in_transaction_on(
                *reader, storage::transaction_mode::deferred, info, tokens, runs, fn
            );
        }
        else
        {
            auto writer = store_.write();
            output = in_transaction_on(
                *writer, storage::transaction_mode::immediate, info, tokens, runs, fn
            );
        }
        tokens.sign_into(output);
        return output;
    }

public:
    // Throws std::logic_error when an operation in the table is not in the model.
    dispatcher(
        schema::service_model const& model,
        storage::store& store,
        clock const& clock,
        id_source& ids,
        key_stock& keys,
        std::string default_region,
        std::string account_id,
        mail_sink* mail = nullptr,
        lambda_invoker const* lambda = nullptr
    );

    // Runs one operation. Throws aws_error for every AWS-visible failure.
    json invoke(std::string_view operation, json const& input, call_info const& info) const;

    bool implements(std::string_view operation) const { return operations_.contains(operation); }

    // Runs fn in one transaction, as invoke() runs a handler; for the
    // routes that are not AWS operations (jwks.json, openid-configuration).
    json
    run(access mode,
        call_info const& info,
        json (*fn)(request_context&, std::string const&),
        std::string const& arg) const;
    // The same for a function of the context alone (the OAuth 2.0 endpoints).
    json
    run(access mode, call_info const& info, std::function<json(request_context&)> const& fn) const;
    storage::store& store() const noexcept { return store_; }
    key_stock& keys() const noexcept { return keys_; }
};

} // namespace cognitod
