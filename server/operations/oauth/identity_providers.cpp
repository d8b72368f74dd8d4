// CreateIdentityProvider, DescribeIdentityProvider, ListIdentityProviders, UpdateIdentityProvider,
// DeleteIdentityProvider, GetIdentityProviderByIdentifier. Providers are stored and described as
// AWS keeps them; signing in through one is not offered (docs/fidelity.md).
#include "server/operations/common.hpp"
#include "server/operations/oauth/objects.hpp"

#include <map>
#include <set>

namespace cognitod
{

namespace
{

constexpr std::size_t max_providers = 300;

// The ProviderDetails keys each type needs at creation, as the API reference lists them.
std::vector<std::string_view> required_details(std::string_view type)
{
    if (type == "SignInWithApple")
    {
        return {"client_id", "team_id", "key_id", "private_key", "authorize_scopes"};
    }
    if (type == "OIDC")
    {
        return {"client_id", "attributes_request_method", "oidc_issuer", "authorize_scopes"};
    }
    if (type == "SAML")
    {
        return {};
    }
    return {"client_id", "client_secret", "authorize_scopes"};
}

// What DescribeIdentityProvider adds to a social provider's ProviderDetails: the endpoints
// Cognito fills in for it.
std::map<std::string, std::string> filled_details(std::string_view type, json const& given)
{
    if (type == "Google")
    {
        return {
            {"attributes_url", "https://people.googleapis.com/v1/people/me?personFields="},
            {"attributes_url_add_attributes", "true"},
            {"authorize_url", "https://accounts.google.com/o/oauth2/v2/auth"},
            {"oidc_issuer", "https://accounts.google.com"},
            {"token_request_method", "POST"},
            {"token_url", "https://www.googleapis.com/oauth2/v4/token"}};
    }
    if (type == "Facebook")
    {
        auto const version = given.value("api_version", std::string{"v17.0"});
        return {
            {"attributes_url", "https://graph.facebook.com/" + version + "/me?fields="},
            {"attributes_url_add_attributes", "true"},
            {"authorize_url", "https://www.facebook.com/" + version + "/dialog/oauth"},
            {"token_request_method", "GET"},
            {"token_url", "https://graph.facebook.com/" + version + "/oauth/access_token"}};
    }
    if (type == "LoginWithAmazon")
    {
        return {
            {"attributes_url", "https://api.amazon.com/user/profile"},
            {"attributes_url_add_attributes", "false"},
            {"authorize_url", "https://www.amazon.com/ap/oa"},
            {"token_request_method", "POST"},
            {"token_url", "https://api.amazon.com/auth/o2/token"}};
    }
    if (type == "SignInWithApple")
    {
        return {
            {"attributes_url_add_attributes", "false"},
            {"authorize_url", "https://appleid.apple.com/auth/authorize"},
            {"oidc_issuer", "https://appleid.apple.com"},
            {"token_request_method", "POST"},
            {"token_url", "https://appleid.apple.com/auth/token"}};
    }
    if (type == "OIDC")
    {
        return {{"attributes_url_add_attributes", "false"}};
    }
    return {};
}

void check_details(std::string const& type, json const& details)
{
    if (type == "SAML" && !details.contains("MetadataURL") && !details.contains("MetadataFile"))
    {
        throw errors::invalid_parameter(
            "At least one of the MetadataURL or MetadataFile should be provided."
        );
    }
    for (auto const key : required_details(type))
    {
        if (!details.contains(key))
        {
            throw errors::invalid_parameter(
                "ProviderDetails of a " + type + " provider need " + std::string{key} + "."
            );
        }
    }
}

// IdpIdentifiers: each once, and no other provider of the pool's.
void check_identifiers(
    request_context& ctx,
    storage::user_pool const& pool,
    json const& identifiers,
    std::string_view self
)
{
    std::set<std::string> seen;
    for (auto const& id : identifiers)
    {
        auto const text = id.get<std::string>();
        if (!seen.insert(text).second)
        {
            throw errors::invalid_parameter("Duplicate identifier: " + text);
        }
        auto const holder = provider_by_identifier(ctx, pool, text);
        if (holder && holder->name != self)
        {
            throw errors::invalid_parameter(
                "The identifier " + text + " is already used by provider " + holder->name + "."
            );
        }
    }
}

json provider_type(storage::user_pool const& pool, storage::pool_object const& o)
{
    auto out = json::parse(o.body);
    auto& details = out["ProviderDetails"];
    for (auto const& [key, value] :
         filled_details(out.at("ProviderType").get<std::string>(), details))
    {
        if (!details.contains(key))
        {
            details[key] = value;
        }
    }
    // Apple's signing key goes in and never comes out.
    details.erase("private_key");
    out["UserPoolId"] = pool.id;
    out["LastModifiedDate"] = epoch_seconds(o.last_modified);
    out["CreationDate"] = epoch_seconds(o.created);
    return out;
}

storage::pool_object
require_provider(request_context& ctx, storage::user_pool const& pool, std::string const& name)
{
    auto found = ctx.store.find_pool_object(pool.seq, identity_provider_kind, name);
    if (!found)
    {
        throw errors::resource_not_found(
            "Identity provider " + name + " for tenantId " + pool.id + " does not exist."
        );
    }
    return std::move(*found);
}

} // namespace

storage::pool_object
make_identity_provider(request_context& ctx, storage::user_pool const& pool, json const& input)
{
    auto const name = input.at("ProviderName").get<std::string>();
    auto const type = input.at("ProviderType").get<std::string>();
    bool const social = type != "SAML" && type != "OIDC";
    if (social && name != type)
    {
        throw errors::invalid_parameter("Provider " + name + " cannot be of type " + type + ".");
    }
    auto const& details = input.at("ProviderDetails");
    check_details(type, details);
    if (ctx.store.find_pool_object(pool.seq, identity_provider_kind, name))
    {
        throw errors::duplicate_provider(name + " already exists in user pool " + pool.id);
    }
    if (ctx.store.list_pool_objects(pool.seq, identity_provider_kind, 0, max_providers).size() >=
        max_providers)
    {
        throw errors::limit_exceeded(
            "A user pool can have at most " + std::to_string(max_providers) + " identity providers."
        );
    }
    auto const& identifiers = list_member(input, "IdpIdentifiers");
    check_identifiers(ctx, pool, identifiers, name);
    json body{
        {"ProviderName", name},
        {"ProviderType", type},
        {"ProviderDetails", details},
        // Without a mapping, the provider's subject becomes the username.
        {"AttributeMapping", input.value("AttributeMapping", json{{"username", "sub"}})},
        {"IdpIdentifiers", identifiers}};
    return add_pool_object(ctx, pool, identity_provider_kind, name, body.dump());
}

namespace
{

json create_identity_provider(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    return {{"IdentityProvider", provider_type(pool, make_identity_provider(ctx, pool, input))}};
}

json describe_identity_provider(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const o = require_provider(ctx, pool, input.at("ProviderName").get<std::string>());
    return {{"IdentityProvider", provider_type(pool, o)}};
}

json list_identity_providers(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    return one_page(
        ctx,
        input,
        {"identity-providers." + std::to_string(pool.seq), "MaxResults", 60},
        "Providers",
        [&](std::int64_t after, std::size_t count)
        { return ctx.store.list_pool_objects(pool.seq, identity_provider_kind, after, count); },
        [](storage::pool_object const& o) { return o.seq; },
        [](storage::pool_object const& o)
        {
            auto const body = json::parse(o.body);
            return json{
                {"ProviderName", o.name},
                {"ProviderType", body.at("ProviderType")},
                {"LastModifiedDate", epoch_seconds(o.last_modified)},
                {"CreationDate", epoch_seconds(o.created)}};
        }
    );
}

json update_identity_provider(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const name = input.at("ProviderName").get<std::string>();
    auto found = ctx.store.find_pool_object(pool.seq, identity_provider_kind, name);
    if (!found)
    {
        throw errors::resource_not_found(
            "Identity provider " + name + " in User Pool " + pool.id + " does not exist."
        );
    }
    auto body = json::parse(found->body);
    auto const type = body.at("ProviderType").get<std::string>();
    // Each member given replaces the stored one; the rest stays.
    if (auto it = input.find("ProviderDetails"); it != input.end() && it->is_object())
    {
        auto details = *it;
        // A secret left out is kept: describe never shows Apple's key, so it cannot be echoed.
        if (auto key = body["ProviderDetails"].find("private_key");
            key != body["ProviderDetails"].end() && !details.contains("private_key"))
        {
            details["private_key"] = *key;
        }
        check_details(type, details);
        body["ProviderDetails"] = std::move(details);
    }
    if (auto it = input.find("AttributeMapping"); it != input.end() && it->is_object())
    {
        body["AttributeMapping"] = *it;
    }
    if (auto it = input.find("IdpIdentifiers"); it != input.end() && it->is_array())
    {
        check_identifiers(ctx, pool, *it, name);
        body["IdpIdentifiers"] = *it;
    }
    found->body = body.dump();
    found->last_modified = ctx.now_ms;
    ctx.store.update_pool_object(*found);
    return {{"IdentityProvider", provider_type(pool, *found)}};
}

json delete_identity_provider(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const o = require_provider(ctx, pool, input.at("ProviderName").get<std::string>());
    // App clients that name it keep the name, as on AWS; their next update is refused.
    ctx.store.delete_pool_object(o.seq);
    return json::object();
}

json get_identity_provider_by_identifier(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const identifier = input.at("IdpIdentifier").get<std::string>();
    auto const o = provider_by_identifier(ctx, pool, identifier);
    if (!o)
    {
        throw errors::resource_not_found(
            "Identity provider with identifier " + identifier + " does not exist."
        );
    }
    return {{"IdentityProvider", provider_type(pool, *o)}};
}

} // namespace

std::optional<storage::pool_object> provider_by_identifier(
    request_context& ctx, storage::user_pool const& pool, std::string const& identifier
)
{
    for (auto& o : ctx.store.list_pool_objects(pool.seq, identity_provider_kind, 0, max_providers))
    {
        auto const ids = json::parse(o.body).value("IdpIdentifiers", json::array());
        if (std::find(ids.begin(), ids.end(), identifier) != ids.end())
        {
            return std::move(o);
        }
    }
    return std::nullopt;
}

std::vector<operation_entry> identity_provider_operations()
{
    return {
        {"CreateIdentityProvider", &create_identity_provider, access::write},
        {"DescribeIdentityProvider", &describe_identity_provider, access::read},
        {"ListIdentityProviders", &list_identity_providers, access::read},
        {"UpdateIdentityProvider", &update_identity_provider, access::write},
        {"DeleteIdentityProvider", &delete_identity_provider, access::write},
        {"GetIdentityProviderByIdentifier", &get_identity_provider_by_identifier, access::read},
    };
}

} // namespace cognitod
