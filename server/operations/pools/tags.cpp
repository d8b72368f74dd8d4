// TagResource, UntagResource, ListTagsForResource: a pool's tags, the same map CreateUserPool and
// UpdateUserPool set as UserPoolTags and DescribeUserPool shows.
#include "server/operations/common.hpp"

namespace cognitod
{

namespace
{

// AWS's limit on tags per resource.
constexpr std::size_t max_tags = 50;

// The pool an ARN names: arn:<partition>:cognito-idp:<region>:<account>:userpool/<id>. Anything
// else names no resource cognitod keeps.
storage::user_pool pool_of_arn(request_context& ctx, std::string const& arn)
{
    constexpr std::string_view marker = ":userpool/";
    auto const at = arn.find(marker);
    auto const prefix = arn.substr(0, at == std::string::npos ? 0 : at);
    std::vector<std::string_view> parts;
    for (std::size_t start = 0; start <= prefix.size();)
    {
        auto const end = std::min(prefix.find(':', start), prefix.size());
        parts.push_back(std::string_view{prefix}.substr(start, end - start));
        start = end + 1;
    }
    if (at == std::string::npos || parts.size() != 5 || parts[0] != "arn" ||
        parts[2] != "cognito-idp")
    {
        throw errors::invalid_parameter("Invalid ARN: " + arn);
    }
    auto const pool_id = arn.substr(at + marker.size());
    auto pool = ctx.store.find_user_pool(pool_id);
    if (!pool || parts[3] != pool_region(pool->id) || parts[4] != ctx.account_id)
    {
        throw errors::resource_not_found("User pool " + pool_id + " does not exist.");
    }
    return std::move(*pool);
}

json tags_of(storage::user_pool const& pool)
{
    return pool.settings->value("UserPoolTags", json::object());
}

void save_tags(request_context& ctx, storage::user_pool& pool, json tags)
{
    pool.settings.edit()["UserPoolTags"] = std::move(tags);
    ctx.store.update_user_pool(pool);
}

json tag_resource(request_context& ctx, json const& input)
{
    auto pool = pool_of_arn(ctx, input.at("ResourceArn").get<std::string>());
    auto tags = tags_of(pool);
    for (auto const& [key, value] : input.at("Tags").items())
    {
        tags[key] = value;
    }
    if (tags.size() > max_tags)
    {
        throw errors::invalid_parameter(
            "A user pool can have at most " + std::to_string(max_tags) + " tags."
        );
    }
    save_tags(ctx, pool, std::move(tags));
    return json::object();
}

json untag_resource(request_context& ctx, json const& input)
{
    auto pool = pool_of_arn(ctx, input.at("ResourceArn").get<std::string>());
    auto tags = tags_of(pool);
    for (auto const& key : input.at("TagKeys"))
    {
        tags.erase(key.get<std::string>());
    }
    save_tags(ctx, pool, std::move(tags));
    return json::object();
}

json list_tags_for_resource(request_context& ctx, json const& input)
{
    auto const pool = pool_of_arn(ctx, input.at("ResourceArn").get<std::string>());
    return {{"Tags", tags_of(pool)}};
}

} // namespace

std::vector<operation_entry> tag_operations()
{
    return {
        {"TagResource", &tag_resource, access::write},
        {"UntagResource", &untag_resource, access::write},
        {"ListTagsForResource", &list_tags_for_resource, access::read},
    };
}

} // namespace cognitod
