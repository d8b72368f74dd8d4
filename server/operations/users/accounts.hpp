// What the unauthenticated account calls (sign-up, confirmation, recovery) share: the user a call
// names, PreventUserExistenceErrors, and setting a new password.
#pragma once

#include "server/operations/sign_in/sign_in.hpp"

#include <optional>
#include <string>

namespace cognitod
{

// How a call answers for a user who does not exist when the client hides existence.
enum class hidden_user
{
    delivery,      // as if a code went out: account_user returns nullopt (simulated_delivery)
    code_mismatch, // as if the code were wrong: CodeMismatchException
};

// The user the input's Username names, after its SecretHash is checked, or
// UserNotFoundException "Username/client id combination not found.";
// where the client hides existence, as hidden says.
std::optional<storage::user> account_user(
    request_context& ctx, client_and_pool const& target, json const& input, hidden_user hidden
);

// CodeDeliveryDetails for a user who does not exist, where existence must not show: shaped as a
// real one (an email for a name with @, an SMS for one starting with +, else an email).
json simulated_delivery(std::string const& username);

// Sets the user's password after the pool's policy allows it (InvalidPasswordException "Password
// does not conform to policy: ..."). A user waiting on a reset or with a temporary password is
// CONFIRMED after it.
void set_password(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user& u,
    std::string const& password
);

} // namespace cognitod
