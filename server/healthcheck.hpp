// `cognitod --healthcheck`: the client side of GET /_cognitod/health, so that a container's
// HEALTHCHECK needs no shell, curl or wget in the image.
#pragma once

#include "server/config.hpp"

#include <chrono>
#include <string>

namespace cognitod
{

struct health_report
{
    bool healthy = false;
    std::string detail; // one line for the operator: what was asked and what came back
};

// Asks the server that settings describe (its host, with 0.0.0.0 and :: read as loopback, and
// its port) for /_cognitod/health, sending the control token when one is set. Healthy means a
// 200 answer; with --control off the endpoints answer 404 by design, so any HTTP answer from the
// server counts as healthy there. Gives up after timeout.
health_report check_health(config const& settings, std::chrono::milliseconds timeout);

} // namespace cognitod
