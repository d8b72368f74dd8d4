// Pool creation shared by CreateUserPool and the seed.
#pragma once

#include "server/operations/operations.hpp"

#include <optional>
#include <string>

namespace cognitod
{

// Validates CreateUserPool's business rules, fills AWS's defaults and inserts the pool, with
// fixed_id when given (the seed's Id), else a fresh <region>_<9 alphanumerics>.
storage::user_pool
create_pool(request_context& ctx, json const& input, std::optional<std::string> const& fixed_id);

// The UserPool member of DescribeUserPool.
json describe_pool(request_context& ctx, storage::user_pool const& pool);

} // namespace cognitod
