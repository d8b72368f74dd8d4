// What the app and the handlers of /_cognitod/ (control, console) work with: the services built
// once in main (or in a test), outliving the app. Below app, control and console, so that each of
// them can take the services without including the others.
#pragma once

#include "server/auth/sigv4.hpp"
#include "server/dispatcher.hpp"
#include "server/logger.hpp"

#include <string>
#include <vector>

namespace cognitod
{

class fault_rules;
class throttle;

// Who may use the control endpoints: nobody (enabled false), anyone, or holders of the token; and
// under which names besides loopback and the address a connection arrived on (control_access.hpp).
struct control_settings
{
    bool enabled = true;
    std::string token;                        // empty: no token needed
    std::vector<std::string> allowed_hosts{}; // --allowed-hosts
};

// Everything the app needs, built once in main (or in a test) and outliving the app.
struct app_services
{
    schema::service_model const& model;
    storage::store& store;
    dispatcher const& calls;
    clock const& time;
    id_source& ids;
    logger const& log;
    std::string region;
    std::string account_id;
    // The optional stages of a call, each thread-safe on its own; null where switched off.
    auth::sigv4::credential_set const* credentials = nullptr; // --auth sigv4
    fault_rules* faults = nullptr;                            // /_cognitod/faults
    throttle* limiter = nullptr;                              // --throttle aws
    shifted_clock* state_clock = nullptr;                     // /_cognitod/clock
    control_settings control{};
};

} // namespace cognitod
