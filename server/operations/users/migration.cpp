// UserMigration: a user the pool does not have yet, brought in from a legacy store by the pool's
// function at sign-in or at ForgotPassword.
#include "server/operations/common.hpp"
#include "server/operations/sign_in/sign_in.hpp"
#include "server/operations/triggers/triggers.hpp"
#include "server/operations/users/users.hpp"

namespace cognitod
{

std::optional<storage::user> migrate_user(
    request_context& ctx,
    client_and_pool const& target,
    std::string const& username,
    std::string const& source,
    std::optional<std::string> const& password
)
{
    auto const answer =
        user_migration(ctx, target.pool, username, target.client.id, source, password);
    if (!answer)
    {
        return std::nullopt;
    }
    auto const refused = [&] {
        return errors::user_not_found("Exception migrating user in app client " + target.client.id);
    };
    auto const attributes = answer->find("userAttributes");
    if (attributes == answer->end() || !attributes->is_object())
    {
        throw refused();
    }
    new_user spec;
    spec.username = username;
    for (auto const& [name, value] : attributes->items())
    {
        // A function may answer email_verified as true rather than "true".
        spec.attributes.push_back(
            {{"Name", name}, {"Value", value.is_string() ? value.get<std::string>() : value.dump()}}
        );
    }
    spec.password = password;
    spec.kind = password_kind::permanent;
    spec.migrated = true;
    spec.force_alias_creation = answer->value("forceAliasCreation", json(false)) == true;
    auto u = create_user(ctx, target.pool, spec);
    // Without the password (ForgotPassword), the user must set one; RESET_REQUIRED asks it of a
    // user who signed in with theirs.
    auto const status = answer->value("finalUserStatus", json());
    if (!password || status == "RESET_REQUIRED")
    {
        u.status = "RESET_REQUIRED";
        ctx.store.update_user(u);
    }
    return u;
}

} // namespace cognitod
