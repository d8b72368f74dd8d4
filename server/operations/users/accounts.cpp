#include "server/operations/users/accounts.hpp"

#include "server/auth/passwords.hpp"
#include "server/operations/common.hpp"
#include "server/operations/users/delivery.hpp"

namespace cognitod
{

namespace
{

std::optional<storage::user>
named_user(request_context& ctx, client_and_pool const& target, json const& input)
{
    auto const username = input.at("Username").get<std::string>();
    check_secret_hash(target.client, username, parameter(input, "SecretHash"));
    return find_user(ctx, target.pool, username);
}

} // namespace

std::optional<storage::user> account_user(
    request_context& ctx, client_and_pool const& target, json const& input, hidden_user hidden
)
{
    auto u = named_user(ctx, target, input);
    if (u)
    {
        return u;
    }
    if (!prevents_existence_errors(target.client))
    {
        throw errors::user_not_found("Username/client id combination not found.");
    }
    if (hidden == hidden_user::code_mismatch)
    {
        throw errors::code_mismatch("Invalid verification code provided, please try again.");
    }
    return std::nullopt;
}

json simulated_delivery(std::string const& username)
{
    if (!username.empty() && username.front() == '+')
    {
        return code_delivery_details({"SMS", "phone_number", username});
    }
    auto const address =
        username.find('@') != std::string::npos ? username : username + "@" + username;
    return code_delivery_details({"EMAIL", "email", address});
}

void set_password(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user& u,
    std::string const& password
)
{
    if (auto why = auth::policy_violation(password_policy(pool), password))
    {
        throw errors::invalid_password("Password does not conform to policy: " + *why);
    }
    auto const stored = auth::store_password(pool.id, u.username, password, ctx.ids);
    u.password_salt = stored.salt;
    u.password_verifier = stored.verifier;
    if (u.status == "RESET_REQUIRED" || u.status == "FORCE_CHANGE_PASSWORD")
    {
        u.status = "CONFIRMED";
    }
    u.last_modified = ctx.now_ms;
    ctx.store.update_user(u);
    ctx.store.delete_code(u.id, "TEMPORARY_PASSWORD");
}

} // namespace cognitod
