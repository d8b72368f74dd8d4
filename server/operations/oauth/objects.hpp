// The objects a pool's OAuth 2.0 side is made of: its domains and resource servers.
#pragma once

#include "server/operations/operations.hpp"

namespace cognitod
{

// CreateUserPoolDomain's work once input is valid: InvalidParameterException for a bad prefix or
// host name, a domain any pool has, or a second domain of the same kind for the pool.
storage::pool_domain
make_domain(request_context& ctx, storage::user_pool const& pool, json const& input);

// CreateResourceServer's work once input is valid: InvalidParameterException for an identifier
// the pool has or a scope named twice, LimitExceededException past 25.
storage::pool_object
make_resource_server(request_context& ctx, storage::user_pool const& pool, json const& input);

} // namespace cognitod
