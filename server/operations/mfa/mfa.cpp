// SetUserPoolMfaConfig, GetUserPoolMfaConfig, AdminSetUserMFAPreference, SetUserMFAPreference,
// AssociateSoftwareToken, VerifySoftwareToken. The MFA step of a sign-in is in
// server/operations/sign_in/mfa_step.cpp.
#include "server/operations/mfa/mfa.hpp"

#include "server/auth/totp.hpp"
#include "server/operations/common.hpp"
#include "server/operations/sign_in/sign_in.hpp"

namespace cognitod
{

namespace
{

json set_user_pool_mfa_config(request_context& ctx, json const& input)
{
    auto pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto& settings = pool.settings.edit();
    for (std::string_view member :
         {"SmsMfaConfiguration", "SoftwareTokenMfaConfiguration", "EmailMfaConfiguration"})
    {
        if (auto it = input.find(member); it != input.end() && !it->is_null())
        {
            settings[std::string{member}] = *it;
        }
    }
    if (auto mode = input.find("MfaConfiguration"); mode != input.end() && mode->is_string())
    {
        settings["MfaConfiguration"] = *mode;
    }
    pool.last_modified = ctx.now_ms;
    ctx.store.update_user_pool(pool);
    json out = json::object();
    for (std::string_view member :
         {"SmsMfaConfiguration",
          "SoftwareTokenMfaConfiguration",
          "EmailMfaConfiguration",
          "MfaConfiguration"})
    {
        if (auto it = pool.settings->find(member); it != pool.settings->end())
        {
            out[std::string{member}] = *it;
        }
    }
    return out;
}

json get_user_pool_mfa_config(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    json out{{"MfaConfiguration", pool.settings->value("MfaConfiguration", "OFF")}};
    for (std::string_view member :
         {"SmsMfaConfiguration", "SoftwareTokenMfaConfiguration", "EmailMfaConfiguration"})
    {
        if (auto it = pool.settings->find(member); it != pool.settings->end())
        {
            out[std::string{member}] = *it;
        }
    }
    return out;
}

// AdminSetUserMFAPreference and SetUserMFAPreference: enable and prefer SMS or TOTP.
void set_preference(request_context& ctx, storage::user u, json const& input)
{
    json mfa = u.mfa;
    auto apply = [&](char const* member, char const* key)
    {
        auto const it = input.find(member);
        if (it == input.end() || !it->is_object())
        {
            return;
        }
        json& entry = mfa[key];
        if (!entry.is_object())
        {
            entry = json::object();
        }
        if (it->contains("Enabled"))
        {
            entry["enabled"] = it->value("Enabled", false);
        }
        if (it->contains("PreferredMfa"))
        {
            entry["preferred"] = it->value("PreferredMfa", false);
        }
    };
    apply("SMSMfaSettings", "sms");
    apply("SoftwareTokenMfaSettings", "totp");
    if (mfa.value("totp", json::object()).value("enabled", false) &&
        !mfa["totp"].contains("secret"))
    {
        throw errors::invalid_parameter("User has not verified software token mfa");
    }
    if (mfa.value("sms", json::object()).value("enabled", false) &&
        !u.attribute_value("phone_number"))
    {
        throw errors::invalid_parameter("User does not have a phone number for SMS MFA");
    }
    // One preference at most: the later setting wins.
    if (mfa.value("sms", json::object()).value("preferred", false) &&
        mfa.value("totp", json::object()).value("preferred", false))
    {
        auto const totp_given = input.contains("SoftwareTokenMfaSettings") &&
                                input["SoftwareTokenMfaSettings"].value("PreferredMfa", false);
        mfa[totp_given ? "sms" : "totp"]["preferred"] = false;
    }
    u.mfa = std::move(mfa);
    u.last_modified = ctx.now_ms;
    ctx.store.update_user(u);
}

json admin_set_user_mfa_preference(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    set_preference(ctx, require_user(ctx, pool, input.at("Username").get<std::string>()), input);
    return json::object();
}

json set_user_mfa_preference(request_context& ctx, json const& input)
{
    auto const owner = authenticate(ctx, input.value("AccessToken", std::string{}));
    set_preference(ctx, owner.user, input);
    return json::object();
}

json associate_software_token(request_context& ctx, json const& input)
{
    if (!input.contains("AccessToken"))
    {
        throw errors::not_implemented(
            "cognitod does not implement AssociateSoftwareToken with a Session (MFA_SETUP) yet."
        );
    }
    auto owner = authenticate(ctx, input.value("AccessToken", std::string{}));
    auto const secret = ctx.ids.bytes(20);
    owner.user.mfa["totp"]["pending_secret"] = auth::totp::base32_encode(secret);
    ctx.store.update_user(owner.user);
    return {{"SecretCode", auth::totp::base32_encode(secret)}};
}

json verify_software_token(request_context& ctx, json const& input)
{
    auto owner = authenticate(ctx, input.value("AccessToken", std::string{}));
    auto& totp = owner.user.mfa["totp"];
    auto const pending =
        totp.is_object() ? totp.value("pending_secret", std::string{}) : std::string{};
    auto const secret = auth::totp::base32_decode(pending);
    if (pending.empty() || !secret)
    {
        throw errors::invalid_parameter("User has not associated a software token.");
    }
    if (!auth::totp::verify(*secret, input.at("UserCode").get<std::string>(), ctx.now_ms / 1000))
    {
        throw errors::enable_software_token_mfa();
    }
    totp["secret"] = pending;
    totp.erase("pending_secret");
    if (auto name = input.find("FriendlyDeviceName"); name != input.end() && name->is_string())
    {
        totp["device_name"] = *name;
    }
    ctx.store.update_user(owner.user);
    return {{"Status", "SUCCESS"}};
}

} // namespace

bool sms_mfa_enabled(storage::user const& u)
{
    return u.mfa.value("sms", json::object()).value("enabled", false) &&
           u.attribute_value("phone_number");
}

bool totp_mfa_enabled(storage::user const& u)
{
    auto const totp = u.mfa.value("totp", json::object());
    return totp.value("enabled", false) && totp.contains("secret");
}

std::string preferred_mfa(storage::user const& u)
{
    if (u.mfa.value("sms", json::object()).value("preferred", false))
    {
        return "SMS_MFA";
    }
    if (u.mfa.value("totp", json::object()).value("preferred", false))
    {
        return "SOFTWARE_TOKEN_MFA";
    }
    return {};
}

void add_mfa_settings(json& out, storage::user const& u)
{
    json list = json::array();
    if (sms_mfa_enabled(u))
    {
        list.push_back("SMS_MFA");
    }
    if (totp_mfa_enabled(u))
    {
        list.push_back("SOFTWARE_TOKEN_MFA");
    }
    if (!list.empty())
    {
        out["UserMFASettingList"] = list;
    }
    if (auto const p = preferred_mfa(u); !p.empty())
    {
        out["PreferredMfaSetting"] = p;
    }
}

std::vector<operation_entry> mfa_operations()
{
    return {
        {"SetUserPoolMfaConfig", &set_user_pool_mfa_config, access::write},
        {"GetUserPoolMfaConfig", &get_user_pool_mfa_config, access::read},
        {"AdminSetUserMFAPreference", &admin_set_user_mfa_preference, access::write},
        {"SetUserMFAPreference", &set_user_mfa_preference, access::write},
        {"AssociateSoftwareToken", &associate_software_token, access::write},
        {"VerifySoftwareToken", &verify_software_token, access::write},
    };
}

} // namespace cognitod
