// What a signed-in user does to their own account with an access token: ChangePassword,
// DeleteUserAttributes, DeleteUser; and AdminDeleteUserAttributes, AddCustomAttributes.
#include "server/auth/passwords.hpp"
#include "server/operations/common.hpp"
#include "server/operations/pools/pool_schema.hpp"
#include "server/operations/sign_in/sign_in.hpp"
#include "server/operations/users/accounts.hpp"

#include <algorithm>

namespace cognitod
{

namespace
{

// Removes the named attributes; a removed email or phone number takes its _verified flag with it,
// since nothing is left for it to speak of.
void delete_attributes(
    request_context& ctx, storage::user_pool const& pool, storage::user u, json const& names
)
{
    check_deletable(*pool.settings, names);
    auto attributes = u.attributes;
    for (auto const& entry : names)
    {
        auto const name = entry.get<std::string>();
        std::erase_if(
            attributes,
            [&](storage::attribute const& a)
            {
                return a.name == name || ((name == "email" || name == "phone_number") &&
                                          a.name == name + "_verified");
            }
        );
    }
    ctx.store.replace_attributes(u.id, attributes);
    u.last_modified = ctx.now_ms;
    ctx.store.update_user(u);
}

json change_password(request_context& ctx, json const& input)
{
    auto owner = authenticate(ctx, input.at("AccessToken").get<std::string>());
    auto& u = owner.user;
    // A user who has a password proves it; one without (none set yet) may set one.
    if (!u.password_verifier.empty())
    {
        auto const previous = input.value("PreviousPassword", std::string{});
        if (previous.empty() ||
            !auth::password_matches(
                {u.password_salt, u.password_verifier}, owner.pool.id, u.username, previous
            ))
        {
            throw errors::not_authorized("Incorrect username or password.");
        }
    }
    set_password(ctx, owner.pool, u, input.at("ProposedPassword").get<std::string>());
    return json::object();
}

json delete_user_attributes(request_context& ctx, json const& input)
{
    auto const owner = authenticate(ctx, input.at("AccessToken").get<std::string>());
    delete_attributes(ctx, owner.pool, owner.user, input.at("UserAttributeNames"));
    return json::object();
}

json admin_delete_user_attributes(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const u = require_user(ctx, pool, input.at("Username").get<std::string>());
    delete_attributes(ctx, pool, u, input.at("UserAttributeNames"));
    return json::object();
}

json delete_user(request_context& ctx, json const& input)
{
    auto const owner = authenticate(ctx, input.at("AccessToken").get<std::string>());
    ctx.store.delete_user(owner.user.id);
    return json::object();
}

json add_custom_attributes(request_context& ctx, json const& input)
{
    auto pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto& settings = pool.settings.edit();
    for (auto const& given : input.at("CustomAttributes"))
    {
        add_custom_attribute(settings["SchemaAttributes"], given);
    }
    pool.last_modified = ctx.now_ms;
    ctx.store.update_user_pool(pool);
    return json::object();
}

} // namespace

std::vector<operation_entry> self_service_operations()
{
    return {
        {"ChangePassword", &change_password, access::write},
        {"DeleteUserAttributes", &delete_user_attributes, access::write},
        {"AdminDeleteUserAttributes", &admin_delete_user_attributes, access::write},
        {"DeleteUser", &delete_user, access::write},
        {"AddCustomAttributes", &add_custom_attributes, access::write},
    };
}

} // namespace cognitod
