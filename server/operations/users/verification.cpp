// A signed-in user's attributes: UpdateUserAttributes, and the code that verifies an email or
// phone number (GetUserAttributeVerificationCode, VerifyUserAttribute).
#include "server/operations/common.hpp"
#include "server/operations/sign_in/sign_in.hpp"
#include "server/operations/users/delivery.hpp"
#include "server/operations/users/users.hpp"

namespace cognitod
{

namespace
{

std::string purpose_for(std::string const& attribute)
{
    return "VERIFY:" + attribute;
}

json update_user_attributes(request_context& ctx, json const& input)
{
    auto const owner = authenticate(ctx, input.at("AccessToken").get<std::string>());
    auto sent =
        update_attributes(ctx, owner.pool, owner.user, list_member(input, "UserAttributes"));
    return {{"CodeDeliveryDetailsList", std::move(sent)}};
}

json get_user_attribute_verification_code(request_context& ctx, json const& input)
{
    auto const owner = authenticate(ctx, input.at("AccessToken").get<std::string>());
    auto const name = input.at("AttributeName").get<std::string>();
    // A value waiting for verification (AttributesRequireVerificationBeforeUpdate) is the one
    // the code is for.
    auto const waiting = ctx.store.find_code(owner.user.id, purpose_for(name));
    auto pending = waiting ? waiting->pending_value : std::nullopt;
    auto to = attribute_channel(owner.user, name);
    if (to && pending)
    {
        to->destination = *pending;
    }
    if (!to)
    {
        throw errors::invalid_parameter("Invalid attribute name: " + name);
    }
    return {
        {"CodeDeliveryDetails",
         send_code(
             ctx,
             owner.pool,
             owner.user,
             *to,
             purpose_for(name),
             "VERIFY_USER_ATTRIBUTE",
             attribute_code_ms,
             pending
         )}};
}

json verify_user_attribute(request_context& ctx, json const& input)
{
    auto const owner = authenticate(ctx, input.at("AccessToken").get<std::string>());
    auto const name = input.at("AttributeName").get<std::string>();
    if (name != "email" && name != "phone_number")
    {
        throw errors::invalid_parameter("Invalid attribute name: " + name);
    }
    auto const code =
        use_code(ctx, owner.user, purpose_for(name), input.at("Code").get<std::string>());
    json changes = json::array();
    if (code.pending_value)
    {
        changes.push_back(name_value(name, *code.pending_value));
    }
    changes.push_back(name_value(name + "_verified", "true"));
    update_attributes(ctx, owner.pool, owner.user, changes);
    return json::object();
}

} // namespace

std::vector<operation_entry> verification_operations()
{
    return {
        {"UpdateUserAttributes", &update_user_attributes, access::write},
        {"GetUserAttributeVerificationCode", &get_user_attribute_verification_code, access::write},
        {"VerifyUserAttribute", &verify_user_attribute, access::write},
    };
}

} // namespace cognitod
