#include "server/operations/triggers/token_generation.hpp"

#include "server/operations/common.hpp"
#include "server/operations/sign_in/sign_in.hpp"
#include "server/operations/triggers/triggers.hpp"

#include <algorithm>
#include <array>

namespace cognitod
{

namespace
{

// Claims the function cannot add, change or remove: what says whose token it is, for whom, when
// and from whom, and what Cognito vouches for itself (groups go through groupOverrideDetails, the
// access token's scope through scopesToAdd and scopesToSuppress).
constexpr std::array<std::string_view, 20> reserved_in_id{
    "acr",        "amr",
    "at_hash",    "aud",
    "auth_time",  "azp",
    "c_hash",     "exp",
    "iat",        "identities",
    "iss",        "jti",
    "nbf",        "nonce",
    "origin_jti", "sub",
    "token_use",  "cognito:username",
    "event_id",   "cognito:groups",
};
constexpr std::array<std::string_view, 21> reserved_in_access{
    "acr", "amr",        "aud",      "auth_time", "azp",      "client_id",  "exp",
    "iat", "identities", "iss",      "jti",       "nbf",      "origin_jti", "scope",
    "sub", "token_use",  "username", "version",   "event_id", "device_key", "cognito:groups",
};

template <std::size_t N>
bool reserved(std::array<std::string_view, N> const& names, std::string_view claim)
{
    return std::find(names.begin(), names.end(), claim) != names.end();
}

aws_error unrecognizable()
{
    return errors::invalid_lambda_response("Unrecognizable lambda output");
}

// A member of the answer that may be absent or null; of another type than wanted, the answer is
// not one Cognito reads.
json const* optional_member(json const& object, char const* name, json::value_t type)
{
    auto const it = object.find(name);
    if (it == object.end() || it->is_null())
    {
        return nullptr;
    }
    if (it->type() != type)
    {
        throw unrecognizable();
    }
    return &*it;
}

// The claim of this name in claims (a claim_list, const or not), or its end.
template <class Claims> auto find_claim(Claims& claims, std::string_view name)
{
    return std::find_if(
        claims.begin(), claims.end(), [&](auto const& c) { return c.first == name; }
    );
}

void set_claim(claim_list& claims, std::string const& name, json value)
{
    auto const it = find_claim(claims, name);
    if (it == claims.end())
    {
        claims.emplace_back(name, std::move(value));
    }
    else
    {
        it->second = std::move(value);
    }
}

void remove_claim(claim_list& claims, std::string_view name)
{
    std::erase_if(claims, [&](auto const& c) { return c.first == name; });
}

// claimsToAddOrOverride and claimsToSuppress. A V1_0 answer's values are strings.
template <std::size_t N>
void apply_claims(
    json const& generation,
    claim_list& claims,
    std::array<std::string_view, N> const& reserved_names,
    bool strings_only
)
{
    if (auto const* add =
            optional_member(generation, "claimsToAddOrOverride", json::value_t::object))
    {
        for (auto const& [name, value] : add->items())
        {
            if (strings_only && !value.is_string())
            {
                throw unrecognizable();
            }
            if (!reserved(reserved_names, name))
            {
                set_claim(claims, name, value);
            }
        }
    }
    if (auto const* suppress =
            optional_member(generation, "claimsToSuppress", json::value_t::array))
    {
        for (auto const& name : *suppress)
        {
            if (!name.is_string())
            {
                throw unrecognizable();
            }
            if (!reserved(reserved_names, name.get<std::string>()))
            {
                remove_claim(claims, name.get<std::string>());
            }
        }
    }
}

std::vector<std::string> string_list(json const& list)
{
    std::vector<std::string> out;
    for (auto const& item : list)
    {
        if (!item.is_string())
        {
            throw unrecognizable();
        }
        out.push_back(item.get<std::string>());
    }
    return out;
}

// groupOverrideDetails: cognito:groups in both tokens, cognito:roles and cognito:preferred_role in
// the ID token. An empty list removes the claim, as a user in no group has none.
void apply_groups(json const& details, claim_list& access, claim_list* id)
{
    auto const* groups = optional_member(details, "groupOverrideDetails", json::value_t::object);
    if (groups == nullptr)
    {
        return;
    }
    auto const replace = [](claim_list& claims, char const* name, json const* value)
    {
        if (value == nullptr)
        {
            return;
        }
        if (value->empty())
        {
            remove_claim(claims, name);
        }
        else
        {
            set_claim(claims, name, *value);
        }
    };
    auto const* names = optional_member(*groups, "groupsToOverride", json::value_t::array);
    auto const* roles = optional_member(*groups, "iamRolesToOverride", json::value_t::array);
    if (names != nullptr)
    {
        string_list(*names);
    }
    if (roles != nullptr)
    {
        string_list(*roles);
    }
    replace(access, "cognito:groups", names);
    if (id == nullptr)
    {
        return;
    }
    replace(*id, "cognito:groups", names);
    replace(*id, "cognito:roles", roles);
    auto const it = groups->find("preferredRole");
    if (it != groups->end() && it->is_string())
    {
        set_claim(*id, "cognito:preferred_role", *it);
    }
}

std::string claim_text(claim_list const& claims, std::string_view name)
{
    auto const it = find_claim(claims, name);
    return it != claims.end() && it->second.is_string() ? it->second.get<std::string>()
                                                        : std::string{};
}

// scopesToAdd and scopesToSuppress, on the access token's scope claim.
void apply_scopes(json const& generation, claim_list& access)
{
    auto scopes = split_scope(claim_text(access, "scope"));
    if (auto const* add = optional_member(generation, "scopesToAdd", json::value_t::array))
    {
        for (auto const& scope : string_list(*add))
        {
            if (std::find(scopes.begin(), scopes.end(), scope) == scopes.end())
            {
                scopes.push_back(scope);
            }
        }
    }
    if (auto const* suppress =
            optional_member(generation, "scopesToSuppress", json::value_t::array))
    {
        for (auto const& scope : string_list(*suppress))
        {
            std::erase(scopes, scope);
        }
    }
    set_claim(access, "scope", join_scope(scopes));
}

json group_configuration(group_claims const* groups)
{
    return {
        {"groupsToOverride", groups != nullptr ? json(groups->groups) : json::array()},
        {"iamRolesToOverride", groups != nullptr ? json(groups->roles) : json::array()},
        {"preferredRole",
         groups != nullptr && groups->preferred_role ? json(*groups->preferred_role) : json()},
    };
}

} // namespace

void customize_tokens(
    request_context& ctx,
    storage::user_pool const& pool,
    token_request const& request,
    claim_list& access,
    claim_list* id
)
{
    if (!has_trigger(pool, "PreTokenGeneration"))
    {
        return;
    }
    auto const config = pool.settings->value("LambdaConfig", json::object());
    auto const version = config.value("PreTokenGenerationConfig", json::object())
                             .value("LambdaVersion", std::string{"V1_0"});
    bool const machine = request.user == nullptr;
    // Only V3_0 customizes the client_credentials grant's access token.
    if (machine && version != "V3_0")
    {
        return;
    }
    bool const v1 = version == "V1_0";
    trigger_event event{
        "PreTokenGeneration",
        "TokenGeneration_" + std::string{request.source},
        machine ? std::string{} : request.user->username,
        request.client_id,
    };
    event.version = v1 ? "1" : version == "V2_0" ? "2" : "3";
    event.request = {
        {"userAttributes", machine ? json::object() : user_attributes_with_status(*request.user)},
        {"groupConfiguration", group_configuration(request.groups)},
    };
    if (!v1)
    {
        event.request["scopes"] = split_scope(claim_text(access, "scope"));
    }
    event.request["clientMetadata"] = answer_client_metadata(ctx);
    char const* const details_name = v1 ? "claimsOverrideDetails" : "claimsAndScopeOverrideDetails";
    event.response = {{details_name, nullptr}};
    auto const response = call_trigger(ctx, pool, event);
    if (!response)
    {
        return;
    }
    auto const* details = optional_member(*response, details_name, json::value_t::object);
    if (details == nullptr)
    {
        return;
    }
    if (v1)
    {
        if (id != nullptr)
        {
            apply_claims(*details, *id, reserved_in_id, /*strings_only=*/true);
        }
        apply_groups(*details, access, id);
        return;
    }
    if (auto const* generation =
            optional_member(*details, "idTokenGeneration", json::value_t::object);
        generation != nullptr && id != nullptr)
    {
        apply_claims(*generation, *id, reserved_in_id, /*strings_only=*/false);
    }
    if (auto const* generation =
            optional_member(*details, "accessTokenGeneration", json::value_t::object))
    {
        apply_claims(*generation, access, reserved_in_access, /*strings_only=*/false);
        apply_scopes(*generation, access);
    }
    apply_groups(*details, access, id);
}

} // namespace cognitod
