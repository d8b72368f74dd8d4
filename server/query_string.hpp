// The query string of a request target: what the control endpoints and the console read from
// ?token=, ?pool=, ?since=. Stateless.
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

namespace cognitod
{

// A target's ?a=b&c=d as a JSON object of strings (percent-decoded; '+' is a space).
nlohmann::json query_parameters(std::string_view target);

} // namespace cognitod
