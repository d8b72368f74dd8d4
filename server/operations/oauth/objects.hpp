// The objects a pool's OAuth 2.0 side is made of: its domains, resource servers and identity
// providers.
#pragma once

#include "server/operations/operations.hpp"

#include <optional>
#include <string>
#include <string_view>

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

// CreateIdentityProvider's work once input is valid: InvalidParameterException for details the
// type needs or a social provider not named as its type, DuplicateProviderException for a name
// the pool has, LimitExceededException past 300.
storage::pool_object
make_identity_provider(request_context& ctx, storage::user_pool const& pool, json const& input);

// pool_objects' kinds (migration 012).
inline constexpr std::string_view resource_server_kind = "resource_server";
inline constexpr std::string_view identity_provider_kind = "identity_provider";
inline constexpr std::string_view ui_customization_kind = "ui_customization";

// Inserts a new object of the pool: created and last modified now.
storage::pool_object add_pool_object(
    request_context& ctx,
    storage::user_pool const& pool,
    std::string_view kind,
    std::string name,
    std::string body
);

// The pool's identity provider that lists identifier in its IdpIdentifiers, if any.
std::optional<storage::pool_object> provider_by_identifier(
    request_context& ctx, storage::user_pool const& pool, std::string const& identifier
);

} // namespace cognitod
