// Groups: the operations, and the claims a member's tokens carry.
#pragma once

#include "server/operations/operations.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cognitod
{

// The pool's group of that name, in any case; nullopt when it has none.
std::optional<storage::group>
find_group(request_context& ctx, storage::user_pool const& pool, std::string_view name);

// CreateGroup's work once input is valid: GroupExistsException when the name is taken.
storage::group make_group(request_context& ctx, storage::user_pool const& pool, json const& input);

// cognito:groups (ID and access tokens): the user's group names, best precedence first; empty
// when the user is in none.
// cognito:roles and cognito:preferred_role (ID token): every role of those groups, and the one of
// the best-ranked groups that have a role, when they agree on it.
struct group_claims
{
    std::vector<std::string> groups;
    std::vector<std::string> roles;
    std::optional<std::string> preferred_role;
};
group_claims claims_for_groups(request_context& ctx, std::int64_t user_id);

} // namespace cognitod
