// CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup, AdminAddUserToGroup,
// AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup.
#include "server/operations/groups/groups.hpp"

#include "server/auth/encoding.hpp"
#include "server/operations/common.hpp"
#include "server/operations/users/users.hpp"

#include <algorithm>
#include <functional>
#include <limits>

namespace cognitod
{

namespace
{

// Names that differ only in case are one group.
std::string group_key(std::string_view name)
{
    return auth::ascii_lower(name);
}

storage::group
require_group(request_context& ctx, storage::user_pool const& pool, std::string const& group_name)
{
    auto found = find_group(ctx, pool, group_name);
    if (!found)
    {
        throw errors::group_not_found();
    }
    return std::move(*found);
}

json group_type(storage::user_pool const& pool, storage::group const& g)
{
    json out = json::object();
    out["GroupName"] = g.name;
    out["UserPoolId"] = pool.id;
    if (g.description)
    {
        out["Description"] = *g.description;
    }
    if (g.role_arn)
    {
        out["RoleArn"] = *g.role_arn;
    }
    if (g.precedence)
    {
        out["Precedence"] = *g.precedence;
    }
    out["LastModifiedDate"] = epoch_seconds(g.last_modified);
    out["CreationDate"] = epoch_seconds(g.created);
    return out;
}

// What CreateGroup and UpdateGroup set: each member given; UpdateGroup keeps what it omits.
void apply_members(storage::group& g, json const& input)
{
    if (auto it = input.find("Description"); it != input.end() && it->is_string())
    {
        g.description = it->get<std::string>();
    }
    if (auto it = input.find("RoleArn"); it != input.end() && it->is_string())
    {
        g.role_arn = it->get<std::string>();
    }
    if (auto it = input.find("Precedence"); it != input.end() && it->is_number_integer())
    {
        g.precedence = it->get<std::int64_t>();
    }
}

json create_group(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    return {{"Group", group_type(pool, make_group(ctx, pool, input))}};
}

json get_group(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const g = require_group(ctx, pool, input.at("GroupName").get<std::string>());
    return {{"Group", group_type(pool, g)}};
}

json groups_page(
    request_context const& ctx,
    json const& input,
    storage::user_pool const& pool,
    std::string const& kind,
    std::function<std::vector<storage::group>(std::int64_t, std::size_t)> const& fetch
)
{
    return one_page(
        ctx,
        input,
        {kind, "Limit", 60},
        "Groups",
        fetch,
        [](storage::group const& g) { return g.seq; },
        [&](storage::group const& g) { return group_type(pool, g); }
    );
}

json list_groups(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    return groups_page(
        ctx,
        input,
        pool,
        "groups." + std::to_string(pool.seq),
        [&](std::int64_t after, std::size_t count)
        { return ctx.store.list_groups(pool.seq, after, count); }
    );
}

json update_group(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto g = require_group(ctx, pool, input.at("GroupName").get<std::string>());
    apply_members(g, input);
    g.last_modified = ctx.now_ms;
    ctx.store.update_group(g);
    return {{"Group", group_type(pool, g)}};
}

json delete_group(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const g = require_group(ctx, pool, input.at("GroupName").get<std::string>());
    ctx.store.delete_group(g.seq);
    return json::object();
}

json admin_add_user_to_group(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const u = require_user(ctx, pool, input.at("Username").get<std::string>());
    auto const g = require_group(ctx, pool, input.at("GroupName").get<std::string>());
    ctx.store.add_group_member(g.seq, u.id);
    return json::object();
}

json admin_remove_user_from_group(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const u = require_user(ctx, pool, input.at("Username").get<std::string>());
    auto const g = require_group(ctx, pool, input.at("GroupName").get<std::string>());
    ctx.store.remove_group_member(g.seq, u.id);
    return json::object();
}

json admin_list_groups_for_user(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const u = require_user(ctx, pool, input.at("Username").get<std::string>());
    return groups_page(
        ctx,
        input,
        pool,
        "user-groups." + std::to_string(u.id),
        [&](std::int64_t after, std::size_t count)
        { return ctx.store.groups_of_user(u.id, after, count); }
    );
}

json list_users_in_group(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const g = require_group(ctx, pool, input.at("GroupName").get<std::string>());
    return one_page(
        ctx,
        input,
        {"group-users." + std::to_string(g.seq), "Limit", 60},
        "Users",
        [&](std::int64_t after, std::size_t count)
        { return ctx.store.group_members(g.seq, after, count); },
        [](storage::user const& u) { return u.id; },
        [](storage::user const& u) { return user_type(u); }
    );
}

// Precedence as a rank: a group without one ranks after every group with one.
std::int64_t rank(storage::group const& g)
{
    return g.precedence.value_or(std::numeric_limits<std::int64_t>::max());
}

} // namespace

std::optional<storage::group>
find_group(request_context& ctx, storage::user_pool const& pool, std::string_view name)
{
    return ctx.store.find_group(pool.seq, group_key(name));
}

storage::group make_group(request_context& ctx, storage::user_pool const& pool, json const& input)
{
    storage::group g;
    g.pool_seq = pool.seq;
    g.name = input.at("GroupName").get<std::string>();
    g.name_key = group_key(g.name);
    if (ctx.store.find_group(pool.seq, g.name_key))
    {
        throw errors::group_exists();
    }
    apply_members(g, input);
    g.created = ctx.now_ms;
    g.last_modified = ctx.now_ms;
    g.seq = ctx.store.insert_group(g);
    return g;
}

group_claims claims_for_groups(request_context& ctx, std::int64_t user_id)
{
    // A user is in at most 100 groups on Cognito; read them all.
    auto groups = ctx.store.groups_of_user(user_id, 0, std::numeric_limits<std::int32_t>::max());
    std::stable_sort(
        groups.begin(),
        groups.end(),
        [](storage::group const& a, storage::group const& b) { return rank(a) < rank(b); }
    );
    group_claims out;
    std::optional<std::int64_t> best_rank;
    bool agreed = true;
    for (auto const& g : groups)
    {
        out.groups.push_back(g.name);
        if (!g.role_arn)
        {
            continue;
        }
        if (std::find(out.roles.begin(), out.roles.end(), *g.role_arn) == out.roles.end())
        {
            out.roles.push_back(*g.role_arn);
        }
        // The best-ranked groups with a role: their role, unless two of them differ.
        if (!best_rank)
        {
            best_rank = rank(g);
            out.preferred_role = g.role_arn;
        }
        else if (rank(g) == *best_rank && *g.role_arn != *out.preferred_role)
        {
            agreed = false;
        }
    }
    if (!agreed)
    {
        out.preferred_role.reset();
    }
    return out;
}

std::vector<operation_entry> group_operations()
{
    return {
        {"CreateGroup", &create_group, access::write},
        {"GetGroup", &get_group, access::read},
        {"ListGroups", &list_groups, access::read},
        {"UpdateGroup", &update_group, access::write},
        {"DeleteGroup", &delete_group, access::write},
        {"AdminAddUserToGroup", &admin_add_user_to_group, access::write},
        {"AdminRemoveUserFromGroup", &admin_remove_user_from_group, access::write},
        {"AdminListGroupsForUser", &admin_list_groups_for_user, access::read},
        {"ListUsersInGroup", &list_users_in_group, access::read},
    };
}

} // namespace cognitod
