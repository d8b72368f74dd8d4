// The objects a pool's OAuth 2.0 side is made of: CreateUserPoolDomain, DescribeUserPoolDomain,
// UpdateUserPoolDomain, DeleteUserPoolDomain; CreateResourceServer, DescribeResourceServer,
// ListResourceServers, UpdateResourceServer, DeleteResourceServer.
#include "server/operations/oauth/objects.hpp"

#include "server/auth/encoding.hpp"
#include "server/operations/common.hpp"

#include <set>

namespace cognitod
{

namespace
{

// The prefix rule AWS applies itself (the model's pattern for DomainType, which cognitod's
// validator leaves to this check: a custom domain is a host name with dots).
constexpr std::string_view prefix_pattern = R"(^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$)";

bool is_prefix(std::string_view domain)
{
    auto const edge = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    return !domain.empty() && edge(domain.front()) && edge(domain.back()) &&
           std::all_of(domain.begin(), domain.end(), [&](char c) { return edge(c) || c == '-'; });
}

// A host name of two or more labels of letters, digits and inner hyphens.
bool is_host_name(std::string_view domain)
{
    std::size_t labels = 0;
    for (std::size_t start = 0; start <= domain.size(); ++labels)
    {
        auto const dot = std::min(domain.find('.', start), domain.size());
        auto const label = domain.substr(start, dot - start);
        if (label.empty() || label.size() > 63 || !is_prefix(label))
        {
            return false;
        }
        start = dot + 1;
    }
    return labels >= 2;
}

// The CloudFront host a domain would have on AWS: the same for the same domain.
std::string cloudfront_domain(std::string_view domain)
{
    constexpr std::string_view alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    auto const digest = auth::sha256(std::string{"cloudfront:"} + std::string{domain});
    std::string host = "d";
    for (std::size_t i = 0; i < 13; ++i)
    {
        host += alphabet[static_cast<unsigned char>(digest[i]) % alphabet.size()];
    }
    return host + ".cloudfront.net";
}

std::int64_t managed_login_version(json const& input, std::int64_t current)
{
    auto const it = input.find("ManagedLoginVersion");
    if (it == input.end() || it->is_null())
    {
        return current;
    }
    auto const version = it->get<std::int64_t>();
    if (version != 1 && version != 2)
    {
        throw errors::invalid_parameter("ManagedLoginVersion must be 1 or 2.");
    }
    return version;
}

std::optional<std::string> certificate_arn(json const& input)
{
    auto const config = input.find("CustomDomainConfig");
    if (config == input.end() || !config->is_object())
    {
        return std::nullopt;
    }
    return config->at("CertificateArn").get<std::string>();
}

json domain_answer(storage::pool_domain const& d)
{
    json out{{"ManagedLoginVersion", d.managed_login_version}};
    if (d.custom)
    {
        out["CloudFrontDomain"] = cloudfront_domain(d.domain);
    }
    return out;
}

} // namespace

storage::pool_domain
make_domain(request_context& ctx, storage::user_pool const& pool, json const& input)
{
    storage::pool_domain d;
    d.domain = input.at("Domain").get<std::string>();
    d.pool_seq = pool.seq;
    d.certificate_arn = certificate_arn(input);
    d.custom = d.certificate_arn.has_value();
    d.managed_login_version = managed_login_version(input, 1);
    d.created = ctx.now_ms;
    if (!d.custom && !is_prefix(d.domain))
    {
        throw errors::invalid_parameter(
            "The domain name contains an invalid character. Domain names can only contain "
            "lower-case letters, numbers, and hyphens. Please enter a different name that "
            "follows this format: " +
            std::string{prefix_pattern}
        );
    }
    if (d.custom && !is_host_name(d.domain))
    {
        throw errors::invalid_parameter(
            "The custom domain must be a fully qualified domain name, such as auth.example.com."
        );
    }
    if (!d.custom)
    {
        for (std::string_view reserved : {"aws", "amazon", "cognito"})
        {
            if (d.domain.find(reserved) != std::string::npos)
            {
                throw errors::invalid_parameter(
                    "Domain cannot contain reserved word: " + std::string{reserved}
                );
            }
        }
    }
    if (ctx.store.find_domain(d.domain))
    {
        throw errors::invalid_parameter("Domain already associated with another user pool.");
    }
    for (auto const& existing : ctx.store.domains_of_pool(pool.seq))
    {
        if (existing.custom == d.custom)
        {
            throw errors::invalid_parameter("User pool already has a domain configured.");
        }
    }
    ctx.store.insert_domain(d);
    return d;
}

namespace
{

json create_user_pool_domain(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    return domain_answer(make_domain(ctx, pool, input));
}

json describe_user_pool_domain(request_context& ctx, json const& input)
{
    auto const d = ctx.store.find_domain(input.at("Domain").get<std::string>());
    if (!d)
    {
        // AWS answers an unknown domain with an empty description, not an error.
        return {{"DomainDescription", json::object()}};
    }
    auto const pool = ctx.store.find_user_pool_by_seq(d->pool_seq);
    auto const region = std::string{pool_region(pool->id)};
    json out{
        {"UserPoolId", pool->id},
        {"AWSAccountId", ctx.account_id},
        {"Domain", d->domain},
        {"S3Bucket", "aws-cognito-prod-" + region + "-assets"},
        {"CloudFrontDistribution", cloudfront_domain(d->domain)},
        {"Version", std::to_string(d->created)},
        {"Status", "ACTIVE"},
        {"ManagedLoginVersion", d->managed_login_version}};
    if (d->custom)
    {
        out["CustomDomainConfig"] = {{"CertificateArn", *d->certificate_arn}};
    }
    return {{"DomainDescription", std::move(out)}};
}

// The pool's domain of that name: InvalidParameterException when either is missing or the
// domain is another pool's.
storage::pool_domain require_domain(request_context& ctx, json const& input)
{
    auto const pool = ctx.store.find_user_pool(input.at("UserPoolId").get<std::string>());
    auto d = ctx.store.find_domain(input.at("Domain").get<std::string>());
    if (!pool || !d || d->pool_seq != pool->seq)
    {
        throw errors::invalid_parameter("No such domain or user pool exists.");
    }
    return std::move(*d);
}

json update_user_pool_domain(request_context& ctx, json const& input)
{
    auto d = require_domain(ctx, input);
    d.managed_login_version = managed_login_version(input, d.managed_login_version);
    auto arn = certificate_arn(input);
    if (arn && !d.custom)
    {
        throw errors::invalid_parameter(
            "User pool should have a custom domain associated, failed to update the certificate."
        );
    }
    if (d.custom && !arn)
    {
        // Without CustomDomainConfig the request describes a prefix domain.
        throw errors::invalid_parameter("Cannot convert custom domain to prefix domain.");
    }
    if (arn)
    {
        d.certificate_arn = std::move(arn);
    }
    ctx.store.update_domain(d);
    return domain_answer(d);
}

json delete_user_pool_domain(request_context& ctx, json const& input)
{
    ctx.store.delete_domain(require_domain(ctx, input).domain);
    return json::object();
}

constexpr std::size_t max_resource_servers = 25;

json resource_server_type(storage::user_pool const& pool, storage::pool_object const& o)
{
    auto out = json::parse(o.body);
    out["UserPoolId"] = pool.id;
    return out;
}

storage::pool_object require_resource_server(
    request_context& ctx, storage::user_pool const& pool, std::string const& identifier
)
{
    auto found = ctx.store.find_pool_object(pool.seq, resource_server_kind, identifier);
    if (!found)
    {
        throw errors::resource_not_found("Resource server " + identifier + " does not exist.");
    }
    return std::move(*found);
}

// A resource server's stored shape from Create/UpdateResourceServer: Update replaces the name and
// every scope.
std::string resource_server_body(json const& input)
{
    json scopes = json::array();
    std::set<std::string> names;
    for (auto const& scope : list_member(input, "Scopes"))
    {
        auto const name = scope.at("ScopeName").get<std::string>();
        if (!names.insert(name).second)
        {
            throw errors::invalid_parameter("Duplicate scope names are not allowed: " + name);
        }
        scopes.push_back({{"ScopeName", name}, {"ScopeDescription", scope.at("ScopeDescription")}});
    }
    return json{
        {"Identifier", input.at("Identifier")}, {"Name", input.at("Name")}, {"Scopes", scopes}}
        .dump();
}

} // namespace

storage::pool_object
make_resource_server(request_context& ctx, storage::user_pool const& pool, json const& input)
{
    auto const identifier = input.at("Identifier").get<std::string>();
    if (ctx.store.find_pool_object(pool.seq, resource_server_kind, identifier))
    {
        throw errors::invalid_parameter(
            identifier + " already exists in user pool " + pool.id + "."
        );
    }
    if (ctx.store.list_pool_objects(pool.seq, resource_server_kind, 0, max_resource_servers)
            .size() >= max_resource_servers)
    {
        throw errors::limit_exceeded(
            "A user pool can have at most " + std::to_string(max_resource_servers) +
            " resource servers."
        );
    }
    return add_pool_object(
        ctx, pool, resource_server_kind, identifier, resource_server_body(input)
    );
}

storage::pool_object add_pool_object(
    request_context& ctx,
    storage::user_pool const& pool,
    std::string_view kind,
    std::string name,
    std::string body
)
{
    storage::pool_object o;
    o.pool_seq = pool.seq;
    o.kind = kind;
    o.name = std::move(name);
    o.body = std::move(body);
    o.created = o.last_modified = ctx.now_ms;
    o.seq = ctx.store.insert_pool_object(o);
    return o;
}

namespace
{

json create_resource_server(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    return {{"ResourceServer", resource_server_type(pool, make_resource_server(ctx, pool, input))}};
}

json describe_resource_server(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const o = require_resource_server(ctx, pool, input.at("Identifier").get<std::string>());
    return {{"ResourceServer", resource_server_type(pool, o)}};
}

json list_resource_servers(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    return one_page(
        ctx,
        input,
        {"resource-servers." + std::to_string(pool.seq), "MaxResults", 50},
        "ResourceServers",
        [&](std::int64_t after, std::size_t count)
        { return ctx.store.list_pool_objects(pool.seq, resource_server_kind, after, count); },
        [](storage::pool_object const& o) { return o.seq; },
        [&](storage::pool_object const& o) { return resource_server_type(pool, o); }
    );
}

json update_resource_server(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto o = require_resource_server(ctx, pool, input.at("Identifier").get<std::string>());
    o.body = resource_server_body(input);
    o.last_modified = ctx.now_ms;
    ctx.store.update_pool_object(o);
    return {{"ResourceServer", resource_server_type(pool, o)}};
}

json delete_resource_server(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const o = require_resource_server(ctx, pool, input.at("Identifier").get<std::string>());
    ctx.store.delete_pool_object(o.seq);
    return json::object();
}

} // namespace

std::vector<operation_entry> oauth_object_operations()
{
    return {
        {"CreateUserPoolDomain", &create_user_pool_domain, access::write},
        {"DescribeUserPoolDomain", &describe_user_pool_domain, access::read},
        {"UpdateUserPoolDomain", &update_user_pool_domain, access::write},
        {"DeleteUserPoolDomain", &delete_user_pool_domain, access::write},
        {"CreateResourceServer", &create_resource_server, access::write},
        {"DescribeResourceServer", &describe_resource_server, access::read},
        {"ListResourceServers", &list_resource_servers, access::read},
        {"UpdateResourceServer", &update_resource_server, access::write},
        {"DeleteResourceServer", &delete_resource_server, access::write},
    };
}

} // namespace cognitod
