// The MFA step of a sign-in: which factor the pool and the user ask for, its challenge (an SMS
// code goes to the outbox), and the answers to SMS_MFA, SOFTWARE_TOKEN_MFA and SELECT_MFA_TYPE.
#include "server/auth/totp.hpp"
#include "server/operations/common.hpp"
#include "server/operations/mfa/mfa.hpp"
#include "server/operations/sign_in/flow.hpp"
#include "server/operations/users/delivery.hpp"

namespace cognitod
{

namespace
{

json sms_challenge(
    request_context& ctx, client_and_pool const& target, storage::user const& u, sign_in_state state
)
{
    channel const to{"SMS", "phone_number", u.attribute_value("phone_number").value_or("")};
    auto const code = new_code(ctx);
    auto const sms_config = target.pool.settings->value("SmsMfaConfiguration", json::object());
    message_text text;
    text.purpose = "SMS_MFA";
    text.body = sms_config.value(
        "SmsAuthenticationMessage",
        target.pool.settings->value(
            "SmsAuthenticationMessage", std::string{"Your authentication code is {####}. "}
        )
    );
    deliver(ctx, target.pool, u, to, text, code);
    state.sms_code = code;
    return send_challenge(
        ctx,
        target,
        u,
        "SMS_MFA",
        state,
        {{"CODE_DELIVERY_DELIVERY_MEDIUM", "SMS"}, {"CODE_DELIVERY_DESTINATION", masked(to)}}
    );
}

json totp_challenge(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    sign_in_state const& state
)
{
    return send_challenge(ctx, target, u, "SOFTWARE_TOKEN_MFA", state, json::object());
}

} // namespace

std::optional<json> mfa_challenge(
    request_context& ctx,
    client_and_pool const& target,
    storage::user const& u,
    sign_in_state const& state
)
{
    auto const mode = target.pool.settings->value("MfaConfiguration", "OFF");
    if (mode == "OFF")
    {
        return std::nullopt;
    }
    bool sms = sms_mfa_enabled(u);
    bool const totp = totp_mfa_enabled(u);
    if (mode == "ON" && !sms && !totp && u.attribute_value("phone_number"))
    {
        // Required MFA with nothing chosen: the user's phone receives the code.
        sms = true;
    }
    if (!sms && !totp)
    {
        if (mode == "ON")
        {
            throw errors::not_implemented(
                "cognitod does not implement the MFA_SETUP challenge yet; give the user a "
                "phone_number "
                "or a verified software token."
            );
        }
        return std::nullopt;
    }
    sign_in_state kept;
    kept.device_key = state.device_key;
    auto const choice = preferred_mfa(u);
    if (sms && (!totp || choice == "SMS_MFA"))
    {
        return sms_challenge(ctx, target, u, std::move(kept));
    }
    if (totp && (!sms || choice == "SOFTWARE_TOKEN_MFA"))
    {
        return totp_challenge(ctx, target, u, kept);
    }
    return send_challenge(
        ctx,
        target,
        u,
        "SELECT_MFA_TYPE",
        kept,
        {{"MFAS_CAN_CHOOSE", R"(["SMS_MFA","SOFTWARE_TOKEN_MFA"])"}}
    );
}

json chosen_mfa_challenge(request_context& ctx, client_and_pool const& target, proof const& p)
{
    if (p.mfa_factor == "SMS_MFA")
    {
        return sms_challenge(ctx, target, p.user, p.state);
    }
    return totp_challenge(ctx, target, p.user, p.state);
}

proof answer_select_mfa_type(
    request_context& /*ctx*/,
    client_and_pool const& /*target*/,
    open_round& r,
    json const& responses
)
{
    auto answer = require_parameter(responses, "ANSWER");
    if ((answer == "SMS_MFA" && sms_mfa_enabled(r.user)) ||
        (answer == "SOFTWARE_TOKEN_MFA" && totp_mfa_enabled(r.user)))
    {
        proof p{proof::step::mfa_factor_chosen, std::move(r.user), {}};
        p.state.device_key = r.state.device_key;
        p.mfa_factor = std::move(answer);
        return p;
    }
    throw errors::invalid_parameter("Invalid MFA type given.");
}

proof answer_mfa_code(
    request_context& ctx, client_and_pool const& /*target*/, open_round& r, json const& responses
)
{
    bool ok = false;
    if (r.record.name == "SMS_MFA")
    {
        ok = require_parameter(responses, "SMS_MFA_CODE") == r.state.sms_code;
    }
    else
    {
        auto const secret = auth::totp::base32_decode(
            r.user.mfa.value("totp", json::object()).value("secret", std::string{})
        );
        ok = secret &&
             auth::totp::verify(
                 *secret, require_parameter(responses, "SOFTWARE_TOKEN_MFA_CODE"), ctx.now_ms / 1000
             );
    }
    if (!ok)
    {
        throw errors::code_mismatch("Invalid code received for user");
    }
    proof p{proof::step::mfa, std::move(r.user), {}};
    p.state.device_key = r.state.device_key;
    return p;
}

} // namespace cognitod
