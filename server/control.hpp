// cognitod's own endpoints under /_cognitod/: health, reset, seed, messages (the outbox),
// faults and the web console (ui, in console.hpp). Stateless functions over the app's services;
// thread-safe as those services are.
#pragma once

#include "server/app_services.hpp"
#include "server/aws_json.hpp"

#include <string>
#include <string_view>

namespace cognitod
{

// Answers one request whose path starts with /_cognitod/. local_address is where the connection
// arrived ("127.0.0.1:9229"), one of the names the Host may give.
aws_json::response handle_control(
    app_services const& services,
    aws_json::request const& req,
    std::string const& request_id,
    std::string_view local_address
);

} // namespace cognitod
