// The web console at /_cognitod/ui: its embedded page, style sheet and script, the state it shows
// (pools → users → devices, with a version to poll) and the one change it makes (forgetting a
// device through AdminForgetDevice). Stateless functions over the app's services; thread-safe as
// those services are.
#pragma once

#include "server/app_services.hpp"
#include "server/aws_json.hpp"

#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace cognitod
{

namespace console
{

// The files of server/ui/ as {name, content}, embedded at build time by cmake/embed.cmake.
std::span<std::pair<std::string_view, std::string_view> const> embedded_assets();

// rest is the path after /_cognitod/ui: "", "/", "/console.js", "/api/state".

// True for the page itself, the one path that may carry the control token as ?token=.
bool is_page(std::string_view rest);
// True for the style sheet and the script: the same in every binary and free of state, so they
// are served without the token (a <script src> cannot send a header).
bool is_public_asset(std::string_view rest);

// Answers one request under /_cognitod/ui, once the control switches have let it through.
// Throws aws_error from AdminForgetDevice, as the AWS endpoint would answer it.
aws_json::response handle(
    app_services const& services,
    aws_json::request const& req,
    std::string const& request_id,
    std::string_view rest
);

} // namespace console
} // namespace cognitod
