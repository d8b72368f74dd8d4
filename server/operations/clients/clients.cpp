// CreateUserPoolClient, DescribeUserPoolClient, ListUserPoolClients, UpdateUserPoolClient,
// DeleteUserPoolClient.
#include "server/operations/clients/clients.hpp"

#include "server/operations/common.hpp"
#include "server/operations/sign_in/sign_in.hpp"

#include <algorithm>

namespace cognitod
{

namespace
{

// Members copied as given; the rest of the shape is defaulted or derived below.
constexpr std::string_view copied_members[] = {
    "AccessTokenValidity",
    "IdTokenValidity",
    "ExplicitAuthFlows",
    "SupportedIdentityProviders",
    "CallbackURLs",
    "LogoutURLs",
    "DefaultRedirectURI",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "AnalyticsConfiguration",
    "PreventUserExistenceErrors",
    "RefreshTokenRotation",
    "WriteAttributes",
};

std::int64_t
seconds_of(json const& units, char const* name, std::int64_t value, std::string_view default_unit)
{
    auto const unit = units.value(name, std::string{default_unit});
    std::int64_t const scale = unit == "seconds"   ? 1
                               : unit == "minutes" ? 60
                               : unit == "days"    ? 86400
                                                   : 3600;
    return value * scale;
}

void check_validity(json const& settings)
{
    auto const units = settings.value("TokenValidityUnits", json::object());
    auto const access =
        seconds_of(units, "AccessToken", settings.value("AccessTokenValidity", 1), "hours");
    auto const id = seconds_of(units, "IdToken", settings.value("IdTokenValidity", 1), "hours");
    auto const refresh =
        seconds_of(units, "RefreshToken", settings.value("RefreshTokenValidity", 30), "days");
    // Access and ID tokens: 5 minutes to a day; refresh tokens: an hour to ten years.
    bool const ok = access >= 300 && access <= 86400 && id >= 300 && id <= 86400 &&
                    refresh >= 3600 && refresh <= 315360000;
    if (!ok)
    {
        throw errors::invalid_parameter("Invalid range for token validity.");
    }
}

void check_attribute_names(storage::user_pool const& pool, json const& names, char const* what)
{
    auto const& schema = pool.settings->at("SchemaAttributes");
    for (auto const& name : names)
    {
        bool const known = std::any_of(
            schema.begin(),
            schema.end(),
            [&](json const& entry) { return entry.at("Name") == name; }
        );
        if (!known)
        {
            throw errors::invalid_parameter(
                std::string{"Invalid "} + what + " attributes specified while creating a client"
            );
        }
    }
}

// The UserPoolClient shape's settings from a Create/Update request: what it gives, else AWS's
// defaults (Update, like Create, resets what it omits).
json client_settings(storage::user_pool const& pool, json const& input)
{
    json settings = json::object();
    for (auto member : copied_members)
    {
        if (auto it = input.find(member); it != input.end() && !it->is_null())
        {
            settings[std::string{member}] = *it;
        }
    }
    auto const refresh = input.value("RefreshTokenValidity", 0);
    settings["RefreshTokenValidity"] = refresh == 0 ? 30 : refresh;
    settings["TokenValidityUnits"] = input.value("TokenValidityUnits", json::object());
    if (auto read = input.find("ReadAttributes"); read != input.end() && read->is_array())
    {
        // Cognito keeps readable attributes as a sorted set.
        auto names = read->get<std::vector<std::string>>();
        std::sort(names.begin(), names.end());
        names.erase(std::unique(names.begin(), names.end()), names.end());
        check_attribute_names(pool, names, "read");
        settings["ReadAttributes"] = names;
    }
    if (settings.contains("WriteAttributes"))
    {
        check_attribute_names(pool, settings["WriteAttributes"], "write");
    }
    settings["AllowedOAuthFlowsUserPoolClient"] =
        input.value("AllowedOAuthFlowsUserPoolClient", false);
    settings["EnableTokenRevocation"] = input.value("EnableTokenRevocation", true);
    settings["EnablePropagateAdditionalUserContextData"] =
        input.value("EnablePropagateAdditionalUserContextData", false);
    settings["AuthSessionValidity"] = input.value("AuthSessionValidity", 3);
    if (auto flows = settings.find("ExplicitAuthFlows"); flows != settings.end())
    {
        auto const modern = std::count_if(
            flows->begin(),
            flows->end(),
            [](json const& f) { return f.get<std::string>().starts_with("ALLOW_"); }
        );
        if (modern != 0 && static_cast<std::size_t>(modern) != flows->size())
        {
            throw errors::invalid_parameter(
                "ExplicitAuthFlows cannot mix legacy values with values that begin with ALLOW_."
            );
        }
    }
    check_validity(settings);
    return settings;
}

json client_type(storage::user_pool const& pool, storage::app_client const& c)
{
    json out = c.settings;
    out["UserPoolId"] = pool.id;
    out["ClientName"] = c.name;
    out["ClientId"] = c.id;
    if (!c.secret.empty())
    {
        out["ClientSecret"] = c.secret;
    }
    out["LastModifiedDate"] = epoch_seconds(c.last_modified);
    out["CreationDate"] = epoch_seconds(c.created);
    return out;
}

json create_user_pool_client(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    return {{"UserPoolClient", client_type(pool, create_client(ctx, pool, input, std::nullopt))}};
}

json describe_user_pool_client(request_context& ctx, json const& input)
{
    auto const pool_id = input.at("UserPoolId").get<std::string>();
    require_pool(ctx, pool_id);
    auto const target = require_client(ctx, input.at("ClientId").get<std::string>(), pool_id);
    return {{"UserPoolClient", client_type(target.pool, target.client)}};
}

json list_user_pool_clients(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const after =
        read_page_token(ctx, input, "NextToken", "clients." + std::to_string(pool.seq));
    auto const limit = page_size(input, "MaxResults", 60);
    auto clients = ctx.store.list_app_clients(pool.seq, after, limit + 1);
    json out = json::object();
    if (clients.size() > limit)
    {
        clients.pop_back();
        out["NextToken"] =
            make_page_token("clients." + std::to_string(pool.seq), clients.back().seq);
    }
    json list = json::array();
    for (auto const& c : clients)
    {
        list.push_back({{"ClientId", c.id}, {"UserPoolId", pool.id}, {"ClientName", c.name}});
    }
    out["UserPoolClients"] = std::move(list);
    return out;
}

json update_user_pool_client(request_context& ctx, json const& input)
{
    auto const pool_id = input.at("UserPoolId").get<std::string>();
    require_pool(ctx, pool_id);
    auto target = require_client(ctx, input.at("ClientId").get<std::string>(), pool_id);
    auto& c = target.client;
    c.settings = client_settings(target.pool, input);
    if (auto name = input.find("ClientName"); name != input.end() && name->is_string())
    {
        c.name = name->get<std::string>();
    }
    c.last_modified = ctx.now_ms;
    ctx.store.update_app_client(c);
    return {{"UserPoolClient", client_type(target.pool, c)}};
}

json delete_user_pool_client(request_context& ctx, json const& input)
{
    auto const pool_id = input.at("UserPoolId").get<std::string>();
    require_pool(ctx, pool_id);
    auto const target = require_client(ctx, input.at("ClientId").get<std::string>(), pool_id);
    ctx.store.delete_app_client(target.client.seq);
    return json::object();
}

} // namespace

storage::app_client create_client(
    request_context& ctx,
    storage::user_pool const& pool,
    json const& input,
    std::optional<std::string> const& fixed_id
)
{
    storage::app_client c;
    c.id = fixed_id ? *fixed_id : ctx.ids.lower_alphanumeric(26);
    c.pool_seq = pool.seq;
    c.name = input.at("ClientName").get<std::string>();
    c.settings = client_settings(pool, input);
    if (auto given = input.find("ClientSecret"); given != input.end() && given->is_string())
    {
        c.secret = given->get<std::string>();
    }
    else if (input.value("GenerateSecret", false))
    {
        c.secret = ctx.ids.lower_alphanumeric(52);
    }
    c.created = ctx.now_ms;
    c.last_modified = ctx.now_ms;
    c.seq = ctx.store.insert_app_client(c);
    return c;
}

std::vector<operation_entry> client_operations()
{
    return {
        {"CreateUserPoolClient", &create_user_pool_client, access::write},
        {"DescribeUserPoolClient", &describe_user_pool_client, access::read},
        {"ListUserPoolClients", &list_user_pool_clients, access::read},
        {"UpdateUserPoolClient", &update_user_pool_client, access::write},
        {"DeleteUserPoolClient", &delete_user_pool_client, access::write},
    };
}

} // namespace cognitod
