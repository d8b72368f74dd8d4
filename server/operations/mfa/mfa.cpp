// SetUserPoolMfaConfig, GetUserPoolMfaConfig, AdminSetUserMFAPreference, SetUserMFAPreference,
// AssociateSoftwareToken, VerifySoftwareToken, and the MFA step of a sign-in.
#include "server/operations/mfa/mfa.hpp"

#include "server/auth/totp.hpp"
#include "server/operations/sign_in/auth_flows.hpp"
#include "server/operations/common.hpp"

namespace cognitod
{

namespace
{

bool sms_enabled(storage::user const& u)
{
    return u.mfa.value("sms", json::object()).value("enabled", false) &&
           u.attribute_value("phone_number");
}

bool totp_enabled(storage::user const& u)
{
    auto const totp = u.mfa.value("totp", json::object());
    return totp.value("enabled", false) && totp.contains("secret");
}

std::string preferred(storage::user const& u)
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

// "+*******1234": the destination as Cognito shows it.
std::string masked(std::string const& phone)
{
    if (phone.size() <= 5)
    {
        return phone;
    }
    return phone.substr(0, 1) + std::string(phone.size() - 5, '*') + phone.substr(phone.size() - 4);
}

json sms_challenge(
    request_context& ctx, client_and_pool const& target, storage::user const& u, json state
)
{
    auto const phone = u.attribute_value("phone_number").value_or("");
    std::uint32_t value = 0;
    for (unsigned char c : ctx.ids.bytes(4))
    {
        value = value * 256 + c;
    }
    auto const code = std::to_string(100000 + value % 900000);
    auto const sms_config = target.pool.settings->value("SmsMfaConfiguration", json::object());
    std::string text = sms_config.value(
        "SmsAuthenticationMessage",
        target.pool.settings->value(
            "SmsAuthenticationMessage", std::string{"Your authentication code is {####}. "}
        )
    );
    if (auto at = text.find("{####}"); at != std::string::npos)
    {
        text.replace(at, 6, code);
    }
    ctx.store.insert_message(
        {0, target.pool.id, u.username, "SMS", phone, "SMS_MFA", code, text, ctx.now_ms}
    );
    state["code"] = code;
    auto const session = new_session(ctx);
    open_challenge(ctx, target, u, "SMS_MFA", session, std::move(state));
    return {
        {"ChallengeName", "SMS_MFA"},
        {"Session", session},
        {"ChallengeParameters",
         {{"CODE_DELIVERY_DELIVERY_MEDIUM", "SMS"}, {"CODE_DELIVERY_DESTINATION", masked(phone)}}},
    };
}

json totp_challenge(
    request_context& ctx, client_and_pool const& target, storage::user const& u, json state
)
{
    auto const session = new_session(ctx);
    open_challenge(ctx, target, u, "SOFTWARE_TOKEN_MFA", session, std::move(state));
    return {
        {"ChallengeName", "SOFTWARE_TOKEN_MFA"},
        {"Session", session},
        {"ChallengeParameters", json::object()}};
}

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
        throw aws_error(
            "NotImplementedException",
            "cognitod does not implement AssociateSoftwareToken with a Session (MFA_SETUP) yet.",
            501
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
        throw aws_error(
            "EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA"
        );
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

void add_mfa_settings(json& out, storage::user const& u)
{
    json list = json::array();
    if (sms_enabled(u))
    {
        list.push_back("SMS_MFA");
    }
    if (totp_enabled(u))
    {
        list.push_back("SOFTWARE_TOKEN_MFA");
    }
    if (!list.empty())
    {
        out["UserMFASettingList"] = list;
    }
    if (auto const p = preferred(u); !p.empty())
    {
        out["PreferredMfaSetting"] = p;
    }
}

std::optional<json> mfa_challenge(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    std::optional<std::string> const& presented_device
)
{
    auto const mode = target.pool.settings->value("MfaConfiguration", "OFF");
    if (mode == "OFF")
    {
        return std::nullopt;
    }
    bool sms = sms_enabled(u);
    bool const totp = totp_enabled(u);
    if (mode == "ON" && !sms && !totp && u.attribute_value("phone_number"))
    {
        // Required MFA with nothing chosen: the user's phone receives the code.
        sms = true;
    }
    if (!sms && !totp)
    {
        if (mode == "ON")
        {
            throw aws_error(
                "NotImplementedException",
                "cognitod does not implement the MFA_SETUP challenge yet; give the user a "
                "phone_number "
                "or a verified software token.",
                501
            );
        }
        return std::nullopt;
    }
    json state{{"device_key", presented_device ? json(*presented_device) : json()}};
    auto const choice = preferred(u);
    if (sms && (!totp || choice == "SMS_MFA"))
    {
        return sms_challenge(ctx, target, u, std::move(state));
    }
    if (totp && (!sms || choice == "SOFTWARE_TOKEN_MFA"))
    {
        return totp_challenge(ctx, target, u, std::move(state));
    }
    auto const session = new_session(ctx);
    open_challenge(ctx, target, u, "SELECT_MFA_TYPE", session, std::move(state));
    return json{
        {"ChallengeName", "SELECT_MFA_TYPE"},
        {"Session", session},
        {"ChallengeParameters", {{"MFAS_CAN_CHOOSE", R"(["SMS_MFA","SOFTWARE_TOKEN_MFA"])"}}},
    };
}

json answer_mfa(
    request_context& ctx,
    client_and_pool const& target,
    storage::challenge const& c,
    storage::user const& u,
    json const& responses
)
{
    ctx.store.mark_challenge_used(c.session_hash);
    if (c.name == "SELECT_MFA_TYPE")
    {
        auto const answer = require_parameter(responses, "ANSWER");
        if (answer == "SMS_MFA" && sms_enabled(u))
        {
            return sms_challenge(ctx, target, u, c.state);
        }
        if (answer == "SOFTWARE_TOKEN_MFA" && totp_enabled(u))
        {
            return totp_challenge(ctx, target, u, c.state);
        }
        throw errors::invalid_parameter("Invalid MFA type given.");
    }
    bool ok = false;
    if (c.name == "SMS_MFA")
    {
        ok = require_parameter(responses, "SMS_MFA_CODE") == c.state.value("code", std::string{});
    }
    else
    {
        auto const secret = auth::totp::base32_decode(u.mfa["totp"].value("secret", std::string{}));
        ok = secret &&
             auth::totp::verify(
                 *secret, require_parameter(responses, "SOFTWARE_TOKEN_MFA_CODE"), ctx.now_ms / 1000
             );
    }
    if (!ok)
    {
        throw aws_error("CodeMismatchException", "Invalid code received for user");
    }
    std::optional<std::string> device;
    if (c.state.contains("device_key") && c.state["device_key"].is_string())
    {
        device = c.state["device_key"].get<std::string>();
    }
    return finish_sign_in(ctx, target, u, device);
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
