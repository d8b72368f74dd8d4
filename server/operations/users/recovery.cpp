// ForgotPassword, ConfirmForgotPassword and AdminResetUserPassword: a code to the channel the
// pool's AccountRecoverySetting chooses, then a new password with it.
#include "server/operations/common.hpp"
#include "server/operations/triggers/triggers.hpp"
#include "server/operations/users/accounts.hpp"
#include "server/operations/users/delivery.hpp"

namespace cognitod
{

namespace
{

json forgot_password(request_context& ctx, json const& input)
{
    auto const target = require_client(ctx, input.at("ClientId").get<std::string>());
    auto const username = input.at("Username").get<std::string>();
    std::optional<storage::user> u;
    if (!find_user(ctx, target.pool, username))
    {
        // A user the pool's UserMigration function brings in must set a password.
        check_secret_hash(target.client, username, parameter(input, "SecretHash"));
        u = migrate_user(ctx, target, username, "_ForgotPassword", std::nullopt);
    }
    if (!u)
    {
        u = account_user(ctx, target, input, hidden_user::delivery);
    }
    if (!u)
    {
        return {{"CodeDeliveryDetails", simulated_delivery(username)}};
    }
    if (!u->enabled)
    {
        throw errors::not_authorized("User is disabled.");
    }
    auto const to = recovery_channel(target.pool, *u);
    return {
        {"CodeDeliveryDetails",
         send_code(
             ctx, target.pool, *u, to, "FORGOT_PASSWORD", "FORGOT_PASSWORD", forgot_password_code_ms
         )}};
}

json confirm_forgot_password(request_context& ctx, json const& input)
{
    auto const target = require_client(ctx, input.at("ClientId").get<std::string>());
    auto u = account_user(ctx, target, input, hidden_user::code_mismatch);
    if (!u->enabled)
    {
        throw errors::not_authorized("User is disabled.");
    }
    // A reset does not stand in for the sign-up confirmation.
    if (u->status == "UNCONFIRMED")
    {
        throw errors::user_not_confirmed();
    }
    use_code(ctx, *u, "FORGOT_PASSWORD", input.at("ConfirmationCode").get<std::string>());
    // A policy refusal below rolls the code's use back with the rest of the call.
    set_password(ctx, target.pool, *u, input.at("Password").get<std::string>());
    post_confirmation(
        ctx, target.pool, u->id, "PostConfirmation_ConfirmForgotPassword", target.client.id, input
    );
    return json::object();
}

json admin_reset_user_password(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto u = require_user(ctx, pool, input.at("Username").get<std::string>());
    if (!u.enabled)
    {
        throw errors::not_authorized("User is disabled.");
    }
    u.status = "RESET_REQUIRED";
    u.last_modified = ctx.now_ms;
    ctx.store.update_user(u);
    // The code goes out when the user has a verified channel; without one, only the status
    // changes, and the user needs an administrator to set a password.
    try
    {
        auto const to = recovery_channel(pool, u);
        send_code(ctx, pool, u, to, "FORGOT_PASSWORD", "FORGOT_PASSWORD", forgot_password_code_ms);
    }
    catch (aws_error const&)
    {
        ctx.store.delete_code(u.id, "FORGOT_PASSWORD");
    }
    return json::object();
}

} // namespace

std::vector<operation_entry> recovery_operations()
{
    return {
        {"ForgotPassword", &forgot_password, access::write},
        {"ConfirmForgotPassword", &confirm_forgot_password, access::write},
        {"AdminResetUserPassword", &admin_reset_user_password, access::write},
    };
}

} // namespace cognitod
