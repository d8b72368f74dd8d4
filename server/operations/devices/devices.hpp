// Device shapes on the wire, shared by the device operations and the seed.
#pragma once

#include "server/operations/operations.hpp"

namespace cognitod
{

// DeviceType. Admin operations show the dev:* attributes; the user's own operations do not.
enum class device_view
{
    admin,
    user,
};

json device_type(
    request_context const& ctx,
    storage::user_pool const& pool,
    storage::device_owner const& owner,
    storage::device const& d,
    device_view view
);

// The device operations' work once the owner is known, shared by the admin forms (owner named by
// UserPoolId and Username) and the user's own (owner from the access token). Unknown keys, and
// keys of another user, answer ResourceNotFoundException "Device does not exist.".
json get_device_of(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::device_owner const& owner,
    json const& input,
    device_view view
);
// Remembered devices only, in creation order, paged by Limit and PaginationToken.
json list_devices_of(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::device_owner const& owner,
    json const& input,
    device_view view
);
json update_device_status_of(
    request_context& ctx, storage::device_owner const& owner, json const& input
);
json forget_device_of(request_context& ctx, storage::device_owner const& owner, json const& input);

// A DeviceGroupKey: "-" and 9 alphanumerics, as Cognito issues them.
std::string make_device_group_key(id_source& ids);
// A DeviceKey: "<region>_<uuid>".
std::string make_device_key(request_context& ctx, storage::user_pool const& pool);

} // namespace cognitod
