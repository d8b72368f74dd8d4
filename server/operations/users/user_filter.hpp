// ListUsers' Filter: `name = "value"` or `name ^= "value"` on one searchable attribute.
#pragma once

#include "storage/records.hpp"

#include <optional>
#include <string_view>

namespace cognitod
{

// nullopt for an empty filter (list everyone). Throws InvalidParameterException
// "Error while parsing filter." for anything else that is not a valid filter.
std::optional<storage::user_filter> parse_user_filter(std::string_view text);

} // namespace cognitod
