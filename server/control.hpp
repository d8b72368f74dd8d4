// cognitod's own endpoints under /_cognitod/: health, reset, seed, messages (the outbox),
// faults and the web console (ui, in console.hpp). Stateless functions over the app's services;
// thread-safe as those services are.
#pragma once

#include "server/aws_json.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cognitod
{

struct app_services;

// Who may use the control endpoints: nobody (enabled false), anyone, or holders of the token; and
// under which names besides loopback and the address a connection arrived on (control_access.hpp).
struct control_settings
{
    bool enabled = true;
    std::string token;                        // empty: no token needed
    std::vector<std::string> allowed_hosts{}; // --allowed-hosts
};

// A target's ?a=b&c=d as a JSON object of strings (percent-decoded; '+' is a space).
nlohmann::json query_parameters(std::string_view target);

// Answers one request whose path starts with /_cognitod/. local_address is where the connection
// arrived ("127.0.0.1:9229"), one of the names the Host may give.
aws_json::response handle_control(
    app_services const& services,
    aws_json::request const& req,
    std::string const& request_id,
    std::string_view local_address
);

} // namespace cognitod
