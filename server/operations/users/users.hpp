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
    // SignUp: the user starts UNCONFIRMED, and a password that breaks the policy is refused in
    // SignUp's words.
    bool signed_up = false;
    // UserMigration: the password the legacy store accepted stands, whatever the pool's policy.
    bool migrated = false;
};

// Applies AdminCreateUser's rules (sign-in names, schema, password policy, uniqueness, aliases)
// and inserts the user. Throws aws_error as AdminCreateUser answers.
storage::user
create_user(request_context& ctx, storage::user_pool const& pool, new_user const& spec);

// Refuses (AliasExistsException "An account with the given email already exists.") an email or
// phone number in attributes that is a username attribute, or a verified alias, when another user
// of the pool than self_id holds it as the same.
void check_alias_free(
    request_context& ctx,
    storage::user_pool const& pool,
    std::vector<storage::attribute> const& attributes,
    std::int64_t self_id
);

// Writes the {Name, Value}s given to the user's attributes, as AdminUpdateUserAttributes and
// UpdateUserAttributes do. A changed email or phone number is unverified (unless its _verified is
// given too), and gets a code where the pool auto-verifies it; where the pool's
// AttributesRequireVerificationBeforeUpdate names it and the old value is verified, the old value
// stays until the code comes back. Returns the CodeDeliveryDetails list.
json update_attributes(
    request_context& ctx, storage::user_pool const& pool, storage::user u, json const& given
);

// UserType: {Username, Attributes, UserCreateDate, UserLastModifiedDate, Enabled, UserStatus}.
json user_type(storage::user const& u, char const* attributes_member = "Attributes");

} // namespace cognitod
