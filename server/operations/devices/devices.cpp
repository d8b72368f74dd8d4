// AdminGetDevice, AdminListDevices, AdminUpdateDeviceStatus, AdminForgetDevice.
#include "server/operations/devices/devices.hpp"

#include "server/operations/common.hpp"

namespace cognitod
{

namespace
{

constexpr std::size_t default_device_page = 60;

struct device_target
{
    storage::user_pool pool;
    storage::device_owner owner;
};

// The pool and the user named by UserPoolId and Username, in the order AWS reports them missing.
device_target require_owner(request_context& ctx, json const& input)
{
    auto pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const& name = input.at("Username").get_ref<std::string const&>();
    // Nearly every call names the owner by username, which one index answers; an alias or a sub
    // takes find_user's other steps.
    if (auto owner = ctx.store.find_device_owner(pool.seq, username_key(pool, name)))
    {
        return {std::move(pool), std::move(*owner)};
    }
    auto u = find_user_by_other_name(ctx, pool, name);
    if (!u)
    {
        throw errors::user_not_found();
    }
    return {std::move(pool), {u->id, std::move(u->username)}};
}

json admin_get_device(request_context& ctx, json const& input)
{
    auto const [pool, owner] = require_owner(ctx, input);
    return get_device_of(ctx, pool, owner, input, device_view::admin);
}

json admin_list_devices(request_context& ctx, json const& input)
{
    auto const [pool, owner] = require_owner(ctx, input);
    return list_devices_of(ctx, pool, owner, input, device_view::admin);
}

json admin_update_device_status(request_context& ctx, json const& input)
{
    auto const [pool, owner] = require_owner(ctx, input);
    return update_device_status_of(ctx, owner, input);
}

json admin_forget_device(request_context& ctx, json const& input)
{
    auto const [pool, owner] = require_owner(ctx, input);
    return forget_device_of(ctx, owner, input);
}

} // namespace

json get_device_of(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::device_owner const& owner,
    json const& input,
    device_view view
)
{
    auto const d = ctx.store.find_device(owner.id, input.at("DeviceKey").get<std::string>());
    if (!d)
    {
        throw errors::device_not_found();
    }
    return {{"Device", device_type(ctx, pool, owner, *d, view)}};
}

json list_devices_of(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::device_owner const& owner,
    json const& input,
    device_view view
)
{
    // A token names the user it pages through, so it cannot page another user's devices.
    auto const token_kind = "devices." + std::to_string(owner.id);
    auto const after = read_page_token(ctx, input, "PaginationToken", token_kind);
    auto const limit = page_size(input, "Limit", default_device_page);
    auto devices = ctx.store.list_devices(owner.id, after, limit + 1);
    json out = json::object();
    if (devices.size() > limit)
    {
        devices.pop_back();
        out["PaginationToken"] = make_page_token(token_kind, devices.back().seq);
    }
    json list = json::array();
    for (auto const& d : devices)
    {
        list.push_back(device_type(ctx, pool, owner, d, view));
    }
    out["Devices"] = std::move(list);
    return out;
}

json update_device_status_of(
    request_context& ctx, storage::device_owner const& owner, json const& input
)
{
    auto d = ctx.store.find_device(owner.id, input.at("DeviceKey").get<std::string>());
    if (!d)
    {
        throw errors::device_not_found();
    }
    if (auto status = input.find("DeviceRememberedStatus");
        status != input.end() && status->is_string())
    {
        d->remembered = *status == "remembered";
        d->last_modified = ctx.now_ms;
        ctx.store.update_device(*d);
    }
    return json::object();
}

json forget_device_of(request_context& ctx, storage::device_owner const& owner, json const& input)
{
    // Only the owner's device is deleted; another user's key is "not found" and stays.
    if (!ctx.store.delete_device(owner.id, input.at("DeviceKey").get<std::string>()))
    {
        throw errors::device_not_found();
    }
    return json::object();
}

json device_type(
    request_context const& ctx,
    storage::user_pool const& pool,
    storage::device_owner const& owner,
    storage::device const& d,
    device_view view
)
{
    // Built member by member: nlohmann's initializer lists copy every value they are given, and
    // this runs for every device of every Get and List.
    bool const admin = view == device_view::admin;
    std::string const owner_name = owner.username + "." + pool.id;
    json attributes = json::array();
    auto& list = attributes.get_ref<json::array_t&>();
    list.reserve(admin ? 7 : 3);
    auto const add = [&](char const* name, std::string value)
    { list.push_back(name_value(name, std::move(value))); };
    add("device_status", d.status);
    if (!d.name.empty())
    {
        add("device_name", d.name);
    }
    if (admin)
    {
        add("dev:device_arn",
            "arn:aws:cognito-idp:" + std::string{pool_region(pool.id)} + ":" + ctx.account_id +
                ":owner/" + owner_name + "/device/" + d.key);
        add("dev:device_owner", owner_name);
    }
    if (!d.last_ip.empty())
    {
        add("last_ip_used", d.last_ip);
    }
    if (admin)
    {
        add("dev:device_remembered_status", d.remembered ? "remembered" : "not_remembered");
        add("dev:device_sdk", "aws-sdk");
    }
    json out = json::object();
    auto& members = out.get_ref<json::object_t&>();
    members.emplace("DeviceKey", d.key);
    members.emplace("DeviceAttributes", std::move(attributes));
    members.emplace("DeviceCreateDate", epoch_seconds(d.created));
    members.emplace("DeviceLastModifiedDate", epoch_seconds(d.last_modified));
    if (d.last_authenticated)
    {
        // Cognito keeps the last sign-in to the second.
        members.emplace(
            "DeviceLastAuthenticatedDate", epoch_seconds(*d.last_authenticated / 1000 * 1000)
        );
    }
    return out;
}

std::string make_device_group_key(id_source& ids)
{
    return "-" + ids.alphanumeric(9);
}

std::string make_device_key(request_context& ctx, storage::user_pool const& pool)
{
    return std::string{pool_region(pool.id)} + "_" + ctx.ids.uuid();
}

std::vector<operation_entry> device_operations()
{
    return {
        {"AdminGetDevice", &admin_get_device, access::read},
        {"AdminListDevices", &admin_list_devices, access::read},
        {"AdminUpdateDeviceStatus", &admin_update_device_status, access::write},
        {"AdminForgetDevice", &admin_forget_device, access::write},
    };
}

} // namespace cognitod
