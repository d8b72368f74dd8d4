#include "server/operations/users/delivery.hpp"

#include "server/operations/common.hpp"
#include "server/operations/sign_in/sign_in.hpp"
#include "server/operations/triggers/triggers.hpp"

#include <algorithm>
#include <array>

namespace cognitod
{

namespace
{

void replace_all(std::string& text, std::string_view what, std::string_view with)
{
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
    {
        text.replace(at, what.size(), with);
    }
}

// The CustomMessage source of each purpose a message has in the outbox.
struct message_source
{
    std::string_view purpose;
    std::string_view source;
};
constexpr std::array message_sources{
    message_source{"SIGN_UP", "SignUp"},
    message_source{"RESEND_CODE", "ResendCode"},
    message_source{"FORGOT_PASSWORD", "ForgotPassword"},
    message_source{"UPDATE_USER_ATTRIBUTE", "UpdateUserAttribute"},
    message_source{"VERIFY_USER_ATTRIBUTE", "VerifyUserAttribute"},
    message_source{"ADMIN_CREATE_USER", "AdminCreateUser"},
    message_source{"SMS_MFA", "Authentication"},
    message_source{"EMAIL_OTP", "Authentication"},
    message_source{"SMS_OTP", "Authentication"},
};

// The pool's CustomMessage function may word the message. A text it gives without the code's
// place ({####}) is not used: the message keeps the pool's own wording.
message_text custom_message(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user const& u,
    channel const& to,
    message_text text
)
{
    auto const found = std::find_if(
        message_sources.begin(),
        message_sources.end(),
        [&](auto const& m) { return m.purpose == text.purpose; }
    );
    if (found == message_sources.end() || !has_trigger(pool, "CustomMessage"))
    {
        return text;
    }
    bool const invitation = text.purpose == "ADMIN_CREATE_USER";
    trigger_event event{
        "CustomMessage",
        "CustomMessage_" + std::string{found->source},
        u.username,
        call_client_id(ctx),
    };
    event.request = {
        {"userAttributes", user_attributes_with_status(u)},
        {"codeParameter", "{####}"},
        {"linkParameter", "{##Click Here##}"},
        {"usernameParameter", invitation ? json("{username}") : json()},
        {"clientMetadata", answer_client_metadata(ctx)},
    };
    event.response = {
        {"smsMessage", nullptr}, {"emailMessage", nullptr}, {"emailSubject", nullptr}};
    auto const response = call_trigger(ctx, pool, event);
    if (!response)
    {
        return text;
    }
    auto const given = [&](char const* name) -> std::optional<std::string>
    {
        auto value = parameter(*response, name);
        return value && value->find("{####}") != std::string::npos ? value : std::nullopt;
    };
    if (to.medium == "EMAIL")
    {
        if (auto body = given("emailMessage"))
        {
            text.body = std::move(*body);
            text.subject = parameter(*response, "emailSubject").value_or(text.subject);
        }
    }
    else if (auto body = given("smsMessage"))
    {
        text.body = std::move(*body);
    }
    return text;
}

} // namespace

std::string new_code(request_context& ctx)
{
    std::uint32_t value = 0;
    for (unsigned char c : ctx.ids.bytes(4))
    {
        value = value * 256 + c;
    }
    return std::to_string(100000 + value % 900000);
}

std::string masked(channel const& to)
{
    auto const& d = to.destination;
    if (to.medium == "EMAIL")
    {
        auto const at = d.find('@');
        if (at == std::string::npos || at == 0 || at + 1 >= d.size())
        {
            return d.substr(0, 1) + "***";
        }
        return d.substr(0, 1) + "***@" + d.substr(at + 1, 1) + "***";
    }
    if (d.size() <= 5)
    {
        return d;
    }
    return d.substr(0, 1) + std::string(d.size() - 5, '*') + d.substr(d.size() - 4);
}

json code_delivery_details(channel const& to)
{
    return {
        {"Destination", masked(to)},
        {"DeliveryMedium", to.medium},
        {"AttributeName", to.attribute},
    };
}

std::optional<channel> attribute_channel(storage::user const& u, std::string_view attribute)
{
    if (attribute != "email" && attribute != "phone_number")
    {
        return std::nullopt;
    }
    auto value = u.attribute_value(attribute);
    if (!value || value->empty())
    {
        return std::nullopt;
    }
    return channel{attribute == "email" ? "EMAIL" : "SMS", std::string{attribute}, *value};
}

std::optional<channel> sign_up_channel(storage::user_pool const& pool, storage::user const& u)
{
    if (lists(*pool.settings, "AutoVerifiedAttributes", "phone_number"))
    {
        if (auto to = attribute_channel(u, "phone_number"))
        {
            return to;
        }
    }
    if (lists(*pool.settings, "AutoVerifiedAttributes", "email"))
    {
        return attribute_channel(u, "email");
    }
    return std::nullopt;
}

channel recovery_channel(storage::user_pool const& pool, storage::user const& u)
{
    json mechanisms = json::array();
    if (auto it = pool.settings->find("AccountRecoverySetting"); it != pool.settings->end())
    {
        mechanisms = it->value("RecoveryMechanisms", json::array());
    }
    if (mechanisms.empty())
    {
        // A pool without the setting recovers by a verified phone first, as before it existed.
        mechanisms = json::array(
            {{{"Priority", 1}, {"Name", "verified_phone_number"}},
             {{"Priority", 2}, {"Name", "verified_email"}}}
        );
    }
    std::vector<json> ordered(mechanisms.begin(), mechanisms.end());
    std::stable_sort(
        ordered.begin(),
        ordered.end(),
        [](json const& a, json const& b) { return a.value("Priority", 0) < b.value("Priority", 0); }
    );
    for (auto const& m : ordered)
    {
        auto const name = m.value("Name", std::string{});
        std::string const attribute = name == "verified_email"          ? "email"
                                      : name == "verified_phone_number" ? "phone_number"
                                                                        : "";
        if (attribute.empty() || u.attribute_value(attribute + "_verified") != "true")
        {
            continue;
        }
        if (auto to = attribute_channel(u, attribute))
        {
            return *to;
        }
    }
    throw errors::invalid_parameter(
        "Cannot reset password for the user as there is no registered/verified email or "
        "phone_number"
    );
}

message_text verification_text(storage::user_pool const& pool, std::string_view medium)
{
    auto const& s = *pool.settings;
    json const none = json::object();
    auto const it = s.find("VerificationMessageTemplate");
    json const& tpl = it != s.end() ? *it : none;
    message_text out;
    if (medium == "EMAIL")
    {
        out.subject =
            parameter(tpl, "EmailSubject")
                .value_or(
                    parameter(s, "EmailVerificationSubject").value_or("Your verification code")
                );
        out.body = parameter(tpl, "EmailMessage")
                       .value_or(parameter(s, "EmailVerificationMessage")
                                     .value_or("Your verification code is {####}. "));
    }
    else
    {
        out.body = parameter(tpl, "SmsMessage")
                       .value_or(parameter(s, "SmsVerificationMessage")
                                     .value_or("Your verification code is {####}. "));
    }
    return out;
}

message_text invitation_text(storage::user_pool const& pool, std::string_view medium)
{
    json tpl = json::object();
    if (auto admin = pool.settings->find("AdminCreateUserConfig"); admin != pool.settings->end())
    {
        tpl = admin->value("InviteMessageTemplate", json::object());
    }
    std::string const fallback = "Your username is {username} and temporary password is {####}. ";
    message_text out;
    out.purpose = "ADMIN_CREATE_USER";
    if (medium == "EMAIL")
    {
        out.subject = parameter(tpl, "EmailSubject").value_or("Your temporary password");
        out.body = parameter(tpl, "EmailMessage").value_or(fallback);
    }
    else
    {
        out.body = parameter(tpl, "SMSMessage").value_or(fallback);
    }
    return out;
}

void deliver(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user const& u,
    channel const& to,
    message_text const& text,
    std::string const& code
)
{
    auto const worded = custom_message(ctx, pool, u, to, text);
    storage::message m;
    m.pool_id = pool.id;
    m.username = u.username;
    m.medium = to.medium;
    m.destination = to.destination;
    m.purpose = worded.purpose;
    m.code = code;
    m.text = worded.body;
    replace_all(m.text, "{####}", code);
    replace_all(m.text, "{username}", u.username);
    m.subject = worded.subject;
    m.created = ctx.now_ms;
    ctx.store.insert_message(m);
    if (m.medium == "EMAIL")
    {
        if (auto it = pool.settings->find("EmailConfiguration"); it != pool.settings->end())
        {
            m.sender = parameter(*it, "From").value_or("");
        }
        ctx.emails.push_back(std::move(m));
    }
}

json send_code(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user const& u,
    channel const& to,
    std::string const& purpose,
    std::string const& message_purpose,
    std::int64_t lifetime_ms,
    std::optional<std::string> pending_value
)
{
    auto const code = new_code(ctx);
    ctx.store.put_code({u.id, purpose, code, ctx.now_ms + lifetime_ms, 0, std::move(pending_value)}
    );
    auto text = verification_text(pool, to.medium);
    text.purpose = message_purpose;
    deliver(ctx, pool, u, to, text, code);
    return code_delivery_details(to);
}

storage::user_code use_code(
    request_context& ctx,
    storage::user const& u,
    std::string const& purpose,
    std::string const& given
)
{
    auto code = ctx.store.find_code(u.id, purpose);
    if (!code || code->expires < ctx.now_ms)
    {
        throw errors::expired_code("Invalid code provided, please request a code again.");
    }
    if (code->failures >= code_attempts)
    {
        throw errors::limit_exceeded("Attempt limit exceeded, please try after some time.");
    }
    if (code->code != given)
    {
        ctx.store.count_code_failure(u.id, purpose);
        throw committed_error{
            errors::code_mismatch("Invalid verification code provided, please try again.")};
    }
    ctx.store.delete_code(u.id, purpose);
    return *code;
}

} // namespace cognitod
