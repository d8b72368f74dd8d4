// CreateUserPoolClient, DescribeUserPoolClient, ListUserPoolClients, UpdateUserPoolClient,
// DeleteUserPoolClient.
#include "server/operations/clients/clients.hpp"

#include "server/operations/common.hpp"
#include "server/operations/oauth/objects.hpp"
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

// http is for a browser on the same machine only; a fragment cannot come back from a redirect.
void check_redirect_urls(json const& settings, char const* member)
{
    auto const urls = settings.find(member);
    if (urls == settings.end())
    {
        return;
    }
    for (auto const& url : *urls)
    {
        auto const text = url.get<std::string>();
        if (text.starts_with("http://"))
        {
            auto const rest = std::string_view{text}.substr(7);
            auto const host = rest.substr(0, rest.find_first_of("/?#"));
            auto const name = host.starts_with("[") ? host.substr(0, host.find(']') + 1)
                                                    : host.substr(0, host.find(':'));
            if (name != "localhost" && name != "127.0.0.1" && name != "[::1]")
            {
                throw errors::invalid_parameter(text + " cannot use the HTTP protocol.");
            }
        }
        if (text.find('#') != std::string::npos)
        {
            throw errors::invalid_parameter(text + " must not include a fragment component.");
        }
    }
}

bool is_standard_scope(std::string_view scope)
{
    return scope == "openid" || scope == "email" || scope == "phone" || scope == "profile" ||
           scope == "aws.cognito.signin.user.admin";
}

// A custom scope, <identifier>/<name>, of one of the pool's resource servers.
bool is_pool_scope(request_context& ctx, storage::user_pool const& pool, std::string const& scope)
{
    auto const slash = scope.rfind('/');
    if (slash == std::string::npos)
    {
        return false;
    }
    auto const server =
        ctx.store.find_pool_object(pool.seq, resource_server_kind, scope.substr(0, slash));
    if (!server)
    {
        return false;
    }
    auto const scopes = json::parse(server->body).at("Scopes");
    return std::any_of(
        scopes.begin(),
        scopes.end(),
        [&](json const& s) { return s.at("ScopeName") == scope.substr(slash + 1); }
    );
}

// The OAuth settings' rules, as CreateUserPoolClient and UpdateUserPoolClient apply them.
void check_oauth(
    request_context& ctx, storage::user_pool const& pool, json const& settings, bool has_secret
)
{
    for (auto const& provider : settings.value("SupportedIdentityProviders", json::array()))
    {
        auto const name = provider.get<std::string>();
        if (name != "COGNITO" &&
            !ctx.store.find_pool_object(pool.seq, identity_provider_kind, name))
        {
            throw errors::invalid_parameter(
                "The provider " + name + " does not exist for User Pool " + pool.id + "."
            );
        }
    }
    check_redirect_urls(settings, "CallbackURLs");
    check_redirect_urls(settings, "LogoutURLs");
    if (auto it = settings.find("DefaultRedirectURI");
        it != settings.end() && !lists(settings, "CallbackURLs", it->get<std::string>()))
    {
        throw errors::invalid_parameter("DefaultRedirectURI must be one of the CallbackURLs.");
    }
    auto const scopes = settings.value("AllowedOAuthScopes", json::array());
    for (auto const& scope : scopes)
    {
        auto const text = scope.get<std::string>();
        if (!is_standard_scope(text) && !is_pool_scope(ctx, pool, text))
        {
            throw errors::scope_does_not_exist("Invalid scope requested: " + text);
        }
    }
    auto const flows = settings.value("AllowedOAuthFlows", json::array());
    if (settings.value("AllowedOAuthFlowsUserPoolClient", false) &&
        (flows.empty() || scopes.empty()))
    {
        throw errors::invalid_parameter(
            "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is "
            "allowed to use OAuth flows."
        );
    }
    bool const browser_flow = lists(settings, "AllowedOAuthFlows", "code") ||
                              lists(settings, "AllowedOAuthFlows", "implicit");
    if (lists(settings, "AllowedOAuthFlows", "client_credentials"))
    {
        if (browser_flow)
        {
            throw errors::invalid_oauth_flow(
                "client_credentials flow can not be selected along with code flow or implicit "
                "flow."
            );
        }
        if (!has_secret)
        {
            throw errors::invalid_oauth_flow(
                "client_credentials flow can not be selected if client does not have a client "
                "secret."
            );
        }
        for (auto const& scope : scopes)
        {
            if (is_standard_scope(scope.get<std::string>()))
            {
                throw errors::invalid_oauth_flow(
                    scope.get<std::string>() + " is not supported with client_credentials flow"
                );
            }
        }
    }
    if (browser_flow && settings.value("CallbackURLs", json::array()).empty())
    {
        throw errors::invalid_oauth_flow(
            "CallbackUrls can not be empty when code flow or implicit flow is selected"
        );
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
    check_oauth(ctx, target.pool, c.settings, !c.secret.empty());
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
    // Its UI customization goes with it; a client made later never has its id.
    if (auto const ui =
            ctx.store.find_pool_object(target.pool.seq, ui_customization_kind, target.client.id))
    {
        ctx.store.delete_pool_object(ui->seq);
    }
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
    check_oauth(ctx, pool, c.settings, !c.secret.empty());
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
