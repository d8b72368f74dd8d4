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
    storage::user const& owner,
    storage::device const& d,
    device_view view
);

// A DeviceGroupKey: "-" and 9 alphanumerics, as Cognito issues them.
std::string make_device_group_key(id_source& ids);
// A DeviceKey: "<region>_<uuid>".
std::string make_device_key(request_context& ctx, storage::user_pool const& pool);

} // namespace cognitod
