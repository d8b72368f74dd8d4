#include "server/seed.hpp"

#include "schema/validator.hpp"
#include "server/auth/encoding.hpp"
#include "server/json_read.hpp"
#include "server/operations/clients/clients.hpp"
#include "server/operations/common.hpp"
#include "server/operations/devices/devices.hpp"
#include "server/operations/groups/groups.hpp"
#include "server/operations/oauth/objects.hpp"
#include "server/operations/pools/user_pools.hpp"
#include "server/operations/users/users.hpp"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cognitod
{

namespace
{

// "userAttributes.1.member.name" (a validation path) → "UserAttributes[0].Name" (the seed's).
std::string seed_path(std::string_view validation_path)
{
    std::string out;
    std::size_t pos = 0;
    while (pos <= validation_path.size())
    {
        auto const dot = std::min(validation_path.find('.', pos), validation_path.size());
        std::string segment{validation_path.substr(pos, dot - pos)};
        pos = dot + 1;
        if (!segment.empty() && std::isdigit(static_cast<unsigned char>(segment.front())) != 0)
        {
            out += "[" + std::to_string(std::stoll(segment) - 1) + "]";
            if (validation_path.substr(pos).starts_with("member"))
            {
                pos += 7; // skip "member."
            }
            continue;
        }
        if (!segment.empty())
        {
            segment.front() =
                static_cast<char>(std::toupper(static_cast<unsigned char>(segment.front())));
        }
        out += (out.empty() ? "" : ".") + segment;
    }
    return out;
}

class seeder
{
    schema::service_model const& model_;
    request_context& ctx_;
    seed_outcome outcome_;
    // Each user this seed names (by row id, so a name that differs in case in a pool that
    // ignores case, or an alias, counts as the user it finds), with the path that named it first.
    std::unordered_map<std::int64_t, std::string> users_named_;

    [[noreturn]] static void fail(std::string const& path, std::string const& problem)
    {
        throw seed_error(path + ": " + problem);
    }

    // Validates input as the named operation would, reporting each problem under path.
    void validate_as(std::string_view operation, json const& input, std::string const& path) const
    {
        auto const* op = model_.find_operation(operation);
        std::vector<schema::violation> violations;
        try
        {
            violations = schema::validate(*op->input, input);
        }
        catch (schema::type_mismatch const& e)
        {
            fail(path, e.what());
        }
        if (!violations.empty())
        {
            auto const& v = violations.front();
            fail(path + "." + seed_path(v.path), v.constraint);
        }
    }

    static void check_members(
        json const& object,
        std::string const& path,
        std::initializer_list<std::string_view> extra,
        schema::shape const* shape
    )
    {
        if (!object.is_object())
        {
            fail(path, "must be a JSON object");
        }
        for (auto const& [key, value] : object.items())
        {
            bool const known = std::find(extra.begin(), extra.end(), key) != extra.end() ||
                               (shape != nullptr && shape->find_member(key) != nullptr);
            if (!known)
            {
                // NOLINTNEXTLINE(performance-inefficient-string-concatenation): fail() throws
                fail(path + "." + key, "unknown member");
            }
        }
    }

    static json const& list_at(json const& object, std::string_view member, std::string const& path)
    {
        auto const& list = list_member(object, member);
        if (object.contains(member) && !object.at(member).is_array())
        {
            fail(path + "." + std::string{member}, "must be a list");
        }
        return list;
    }

    static std::string
    string_at(json const& object, std::string_view member, std::string const& path)
    {
        auto const it = object.find(member);
        if (it == object.end() || it->is_null())
        {
            return {};
        }
        if (!it->is_string())
        {
            fail(path + "." + std::string{member}, "must be a string");
        }
        return it->get<std::string>();
    }

    template <class Fn> static auto as_seed_error(std::string const& path, Fn&& fn)
    {
        try
        {
            return fn();
        }
        catch (aws_error const& e)
        {
            fail(path, e.code() + ": " + e.what());
        }
    }

    void apply_device(
        storage::user_pool const& pool,
        storage::user const& owner,
        json const& spec,
        std::string const& path
    )
    {
        check_members(
            spec,
            path,
            {"DeviceKey", "DeviceName", "DeviceGroupKey", "DeviceRememberedStatus", "LastIpUsed"},
            nullptr
        );
        auto key = string_at(spec, "DeviceKey", path);
        auto const status = string_at(spec, "DeviceRememberedStatus", path);
        if (!status.empty() && status != "remembered" && status != "not_remembered")
        {
            fail(path + ".DeviceRememberedStatus", "must be remembered or not_remembered");
        }
        if (!key.empty())
        {
            validate_as(
                "AdminGetDevice",
                {{"UserPoolId", pool.id}, {"Username", "x"}, {"DeviceKey", key}},
                path
            );
            if (auto existing = ctx_.store.find_device_by_key(key))
            {
                if (existing->user_id != owner.id)
                {
                    fail(path + ".DeviceKey", "belongs to another user");
                }
                return;
            }
        }
        storage::device d;
        d.key = key.empty() ? make_device_key(ctx_, pool) : key;
        d.user_id = owner.id;
        d.group_key = string_at(spec, "DeviceGroupKey", path);
        if (d.group_key.empty())
        {
            d.group_key = make_device_group_key(ctx_.ids);
        }
        d.name = string_at(spec, "DeviceName", path);
        d.remembered = status != "not_remembered";
        d.confirmed = true;
        d.last_ip = string_at(spec, "LastIpUsed", path);
        d.created = ctx_.now_ms;
        d.last_modified = ctx_.now_ms;
        d.last_authenticated = ctx_.now_ms;
        ctx_.store.insert_device(d);
        ++outcome_.devices_created;
    }

    void apply_user(storage::user_pool const& pool, json const& spec, std::string const& path)
    {
        check_members(
            spec,
            path,
            {"Username",
             "Attributes",
             "Password",
             "TemporaryPassword",
             "Enabled",
             "Status",
             "Groups",
             "Devices"},
            nullptr
        );
        json create{{"UserPoolId", pool.id}, {"Username", spec.value("Username", json())}};
        if (spec.contains("Attributes"))
        {
            create["UserAttributes"] = spec.at("Attributes");
        }
        auto const password = string_at(spec, "Password", path);
        auto const temporary = string_at(spec, "TemporaryPassword", path);
        if (!password.empty() && !temporary.empty())
        {
            fail(path, "give Password or TemporaryPassword, not both");
        }
        if (!password.empty() || !temporary.empty())
        {
            create["TemporaryPassword"] = password.empty() ? temporary : password;
        }
        validate_as("AdminCreateUser", create, path);
        if (spec.contains("Enabled") && !spec.at("Enabled").is_boolean())
        {
            fail(path + ".Enabled", "must be true or false");
        }
        // The state to start in: by default CONFIRMED with a Password, FORCE_CHANGE_PASSWORD
        // without one. UNCONFIRMED (signed up, not confirmed) and RESET_REQUIRED need a Password.
        auto status = string_at(spec, "Status", path);
        if (status.empty())
        {
            status = password.empty() ? "FORCE_CHANGE_PASSWORD" : "CONFIRMED";
        }
        bool const needs_password =
            status == "CONFIRMED" || status == "UNCONFIRMED" || status == "RESET_REQUIRED";
        if (!needs_password && status != "FORCE_CHANGE_PASSWORD")
        {
            fail(
                path + ".Status",
                "must be CONFIRMED, UNCONFIRMED, RESET_REQUIRED or FORCE_CHANGE_PASSWORD"
            );
        }
        if (needs_password == password.empty())
        {
            fail(
                path + ".Status",
                status +
                    (needs_password ? " needs a Password" : " needs a TemporaryPassword or none")
            );
        }
        auto const username = create.at("Username").get<std::string>();
        auto owner = find_user(ctx_, pool, username);
        if (owner)
        {
            // A second entry would be skipped as existing, its password and attributes ignored.
            if (auto const first = users_named_.find(owner->id); first != users_named_.end())
            {
                fail(
                    path + ".Username",
                    "user " + username + " of pool " + pool.id + " is already given at " +
                        first->second
                );
            }
        }
        else
        {
            new_user u;
            u.username = username;
            u.attributes = list_member(create, "UserAttributes");
            if (create.contains("TemporaryPassword"))
            {
                u.password = create.at("TemporaryPassword").get<std::string>();
            }
            u.kind = password.empty() ? password_kind::temporary : password_kind::permanent;
            u.signed_up = status == "UNCONFIRMED";
            u.enabled = spec.value("Enabled", true);
            // A password the policy refuses is reported at the member that holds it.
            auto const password_path =
                path + (password.empty() ? ".TemporaryPassword" : ".Password");
            try
            {
                owner = create_user(ctx_, pool, u);
            }
            catch (aws_error const& e)
            {
                fail(
                    e.code() == "InvalidPasswordException" ? password_path : path,
                    e.code() + ": " + e.what()
                );
            }
            if (status == "RESET_REQUIRED")
            {
                owner->status = status;
                ctx_.store.update_user(*owner);
            }
            ++outcome_.users_created;
        }
        users_named_.emplace(owner->id, path);
        auto const& groups = list_at(spec, "Groups", path);
        for (std::size_t i = 0; i < groups.size(); ++i)
        {
            auto const member_path = path + ".Groups[" + std::to_string(i) + "]";
            if (!groups[i].is_string())
            {
                fail(member_path, "must be a group name");
            }
            auto const name = groups[i].get<std::string>();
            auto const g = find_group(ctx_, pool, name);
            if (!g)
            {
                fail(member_path, "pool " + pool.id + " has no group " + name);
            }
            ctx_.store.add_group_member(g->seq, owner->id);
        }
        auto const& devices = list_at(spec, "Devices", path);
        for (std::size_t i = 0; i < devices.size(); ++i)
        {
            apply_device(pool, *owner, devices[i], path + ".Devices[" + std::to_string(i) + "]");
        }
    }

    void apply_client(storage::user_pool const& pool, json const& spec, std::string const& path)
    {
        auto const* create_shape = model_.find_operation("CreateUserPoolClient")->input;
        check_members(spec, path, {"ClientId"}, create_shape);
        json create = spec;
        create.erase("ClientId");
        create["UserPoolId"] = pool.id;
        validate_as("CreateUserPoolClient", create, path);
        auto const id = string_at(spec, "ClientId", path);
        if (!id.empty())
        {
            validate_as(
                "DescribeUserPoolClient",
                {{"UserPoolId", pool.id}, {"ClientId", id}},
                path + ".ClientId"
            );
            if (auto existing = ctx_.store.find_app_client(id))
            {
                if (existing->pool_seq != pool.seq)
                {
                    fail(path + ".ClientId", "belongs to another pool");
                }
                return;
            }
        }
        else
        {
            // Without a fixed id, a client of the same name in the pool is this one.
            auto const name = create.at("ClientName").get<std::string>();
            for (auto const& c : ctx_.store.list_app_clients(pool.seq, 0, 1000))
            {
                if (c.name == name)
                {
                    return;
                }
            }
        }
        std::optional<std::string> fixed;
        if (!id.empty())
        {
            fixed = id;
        }
        as_seed_error(path, [&] { return create_client(ctx_, pool, create, fixed); });
        ++outcome_.clients_created;
    }

    // A group of that name in the pool, in any case, is this one, left as it is.
    void apply_group(storage::user_pool const& pool, json const& spec, std::string const& path)
    {
        auto const* create_shape = model_.find_operation("CreateGroup")->input;
        check_members(spec, path, {}, create_shape);
        json create = spec;
        create["UserPoolId"] = pool.id;
        validate_as("CreateGroup", create, path);
        if (find_group(ctx_, pool, create.at("GroupName").get<std::string>()))
        {
            return;
        }
        as_seed_error(path, [&] { return make_group(ctx_, pool, create); });
        ++outcome_.groups_created;
    }

    // The pool's prefix domain, unless it has it already.
    void apply_domain(storage::user_pool const& pool, json const& spec, std::string const& path)
    {
        json const create{{"Domain", spec}, {"UserPoolId", pool.id}};
        validate_as("CreateUserPoolDomain", create, path);
        auto const existing = ctx_.store.find_domain(spec.get<std::string>());
        if (existing && existing->pool_seq == pool.seq)
        {
            return;
        }
        as_seed_error(path, [&] { return make_domain(ctx_, pool, create); });
    }

    // A resource server or identity provider, as its Create operation takes it, unless the pool
    // has one of that name (the operation's name_member) already.
    using make_object =
        storage::pool_object (*)(request_context&, storage::user_pool const&, json const&);
    struct object_family
    {
        char const* operation;
        std::string_view kind;
        char const* name_member;
        make_object make;
    };

    void apply_object(
        storage::user_pool const& pool,
        json const& spec,
        std::string const& path,
        object_family const& family
    )
    {
        auto const* create_shape = model_.find_operation(family.operation)->input;
        check_members(spec, path, {}, create_shape);
        json create = spec;
        create["UserPoolId"] = pool.id;
        validate_as(family.operation, create, path);
        auto const name = create.at(family.name_member).get<std::string>();
        if (ctx_.store.find_pool_object(pool.seq, family.kind, name))
        {
            return;
        }
        as_seed_error(path, [&] { return family.make(ctx_, pool, create); });
    }

    void apply_objects(
        storage::user_pool const& pool,
        json const& spec,
        std::string const& path,
        char const* member,
        object_family const& family
    )
    {
        auto const& list = list_at(spec, member, path);
        for (std::size_t i = 0; i < list.size(); ++i)
        {
            apply_object(
                pool, list[i], path + "." + member + "[" + std::to_string(i) + "]", family
            );
        }
    }

    void apply_pool(json const& spec, std::string const& path)
    {
        auto const* create_shape = model_.find_operation("CreateUserPool")->input;
        check_members(
            spec,
            path,
            {"Id", "Users", "Clients", "Groups", "Domain", "ResourceServers", "IdentityProviders"},
            create_shape
        );
        json create = spec;
        for (auto const* member :
             {"Id", "Users", "Clients", "Groups", "Domain", "ResourceServers", "IdentityProviders"})
        {
            create.erase(member);
        }
        validate_as("CreateUserPool", create, path);
        auto const id = string_at(spec, "Id", path);
        if (!id.empty())
        {
            validate_as("DescribeUserPool", {{"UserPoolId", id}}, path + ".Id");
        }
        auto pool =
            id.empty() ? ctx_.store.find_user_pool_by_name(create.at("PoolName").get<std::string>())
                       : ctx_.store.find_user_pool(id);
        if (!pool)
        {
            std::optional<std::string> fixed;
            if (!id.empty())
            {
                fixed = id;
            }
            pool = as_seed_error(path, [&] { return create_pool(ctx_, create, fixed); });
            ++outcome_.pools_created;
        }
        if (auto const domain = spec.find("Domain"); domain != spec.end())
        {
            apply_domain(*pool, *domain, path + ".Domain");
        }
        apply_objects(
            *pool,
            spec,
            path,
            "ResourceServers",
            {"CreateResourceServer", resource_server_kind, "Identifier", &make_resource_server}
        );
        apply_objects(
            *pool,
            spec,
            path,
            "IdentityProviders",
            {"CreateIdentityProvider",
             identity_provider_kind,
             "ProviderName",
             &make_identity_provider}
        );
        auto const& clients = list_at(spec, "Clients", path);
        for (std::size_t i = 0; i < clients.size(); ++i)
        {
            apply_client(*pool, clients[i], path + ".Clients[" + std::to_string(i) + "]");
        }
        auto const& groups = list_at(spec, "Groups", path);
        for (std::size_t i = 0; i < groups.size(); ++i)
        {
            apply_group(*pool, groups[i], path + ".Groups[" + std::to_string(i) + "]");
        }
        auto const& users = list_at(spec, "Users", path);
        for (std::size_t i = 0; i < users.size(); ++i)
        {
            apply_user(*pool, users[i], path + ".Users[" + std::to_string(i) + "]");
        }
    }

public:
    seeder(schema::service_model const& model, request_context& ctx) : model_(model), ctx_(ctx) {}

    seed_outcome run(json const& doc)
    {
        check_members(doc, "$", {"UserPools"}, nullptr);
        auto const& pools = list_at(doc, "UserPools", "$");
        for (std::size_t i = 0; i < pools.size(); ++i)
        {
            apply_pool(pools[i], "$.UserPools[" + std::to_string(i) + "]");
        }
        outcome_.applied = true;
        return outcome_;
    }
};

} // namespace

seed_outcome apply_seed(
    schema::service_model const& model,
    storage::store& store,
    id_source& ids,
    key_stock& keys,
    std::int64_t now_ms,
    std::string const& region,
    std::string const& account_id,
    std::string_view text,
    seed_mode mode
)
{
    // The seeder copies parts before validating them; a hostile seed nested 400,000 levels deep
    // overflowed the stack in that copy. Real seeds nest about 8 levels.
    auto const read = read_client_json(text);
    if (read.result == client_json::outcome::too_deep)
    {
        throw seed_error("$: nested more than " + std::to_string(max_json_depth) + " levels deep");
    }
    if (read.result == client_json::outcome::not_json)
    {
        throw seed_error("$: not valid JSON");
    }
    auto const& doc = read.value;
    auto const sha = auth::hex_encode(auth::sha256(text));
    auto writer = store.write();
    storage::transaction tx{writer->db(), storage::transaction_mode::immediate};
    if (mode == seed_mode::once && writer->seed_applied(sha))
    {
        return {};
    }
    unsigned_tokens tokens; // a seed mints none
    request_context ctx{*writer, ids, keys, tokens, now_ms, region, account_id, "seed", "", ""};
    auto const outcome = seeder{model, ctx}.run(doc);
    writer->record_seed(sha, now_ms);
    tx.commit();
    return outcome;
}

} // namespace cognitod
