// SignUp, ConfirmSignUp, ResendConfirmationCode and AdminConfirmSignUp: a user who signs
// themselves up starts UNCONFIRMED and is confirmed by the code sent to the attribute the pool
// auto-verifies, or by an administrator.
#include "server/operations/common.hpp"
#include "server/operations/triggers/triggers.hpp"
#include "server/operations/users/accounts.hpp"
#include "server/operations/users/delivery.hpp"
#include "server/operations/users/users.hpp"

#include <algorithm>

namespace cognitod
{

namespace
{

// Sets an attribute (a _verified flag) to "true".
void set_true(std::vector<storage::attribute>& attributes, std::string const& name)
{
    auto it = std::find_if(
        attributes.begin(), attributes.end(), [&](auto const& a) { return a.name == name; }
    );
    if (it == attributes.end())
    {
        attributes.push_back({name, "true"});
    }
    else
    {
        it->value = "true";
    }
}

// Confirms an UNCONFIRMED user: their status, and the attribute the code went to as verified.
// Without force, a verified alias another user holds is AliasExistsException; with it, the alias
// moves to this user and the other loses it (its _verified goes false).
void confirm(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user u,
    std::optional<std::string> const& verified_attribute,
    bool force
)
{
    auto attributes = u.attributes;
    if (verified_attribute)
    {
        auto const flag = *verified_attribute + "_verified";
        set_true(attributes, flag);
        auto const value = u.attribute_value(*verified_attribute);
        if (force && value)
        {
            for (auto const& other : users_with_attribute(ctx, pool, *verified_attribute, *value))
            {
                if (other.id != u.id && other.attribute_value(flag) == "true")
                {
                    auto moved = other.attributes;
                    for (auto& a : moved)
                    {
                        if (a.name == flag)
                        {
                            a.value = "false";
                        }
                    }
                    ctx.store.replace_attributes(other.id, moved);
                }
            }
        }
        else
        {
            check_alias_free(ctx, pool, attributes, u.id);
        }
    }
    ctx.store.replace_attributes(u.id, attributes);
    u.status = "CONFIRMED";
    u.last_modified = ctx.now_ms;
    ctx.store.update_user(u);
}

aws_error cannot_confirm(storage::user const& u)
{
    return errors::not_authorized("User cannot be confirmed. Current status is " + u.status);
}

json sign_up(request_context& ctx, json const& input)
{
    auto const target = require_client(ctx, input.at("ClientId").get<std::string>());
    auto const& pool = target.pool;
    auto const username = input.at("Username").get<std::string>();
    check_secret_hash(target.client, username, parameter(input, "SecretHash"));
    auto const admin = pool.settings->value("AdminCreateUserConfig", json::object());
    if (admin.value("AllowAdminCreateUserOnly", false))
    {
        throw errors::not_authorized("SignUp is not permitted for this user pool");
    }
    auto password = parameter(input, "Password");
    if (!password)
    {
        // The model leaves Password optional for pools that sign in without one (passwordless,
        // not offered here); every other pool needs it.
        throw errors::invalid_parameter(
            "A password is required: the user pool does not allow passwordless sign-in."
        );
    }
    bool const named_by_attribute =
        !pool.settings->value("UsernameAttributes", json::array()).empty();
    // PreSignUp may refuse, or confirm the user and verify their email and phone number.
    auto const pre = pre_sign_up_event("PreSignUp_SignUp", username, target.client.id, input);
    auto const answer = call_trigger(ctx, pool, pre);
    new_user spec;
    spec.username = username;
    spec.attributes = list_member(input, "UserAttributes");
    spec.password = std::move(password);
    spec.signed_up = true;
    // An alias is claimed when the user is confirmed (ConfirmSignUp); an email or phone number
    // that is the username must be free now.
    spec.force_alias_creation = !named_by_attribute;
    storage::user u;
    try
    {
        u = create_user(ctx, pool, spec);
    }
    catch (aws_error const& e)
    {
        if (e.code() == "UsernameExistsException" || e.code() == "AliasExistsException")
        {
            if (named_by_attribute)
            {
                auto const what =
                    username.find('@') != std::string::npos ? "email" : "phone_number";
                throw errors::username_exists(
                    std::string{"An account with the given "} + what + " already exists."
                );
            }
            throw errors::username_exists("User already exists");
        }
        throw;
    }
    if (answer && answer->value("autoConfirmUser", false) == true)
    {
        auto const flag = [&](char const* member) { return answer->value(member, false) == true; };
        confirm(
            ctx,
            pool,
            u,
            flag("autoVerifyEmail") && u.attribute_value("email")
                ? std::optional<std::string>{"email"}
                : std::nullopt,
            false
        );
        if (flag("autoVerifyPhone") && u.attribute_value("phone_number"))
        {
            auto attributes = ctx.store.find_user_by_id(u.id).value().attributes;
            set_true(attributes, "phone_number_verified");
            ctx.store.replace_attributes(u.id, attributes);
        }
        return {{"UserConfirmed", true}, {"UserSub", u.sub}};
    }
    json out{{"UserConfirmed", false}, {"UserSub", u.sub}};
    if (auto to = sign_up_channel(pool, u))
    {
        out["CodeDeliveryDetails"] =
            send_code(ctx, pool, u, *to, "SIGN_UP", "SIGN_UP", sign_up_code_ms, to->attribute);
    }
    return out;
}

json confirm_sign_up(request_context& ctx, json const& input)
{
    auto const target = require_client(ctx, input.at("ClientId").get<std::string>());
    auto const u = account_user(ctx, target, input, hidden_user::code_mismatch);
    if (u->status != "UNCONFIRMED")
    {
        throw cannot_confirm(*u);
    }
    auto const code = use_code(ctx, *u, "SIGN_UP", input.at("ConfirmationCode").get<std::string>());
    confirm(ctx, target.pool, *u, code.pending_value, input.value("ForceAliasCreation", false));
    post_confirmation(
        ctx, target.pool, u->id, "PostConfirmation_ConfirmSignUp", target.client.id, input
    );
    return json::object();
}

json resend_confirmation_code(request_context& ctx, json const& input)
{
    auto const target = require_client(ctx, input.at("ClientId").get<std::string>());
    auto const u = account_user(ctx, target, input, hidden_user::delivery);
    if (!u)
    {
        return {
            {"CodeDeliveryDetails", simulated_delivery(input.at("Username").get<std::string>())}};
    }
    if (u->status != "UNCONFIRMED")
    {
        throw errors::invalid_parameter("User is already confirmed.");
    }
    auto const to = sign_up_channel(target.pool, *u);
    if (!to)
    {
        throw errors::invalid_parameter(
            "Auto verification not turned on. Please enable auto verification of phone_number or "
            "email."
        );
    }
    return {
        {"CodeDeliveryDetails",
         send_code(
             ctx, target.pool, *u, *to, "SIGN_UP", "RESEND_CODE", sign_up_code_ms, to->attribute
         )}};
}

json admin_confirm_sign_up(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const u = require_user(ctx, pool, input.at("Username").get<std::string>());
    if (u.status != "UNCONFIRMED")
    {
        throw cannot_confirm(u);
    }
    ctx.store.delete_code(u.id, "SIGN_UP");
    // An administrator's confirmation verifies nothing: no code reached any attribute.
    confirm(ctx, pool, u, std::nullopt, false);
    post_confirmation(
        ctx, pool, u.id, "PostConfirmation_ConfirmSignUp", std::string{no_client}, input
    );
    return json::object();
}

} // namespace

std::vector<operation_entry> sign_up_operations()
{
    return {
        {"SignUp", &sign_up, access::write},
        {"ConfirmSignUp", &confirm_sign_up, access::write},
        {"ResendConfirmationCode", &resend_confirmation_code, access::write},
        {"AdminConfirmSignUp", &admin_confirm_sign_up, access::write},
    };
}

} // namespace cognitod
