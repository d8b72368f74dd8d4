// USER_AUTH: the user picks how to sign in (the PREFERRED_CHALLENGE parameter, or an answer to
// SELECT_CHALLENGE) among the first factors the pool allows and the user can use: a password
// (PASSWORD, PASSWORD_SRP) or a one-time code sent to their verified email (EMAIL_OTP) or phone
// (SMS_OTP). GetUserAuthFactors lists what the signed-in user can use.
#include "server/auth/encoding.hpp"
#include "server/operations/common.hpp"
#include "server/operations/mfa/mfa.hpp"
#include "server/operations/sign_in/flow.hpp"
#include "server/operations/users/delivery.hpp"

#include <algorithm>

namespace cognitod
{

namespace
{

// Policies.SignInPolicy.AllowedFirstAuthFactors; a pool that never set it allows the password.
std::vector<std::string> allowed_first_factors(storage::user_pool const& pool)
{
    auto const policies = pool.settings->value("Policies", json::object());
    auto const allowed = policies.value("SignInPolicy", json::object())
                             .value("AllowedFirstAuthFactors", json::array({"PASSWORD"}));
    std::vector<std::string> out;
    for (auto const& factor : allowed)
    {
        if (factor.is_string())
        {
            out.push_back(factor.get<std::string>());
        }
    }
    return out;
}

bool has_verified(storage::user const& u, std::string const& attribute)
{
    return u.attribute_value(attribute) &&
           u.attribute_value(attribute + "_verified").value_or("") == "true";
}

// The first factors this user can sign in with, passwordless ones first, as AvailableChallenges.
std::vector<std::string> available_factors(storage::user_pool const& pool, storage::user const& u)
{
    auto const allowed = allowed_first_factors(pool);
    auto const allows = [&](std::string_view factor)
    { return std::find(allowed.begin(), allowed.end(), factor) != allowed.end(); };
    std::vector<std::string> out;
    if (allows("EMAIL_OTP") && has_verified(u, "email"))
    {
        out.emplace_back("EMAIL_OTP");
    }
    if (allows("SMS_OTP") && has_verified(u, "phone_number"))
    {
        out.emplace_back("SMS_OTP");
    }
    if (allows("PASSWORD"))
    {
        out.emplace_back("PASSWORD");
        out.emplace_back("PASSWORD_SRP");
    }
    return out;
}

bool contains(std::vector<std::string> const& names, std::string const& name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

// The chosen factor's first step, from the parameters that came with the choice: the password
// (PASSWORD), the client's SRP_A (PASSWORD_SRP), or nothing yet (a code is to be sent).
proof choose(
    storage::user_pool const& pool,
    storage::user u,
    std::string const& factor,
    json const& given,
    sign_in_state state
)
{
    if (factor == "PASSWORD")
    {
        check_password(pool, u, require_parameter(given, "PASSWORD"));
        return {proof::step::password, std::move(u), std::move(state)};
    }
    if (factor == "PASSWORD_SRP")
    {
        auto a_pub = auth::hex_decode(require_parameter(given, "SRP_A"));
        if (!a_pub)
        {
            throw errors::invalid_parameter("SRP_A is not a valid hexadecimal number.");
        }
        proof p{proof::step::user_srp_started, std::move(u), std::move(state)};
        p.srp_a = std::move(*a_pub);
        return p;
    }
    proof p{proof::step::factor_chosen, std::move(u), std::move(state)};
    p.mfa_factor = factor;
    return p;
}

// Eight digits, as Cognito's sign-in codes by email and SMS.
std::string sign_in_code(request_context& ctx)
{
    std::uint64_t value = 0;
    for (unsigned char c : ctx.ids.bytes(5))
    {
        value = value * 256 + c;
    }
    return std::to_string(10000000 + value % 90000000);
}

} // namespace

json start_user_auth(request_context& ctx, client_and_pool const& target, json const& params)
{
    auto u = user_signing_in(ctx, target, params);
    sign_in_state state;
    state.device_key = parameter(params, "DEVICE_KEY");
    auto const available = available_factors(target.pool, u);
    // A preferred factor the user cannot use leaves the choice to them, as with none.
    if (auto preferred = parameter(params, "PREFERRED_CHALLENGE");
        preferred && contains(available, *preferred))
    {
        return advance(ctx, target, choose(target.pool, std::move(u), *preferred, params, state));
    }
    auto out = send_challenge(ctx, target, u, "SELECT_CHALLENGE", state, json::object());
    out["AvailableChallenges"] = available;
    return out;
}

proof answer_select_challenge(
    request_context& /*ctx*/, client_and_pool const& target, open_round& r, json const& responses
)
{
    auto const answer = require_parameter(responses, "ANSWER");
    if (!contains(available_factors(target.pool, r.user), answer))
    {
        throw errors::invalid_parameter("Invalid challenge selected: " + answer);
    }
    auto state = r.state;
    if (auto device = parameter(responses, "DEVICE_KEY"))
    {
        state.device_key = std::move(device);
    }
    return choose(target.pool, std::move(r.user), answer, responses, std::move(state));
}

json one_time_code_challenge(request_context& ctx, client_and_pool const& target, proof const& p)
{
    auto const& u = p.user;
    bool const email = p.mfa_factor == "EMAIL_OTP";
    channel const to = email ? channel{"EMAIL", "email", u.attribute_value("email").value_or("")}
                             : channel{
                                   "SMS",
                                   "phone_number",
                                   u.attribute_value("phone_number").value_or(""),
                               };
    auto const code = sign_in_code(ctx);
    message_text text;
    text.purpose = p.mfa_factor;
    if (email)
    {
        // EmailMfaConfiguration words both the email MFA and the email sign-in code.
        auto const config = target.pool.settings->value("EmailMfaConfiguration", json::object());
        text.subject = config.value("Subject", std::string{"Your sign-in code"});
        text.body = config.value("Message", std::string{"Your sign-in code is {####}. "});
    }
    else
    {
        auto const config = target.pool.settings->value("SmsMfaConfiguration", json::object());
        text.body = config.value(
            "SmsAuthenticationMessage",
            target.pool.settings->value(
                "SmsAuthenticationMessage", std::string{"Your sign-in code is {####}. "}
            )
        );
    }
    deliver(ctx, target.pool, u, to, text, code);
    sign_in_state state;
    state.device_key = p.state.device_key;
    state.sms_code = code;
    return send_challenge(
        ctx,
        target,
        u,
        p.mfa_factor,
        state,
        {{"CODE_DELIVERY_DELIVERY_MEDIUM", to.medium}, {"CODE_DELIVERY_DESTINATION", masked(to)}}
    );
}

proof answer_one_time_code(
    request_context& /*ctx*/,
    client_and_pool const& /*target*/,
    open_round& r,
    json const& responses
)
{
    auto const given = require_parameter(responses, r.record.name + "_CODE");
    if (r.state.sms_code.empty() || !auth::constant_time_equal(given, r.state.sms_code))
    {
        throw errors::code_mismatch("Invalid code received for user");
    }
    proof p{proof::step::one_time_code, std::move(r.user), {}};
    p.state.device_key = r.state.device_key;
    return p;
}

json user_auth_factors(storage::user_pool const& pool, storage::user const& u)
{
    json out{{"Username", u.username}};
    add_mfa_settings(out, u);
    // The password first, as AWS lists it; PASSWORD_SRP is a way to prove it, not a factor.
    auto const available = available_factors(pool, u);
    json factors = json::array();
    if (contains(available, "PASSWORD"))
    {
        factors.push_back("PASSWORD");
    }
    for (auto const& factor : available)
    {
        if (factor != "PASSWORD" && factor != "PASSWORD_SRP")
        {
            factors.push_back(factor);
        }
    }
    out["ConfiguredUserAuthFactors"] = std::move(factors);
    return out;
}

} // namespace cognitod
