#include "server/auth/passwords.hpp"

#include "server/auth/encoding.hpp"
#include "server/auth/srp.hpp"

#include <algorithm>

namespace cognitod::auth
{

namespace
{

// Cognito's symbol set: ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and space.
constexpr std::string_view symbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

bool any(std::string_view text, bool (*pred)(unsigned char))
{
    return std::any_of(
        text.begin(), text.end(), [&](char c) { return pred(static_cast<unsigned char>(c)); }
    );
}

std::size_t code_points(std::string_view text)
{
    return static_cast<std::size_t>(std::count_if(
        text.begin(),
        text.end(),
        [](char c) { return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U; }
    ));
}

} // namespace

std::optional<std::string> policy_violation(nlohmann::json const& policy, std::string_view password)
{
    auto const minimum = policy.value("MinimumLength", 8);
    if (code_points(password) < static_cast<std::size_t>(minimum))
    {
        return "Password not long enough";
    }
    if (policy.value("RequireLowercase", false) &&
        !any(password, [](unsigned char c) { return c >= 'a' && c <= 'z'; }))
    {
        return "Password must have lowercase characters";
    }
    if (policy.value("RequireUppercase", false) &&
        !any(password, [](unsigned char c) { return c >= 'A' && c <= 'Z'; }))
    {
        return "Password must have uppercase characters";
    }
    if (policy.value("RequireNumbers", false) &&
        !any(password, [](unsigned char c) { return c >= '0' && c <= '9'; }))
    {
        return "Password must have numeric characters";
    }
    if (policy.value("RequireSymbols", false) &&
        !any(
            password,
            [](unsigned char c)
            { return symbols.find(static_cast<char>(c)) != std::string_view::npos; }
        ))
    {
        return "Password must have symbol characters";
    }
    return std::nullopt;
}

stored_password store_password(
    std::string_view pool_id, std::string_view username, std::string_view password, id_source& ids
)
{
    stored_password stored;
    stored.salt = ids.bytes(16);
    stored.verifier =
        srp::verifier(srp::private_key(stored.salt, srp::pool_name(pool_id), username, password));
    return stored;
}

bool password_matches(
    stored_password const& stored,
    std::string_view pool_id,
    std::string_view username,
    std::string_view password
)
{
    if (stored.verifier.empty())
    {
        return false;
    }
    auto const candidate =
        srp::verifier(srp::private_key(stored.salt, srp::pool_name(pool_id), username, password));
    return constant_time_equal(candidate, stored.verifier);
}

std::string generate_password(nlohmann::json const& policy, id_source& ids)
{
    // One of each class, then letters and digits up to the minimum length (at least 12).
    auto const minimum = std::max<std::size_t>(12, policy.value("MinimumLength", 8));
    std::string password = "aA1!";
    password += ids.alphanumeric(minimum - password.size());
    return password;
}

} // namespace cognitod::auth
