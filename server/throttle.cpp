#include "server/throttle.hpp"

#include "server/auth/jwt.hpp"
#include "server/aws_error.hpp"

#include <algorithm>
#include <array>

namespace cognitod
{

namespace
{

struct category_rate
{
    std::string_view name;
    double per_second;
};

// AWS's default quotas per account and region ("Quotas in Amazon Cognito", operation categories).
constexpr auto default_rates = std::to_array<category_rate>({
    {"UserAuthentication", 120},
    {"UserCreation", 50},
    {"UserFederation", 25},
    {"UserAccountRecovery", 30},
    {"UserRead", 120},
    {"UserUpdate", 25},
    {"UserResourceRead", 50},
    {"UserResourceUpdate", 25},
    {"UserList", 30},
    {"UserPoolRead", 15},
    {"UserPoolUpdate", 15},
    {"UserPoolResourceRead", 20},
    {"UserPoolResourceUpdate", 15},
    {"UserPoolClientRead", 15},
    {"UserPoolClientUpdate", 15},
    {"UserToken", 120},
    {"ClientAuthentication", 150},
    {per_user_read, 10},
    {per_user_write, 10},
});

struct operation_category
{
    std::string_view operation;
    std::string_view category;
};

// Which category each operation counts against, as the quotas page lists them; operations it
// does not list (managed login branding, terms, WebAuthn) count against none.
constexpr auto categories = std::to_array<operation_category>({
    {"AdminInitiateAuth", "UserAuthentication"},
    {"AdminRespondToAuthChallenge", "UserAuthentication"},
    {"InitiateAuth", "UserAuthentication"},
    {"RespondToAuthChallenge", "UserAuthentication"},
    {"AdminCreateUser", "UserCreation"},
    {"SignUp", "UserCreation"},
    {"AdminLinkProviderForUser", "UserFederation"},
    {"AdminDisableProviderForUser", "UserFederation"},
    {"AdminResetUserPassword", "UserAccountRecovery"},
    {"ConfirmForgotPassword", "UserAccountRecovery"},
    {"ForgotPassword", "UserAccountRecovery"},
    {"AdminGetUser", "UserRead"},
    {"AdminListGroupsForUser", "UserRead"},
    {"AdminListUserAuthEvents", "UserRead"},
    {"GetUser", "UserRead"},
    {"GetUserAuthFactors", "UserRead"},
    {"ListWebAuthnCredentials", "UserRead"},
    {"AdminAddUserToGroup", "UserUpdate"},
    {"AdminConfirmSignUp", "UserUpdate"},
    {"AdminDeleteUser", "UserUpdate"},
    {"AdminDeleteUserAttributes", "UserUpdate"},
    {"AdminDisableUser", "UserUpdate"},
    {"AdminEnableUser", "UserUpdate"},
    {"AdminRemoveUserFromGroup", "UserUpdate"},
    {"AdminSetUserMFAPreference", "UserUpdate"},
    {"AdminSetUserPassword", "UserUpdate"},
    {"AdminSetUserSettings", "UserUpdate"},
    {"AdminUpdateAuthEventFeedback", "UserUpdate"},
    {"AdminUpdateUserAttributes", "UserUpdate"},
    {"AdminUserGlobalSignOut", "UserUpdate"},
    {"AssociateSoftwareToken", "UserUpdate"},
    {"ChangePassword", "UserUpdate"},
    {"CompleteWebAuthnRegistration", "UserUpdate"},
    {"ConfirmSignUp", "UserUpdate"},
    {"DeleteUser", "UserUpdate"},
    {"DeleteUserAttributes", "UserUpdate"},
    {"DeleteWebAuthnCredential", "UserUpdate"},
    {"GetUserAttributeVerificationCode", "UserUpdate"},
    {"GlobalSignOut", "UserUpdate"},
    {"ResendConfirmationCode", "UserUpdate"},
    {"SetUserMFAPreference", "UserUpdate"},
    {"SetUserSettings", "UserUpdate"},
    {"StartWebAuthnRegistration", "UserUpdate"},
    {"UpdateAuthEventFeedback", "UserUpdate"},
    {"UpdateUserAttributes", "UserUpdate"},
    {"VerifySoftwareToken", "UserUpdate"},
    {"VerifyUserAttribute", "UserUpdate"},
    {"AdminGetDevice", "UserResourceRead"},
    {"AdminListDevices", "UserResourceRead"},
    {"GetDevice", "UserResourceRead"},
    {"ListDevices", "UserResourceRead"},
    {"AdminForgetDevice", "UserResourceUpdate"},
    {"AdminUpdateDeviceStatus", "UserResourceUpdate"},
    {"ConfirmDevice", "UserResourceUpdate"},
    {"ForgetDevice", "UserResourceUpdate"},
    {"UpdateDeviceStatus", "UserResourceUpdate"},
    {"ListUsers", "UserList"},
    {"ListUsersInGroup", "UserList"},
    {"DescribeRiskConfiguration", "UserPoolRead"},
    {"DescribeUserImportJob", "UserPoolRead"},
    {"DescribeUserPool", "UserPoolRead"},
    {"DescribeUserPoolDomain", "UserPoolRead"},
    {"GetCSVHeader", "UserPoolRead"},
    {"GetLogDeliveryConfiguration", "UserPoolRead"},
    {"GetSigningCertificate", "UserPoolRead"},
    {"GetUICustomization", "UserPoolRead"},
    {"GetUserPoolMfaConfig", "UserPoolRead"},
    {"ListTagsForResource", "UserPoolRead"},
    {"ListUserImportJobs", "UserPoolRead"},
    {"ListUserPools", "UserPoolRead"},
    {"AddCustomAttributes", "UserPoolUpdate"},
    {"CreateUserImportJob", "UserPoolUpdate"},
    {"CreateUserPool", "UserPoolUpdate"},
    {"CreateUserPoolDomain", "UserPoolUpdate"},
    {"DeleteUserPool", "UserPoolUpdate"},
    {"DeleteUserPoolDomain", "UserPoolUpdate"},
    {"SetLogDeliveryConfiguration", "UserPoolUpdate"},
    {"SetRiskConfiguration", "UserPoolUpdate"},
    {"SetUICustomization", "UserPoolUpdate"},
    {"SetUserPoolMfaConfig", "UserPoolUpdate"},
    {"StartUserImportJob", "UserPoolUpdate"},
    {"StopUserImportJob", "UserPoolUpdate"},
    {"TagResource", "UserPoolUpdate"},
    {"UntagResource", "UserPoolUpdate"},
    {"UpdateUserPool", "UserPoolUpdate"},
    {"UpdateUserPoolDomain", "UserPoolUpdate"},
    {"DescribeIdentityProvider", "UserPoolResourceRead"},
    {"DescribeResourceServer", "UserPoolResourceRead"},
    {"GetGroup", "UserPoolResourceRead"},
    {"GetIdentityProviderByIdentifier", "UserPoolResourceRead"},
    {"ListGroups", "UserPoolResourceRead"},
    {"ListIdentityProviders", "UserPoolResourceRead"},
    {"ListResourceServers", "UserPoolResourceRead"},
    {"CreateGroup", "UserPoolResourceUpdate"},
    {"CreateIdentityProvider", "UserPoolResourceUpdate"},
    {"CreateResourceServer", "UserPoolResourceUpdate"},
    {"DeleteGroup", "UserPoolResourceUpdate"},
    {"DeleteIdentityProvider", "UserPoolResourceUpdate"},
    {"DeleteResourceServer", "UserPoolResourceUpdate"},
    {"UpdateGroup", "UserPoolResourceUpdate"},
    {"UpdateIdentityProvider", "UserPoolResourceUpdate"},
    {"UpdateResourceServer", "UserPoolResourceUpdate"},
    {"GetTokensFromRefreshToken", "UserToken"},
    {"RevokeToken", "UserToken"},
    {"DescribeUserPoolClient", "UserPoolClientRead"},
    {"ListUserPoolClients", "UserPoolClientRead"},
    {"CreateUserPoolClient", "UserPoolClientUpdate"},
    {"DeleteUserPoolClient", "UserPoolClientUpdate"},
    {"UpdateUserPoolClient", "UserPoolClientUpdate"},
});

// Operations that act on one user count against that user's read or write bucket too.
enum class user_scope
{
    none,
    read,
    write,
};

user_scope scope_of(std::string_view category)
{
    if (category == "UserRead" || category == "UserResourceRead")
    {
        return user_scope::read;
    }
    if (category == "UserUpdate" || category == "UserResourceUpdate")
    {
        return user_scope::write;
    }
    return user_scope::none;
}

// "<pool>/<username>" the call acts on: from UserPoolId and Username, or from the claims of
// the access token (unverified here: a forged token is refused by the handler, after this).
std::string user_of(nlohmann::json const& input)
{
    auto const text = [&](char const* member) -> std::string
    {
        auto const found = input.find(member);
        return found != input.end() && found->is_string() ? found->get<std::string>()
                                                          : std::string{};
    };
    if (auto pool = text("UserPoolId"), name = text("Username"); !pool.empty() && !name.empty())
    {
        return pool + "/" + name;
    }
    auto const token = text("AccessToken");
    if (token.empty())
    {
        return {};
    }
    auto const decoded = auth::decode_jwt(token);
    if (!decoded || !decoded->payload.is_object())
    {
        return {};
    }
    auto const iss = decoded->payload.value("iss", nlohmann::json{}).is_string()
                         ? decoded->payload.at("iss").get<std::string>()
                         : std::string{};
    auto const sub = decoded->payload.value("sub", nlohmann::json{}).is_string()
                         ? decoded->payload.at("sub").get<std::string>()
                         : std::string{};
    if (sub.empty())
    {
        return {};
    }
    return iss.substr(iss.rfind('/') + 1) + "/" + sub;
}

// Buckets kept before idle full ones are dropped, so that many users cannot grow the map
// without bound.
constexpr std::size_t max_buckets = 10'000;

} // namespace

std::vector<std::pair<std::string, double>> default_quota_rates()
{
    std::vector<std::pair<std::string, double>> out;
    out.reserve(std::size(default_rates));
    for (auto const& [name, rate] : default_rates)
    {
        out.emplace_back(name, rate);
    }
    return out;
}

std::string_view quota_category_of(std::string_view operation)
{
    auto const found = std::find_if(
        categories.begin(),
        categories.end(),
        [&](operation_category const& c) { return c.operation == operation; }
    );
    return found == categories.end() ? std::string_view{} : found->category;
}

throttle::throttle(clock const& time, std::vector<std::pair<std::string, double>> const& overrides)
    : clock_(time)
{
    for (auto const& [name, rate] : default_rates)
    {
        rates_.emplace(name, rate);
    }
    for (auto const& [name, rate] : overrides)
    {
        rates_[name] = rate;
    }
}

double throttle::rate_of(std::string const& name) const
{
    auto const found = rates_.find(name);
    return found == rates_.end() ? 0 : found->second;
}

throttle::bucket& throttle::refilled(std::string const& key, double rate, std::int64_t now)
{
    if (buckets_.size() >= max_buckets && !buckets_.contains(key))
    {
        std::erase_if(
            buckets_,
            [&](auto const& entry)
            {
                // Full again after a second at any rate ≥ 1/s: forgetting it changes nothing.
                return now - entry.second.updated_ms > 1000;
            }
        );
    }
    // A burst of up to one second's worth (at least one call), refilled continuously.
    double const capacity = std::max(rate, 1.0);
    auto [it, inserted] = buckets_.try_emplace(key, bucket{capacity, now});
    auto& b = it->second;
    if (!inserted && now > b.updated_ms)
    {
        b.tokens =
            std::min(capacity, b.tokens + rate * static_cast<double>(now - b.updated_ms) / 1000);
        b.updated_ms = now;
    }
    return b;
}

void throttle::admit(
    std::string_view operation, std::string_view region, nlohmann::json const& input
)
{
    auto const category = quota_category_of(operation);
    if (category.empty())
    {
        return;
    }
    auto const scope = scope_of(category);
    std::string const user = scope == user_scope::none ? std::string{} : user_of(input);
    auto const now = clock_.now_ms();

    std::lock_guard lock{mutex_};
    auto const category_name = std::string{category};
    auto& shared = refilled(std::string{region} + " " + category_name, rate_of(category_name), now);
    bucket* personal = nullptr;
    if (!user.empty())
    {
        auto const name = std::string{scope == user_scope::read ? per_user_read : per_user_write};
        personal = &refilled(std::string{region} + " " + name + " " + user, rate_of(name), now);
    }
    // Take from both or neither: a refused call costs nothing.
    if (shared.tokens < 1 || (personal != nullptr && personal->tokens < 1))
    {
        throw errors::too_many_requests();
    }
    shared.tokens -= 1;
    if (personal != nullptr)
    {
        personal->tokens -= 1;
    }
}

void throttle::reset()
{
    std::lock_guard lock{mutex_};
    buckets_.clear();
}

} // namespace cognitod
