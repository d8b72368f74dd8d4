// The device operations a signed-in user calls with an access token: ConfirmDevice, GetDevice,
// ListDevices, UpdateDeviceStatus, ForgetDevice. They act on the token's own user only.
#include "server/auth/encoding.hpp"
#include "server/operations/common.hpp"
#include "server/operations/devices/devices.hpp"
#include "server/operations/sign_in/sign_in.hpp"

namespace cognitod
{

namespace
{

storage::device_owner device_owner_of(token_owner const& owner)
{
    return {owner.user.id, owner.user.username};
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
    bool const on_prompt = device_settings(owner.pool).device_only_remembered_on_user_prompt;
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
    return get_device_of(ctx, owner.pool, device_owner_of(owner), input, device_view::user);
}

json list_devices(request_context& ctx, json const& input)
{
    auto const owner = authenticate(ctx, input.value("AccessToken", std::string{}));
    return list_devices_of(ctx, owner.pool, device_owner_of(owner), input, device_view::user);
}

json update_device_status(request_context& ctx, json const& input)
{
    auto const owner = authenticate(ctx, input.value("AccessToken", std::string{}));
    return update_device_status_of(ctx, device_owner_of(owner), input);
}

json forget_device(request_context& ctx, json const& input)
{
    auto const owner = authenticate(ctx, input.value("AccessToken", std::string{}));
    return forget_device_of(ctx, device_owner_of(owner), input);
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
