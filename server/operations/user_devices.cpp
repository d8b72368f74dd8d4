// The device operations a signed-in user calls with an access token: ConfirmDevice, GetDevice,
// ListDevices, UpdateDeviceStatus, ForgetDevice. They act on the token's own user only.
#include "server/auth/encoding.hpp"
#include "server/operations/common.hpp"
#include "server/operations/devices.hpp"
#include "server/operations/sign_in.hpp"

namespace cognitod
{

namespace
{

aws_error device_not_found()
{
    return errors::resource_not_found("Device does not exist.");
}

json confirm_device(request_context& ctx, json const& input)
{
    auto const owner = authenticate(ctx, input.value("AccessToken", std::string{}));
    auto const key = input.at("DeviceKey").get<std::string>();
    // Only the device this sign-in was issued can be confirmed with its token.
    auto d = ctx.store.find_device(owner.user.id, key);
    if (!d || key != owner.device_key)
    {
        throw errors::invalid_parameter("Invalid device key given.");
    }
    auto const config = input.value("DeviceSecretVerifierConfig", json::object());
    auto const verifier = auth::base64_decode(config.value("PasswordVerifier", std::string{}));
    auto const salt = auth::base64_decode(config.value("Salt", std::string{}));
    if (!verifier || !salt || verifier->empty() || salt->empty())
    {
        throw errors::invalid_parameter("Invalid device verifier config given.");
    }
    bool const on_prompt = owner.pool.settings.value("DeviceConfiguration", json::object())
                               .value("DeviceOnlyRememberedOnUserPrompt", false);
    d->verifier = *verifier;
    d->salt = *salt;
    if (auto name = input.find("DeviceName"); name != input.end() && name->is_string())
    {
        d->name = name->get<std::string>();
    }
    if (!d->confirmed)
    {
        // Remembered at once unless the pool waits for the user to say so.
        d->remembered = !on_prompt;
    }
    d->confirmed = true;
    d->last_modified = ctx.now_ms;
    ctx.store.update_device(*d);
    return {{"UserConfirmationNecessary", on_prompt}};
}

json get_device(request_context& ctx, json const& input)
{
    auto const owner = authenticate(ctx, input.value("AccessToken", std::string{}));
    auto const d = ctx.store.find_device(owner.user.id, input.at("DeviceKey").get<std::string>());
    if (!d)
    {
        throw device_not_found();
    }
    return {{"Device", device_type(ctx, owner.pool, owner.user, *d, device_view::user)}};
}

json list_devices(request_context& ctx, json const& input)
{
    auto const owner = authenticate(ctx, input.value("AccessToken", std::string{}));
    auto const token_kind = "devices." + std::to_string(owner.user.id);
    auto const after = read_page_token(ctx, input, "PaginationToken", token_kind);
    auto const limit = page_size(input, "Limit", 60);
    auto devices = ctx.store.list_devices(owner.user.id, after, limit + 1);
    json out = json::object();
    if (devices.size() > limit)
    {
        devices.pop_back();
        out["PaginationToken"] = make_page_token(token_kind, devices.back().seq);
    }
    json list = json::array();
    for (auto const& d : devices)
    {
        list.push_back(device_type(ctx, owner.pool, owner.user, d, device_view::user));
    }
    out["Devices"] = std::move(list);
    return out;
}

json update_device_status(request_context& ctx, json const& input)
{
    auto const owner = authenticate(ctx, input.value("AccessToken", std::string{}));
    auto d = ctx.store.find_device(owner.user.id, input.at("DeviceKey").get<std::string>());
    if (!d)
    {
        throw device_not_found();
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

json forget_device(request_context& ctx, json const& input)
{
    auto const owner = authenticate(ctx, input.value("AccessToken", std::string{}));
    if (!ctx.store.delete_device(owner.user.id, input.at("DeviceKey").get<std::string>()))
    {
        throw device_not_found();
    }
    return json::object();
}

} // namespace

std::vector<operation_entry> user_device_operations()
{
    return {
        {"ConfirmDevice", &confirm_device, access::write},
        {"GetDevice", &get_device, access::read},
        {"ListDevices", &list_devices, access::read},
        {"UpdateDeviceStatus", &update_device_status, access::write},
        {"ForgetDevice", &forget_device, access::write},
    };
}

} // namespace cognitod
