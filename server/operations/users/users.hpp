// User creation shared by AdminCreateUser and the seed, and the User shapes on the wire.
#pragma once

#include "server/operations/operations.hpp"

#include <optional>
#include <string>

namespace cognitod
{

enum class password_kind
{
    temporary, // FORCE_CHANGE_PASSWORD
    permanent, // CONFIRMED
};

struct new_user
{
    std::string username;
    json attributes = json::array(); // [{Name, Value}]
    std::optional<std::string> password;
    password_kind kind = password_kind::temporary;
    bool enabled = true;
    bool force_alias_creation = false;
};

// Applies AdminCreateUser's rules (sign-in names, schema, password policy, uniqueness, aliases)
// and inserts the user. Throws aws_error as AdminCreateUser answers.
storage::user
create_user(request_context& ctx, storage::user_pool const& pool, new_user const& spec);

// UserType: {Username, Attributes, UserCreateDate, UserLastModifiedDate, Enabled, UserStatus}.
json user_type(storage::user const& u, char const* attributes_member = "Attributes");

} // namespace cognitod
