// The query string of a request target: what the control endpoints and the console read from
// ?token=, ?pool=, ?since=; and the forms and redirects of the OAuth 2.0 endpoints. Stateless.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace cognitod
{

// A target's ?a=b&c=d as a JSON object of strings (percent-decoded; '+' is a space).
nlohmann::json query_parameters(std::string_view target);
// An application/x-www-form-urlencoded body (a=b&c=d), read the same way.
nlohmann::json form_parameters(std::string_view text);
// The string members of an object as a=b&c=d, percent-encoded (RFC 3986), in the object's order.
std::string form_encode(nlohmann::json const& parameters);

} // namespace cognitod
