// App client creation shared by CreateUserPoolClient and the seed.
#pragma once

#include "server/operations/operations.hpp"

#include <optional>
#include <string>

namespace cognitod
{

// Applies CreateUserPoolClient's rules and AWS's defaults and inserts the client, with fixed_id
// when given (the seed's ClientId), else 26 fresh [0-9a-z].
storage::app_client create_client(
    request_context& ctx,
    storage::user_pool const& pool,
    json const& input,
    std::optional<std::string> const& fixed_id
);

} // namespace cognitod
