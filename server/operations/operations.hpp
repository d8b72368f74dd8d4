// What every operation handler sees, and the tables that register them.
#pragma once

#include "server/aws_error.hpp"
#include "server/ids.hpp"
#include "server/key_stock.hpp"
#include "server/unsigned_tokens.hpp"
#include "storage/store.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cognitod
{

class trigger_answers;

// All a handler may touch. Built per request by the dispatcher: a transaction is open on store for
// the whole call (on the writer, under the store's lock, for a write; on a reader for a read).
struct request_context
{
    storage::queries& store;
    id_source& ids;
    key_stock& keys;
    unsigned_tokens& tokens; // signed by the dispatcher once the transaction has ended
    std::int64_t now_ms = 0; // one instant per request
    std::string region;      // from the SigV4 scope, else the configured default
    std::string account_id;
    std::string request_id;
    std::string source_ip;
    std::string issuer_base; // "http://<Host>" of the request: token issuers are built on it
    // The emails the call put in the outbox: handed to the mailer (--smtp) once it has committed.
    std::vector<storage::message> emails{};
    // The triggers' answers earlier runs of the call received (operations/triggers); null where
    // triggers are not called (seeds).
    trigger_answers const* triggers = nullptr;
};

// A failure whose writes must stand: a wrong code counts against the code's attempts though the
// call fails. The dispatcher commits what the handler wrote, then answers error.
struct committed_error
{
    aws_error error;
};

using json = nlohmann::json;
using handler_fn = json (*)(request_context&, json const&);

enum class access
{
    read,  // BEGIN DEFERRED
    write, // BEGIN IMMEDIATE
};

struct operation_entry
{
    std::string_view name; // the wire name: "AdminForgetDevice"
    handler_fn handler = nullptr;
    access mode = access::read;
};

// One table per family, in server/operations/<family>.cpp.
std::vector<operation_entry> user_pool_operations();
std::vector<operation_entry> user_operations();
std::vector<operation_entry> device_operations();
std::vector<operation_entry> user_device_operations();
std::vector<operation_entry> client_operations();
std::vector<operation_entry> auth_operations();
std::vector<operation_entry> session_operations();
std::vector<operation_entry> mfa_operations();
std::vector<operation_entry> group_operations();
std::vector<operation_entry> tag_operations();
std::vector<operation_entry> self_service_operations();
std::vector<operation_entry> sign_up_operations();
std::vector<operation_entry> recovery_operations();
std::vector<operation_entry> verification_operations();
std::vector<operation_entry> oauth_object_operations();
std::vector<operation_entry> identity_provider_operations();
std::vector<operation_entry> ui_customization_operations();

// Every implemented operation.
std::vector<operation_entry> make_operations();

} // namespace cognitod
