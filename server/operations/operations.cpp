#include "server/operations/operations.hpp"

namespace cognitod
{

std::vector<operation_entry> make_operations()
{
    std::vector<operation_entry> all = user_pool_operations();
    for (auto family :
         {user_operations(),
          device_operations(),
          user_device_operations(),
          client_operations(),
          auth_operations(),
          session_operations(),
          mfa_operations(),
          group_operations(),
          tag_operations(),
          self_service_operations(),
          sign_up_operations(),
          recovery_operations(),
          verification_operations(),
          oauth_object_operations(),
          identity_provider_operations(),
          ui_customization_operations()})
    {
        all.insert(all.end(), family.begin(), family.end());
    }
    return all;
}

} // namespace cognitod
