// GetUICustomization and SetUICustomization: the classic hosted UI's CSS and logo, kept for one app
// client or for ALL of the pool's clients (pool_objects, kind ui_customization).
#include "server/auth/encoding.hpp"
#include "server/operations/common.hpp"
#include "server/operations/oauth/objects.hpp"

namespace cognitod
{

namespace
{

constexpr std::string_view all_clients = "ALL";

// ClientId, or ALL when absent. A client the pool does not have is unknown.
std::string
customization_key(request_context& ctx, storage::user_pool const& pool, json const& input)
{
    auto id = input.value("ClientId", std::string{all_clients});
    if (id != all_clients)
    {
        auto const client = ctx.store.find_app_client(id);
        if (!client || client->pool_seq != pool.seq)
        {
            throw errors::resource_not_found("User pool client " + id + " does not exist.");
        }
    }
    return id;
}

json customization_type(storage::user_pool const& pool, storage::pool_object const& o)
{
    auto const body = json::parse(o.body);
    json out{{"UserPoolId", pool.id}, {"ClientId", o.name}};
    for (auto const* member : {"CSS", "CSSVersion", "ImageUrl"})
    {
        if (body.contains(member))
        {
            out[member] = body.at(member);
        }
    }
    out["CreationDate"] = epoch_seconds(o.created);
    out["LastModifiedDate"] = epoch_seconds(o.last_modified);
    return out;
}

// The logo as a data: URL, which a page shows with no server behind it; PNG and JPEG only.
std::string image_url(std::string const& encoded)
{
    auto const bytes = auth::base64_decode(encoded);
    std::string type;
    if (bytes && bytes->starts_with("\x89PNG\r\n\x1a\n"))
    {
        type = "image/png";
    }
    else if (bytes && bytes->starts_with("\xff\xd8\xff"))
    {
        type = "image/jpeg";
    }
    else
    {
        throw errors::invalid_parameter("The image file must be a PNG or JPEG image.");
    }
    return "data:" + type + ";base64," + encoded;
}

json set_ui_customization(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    if (ctx.store.domains_of_pool(pool.seq).empty())
    {
        throw errors::invalid_parameter("A domain must be associated with this user pool.");
    }
    auto const key = customization_key(ctx, pool, input);
    json body = json::object();
    if (auto const css = input.find("CSS"); css != input.end())
    {
        body["CSS"] = *css;
        body["CSSVersion"] = std::to_string(ctx.now_ms);
    }
    if (auto const image = input.find("ImageFile"); image != input.end())
    {
        body["ImageUrl"] = image_url(image->get<std::string>());
    }
    auto o = ctx.store.find_pool_object(pool.seq, ui_customization_kind, key);
    if (o)
    {
        o->body = body.dump();
        o->last_modified = ctx.now_ms;
        ctx.store.update_pool_object(*o);
    }
    else
    {
        o = add_pool_object(ctx, pool, ui_customization_kind, key, body.dump());
    }
    return {{"UICustomization", customization_type(pool, *o)}};
}

// The client's own customization, else the pool's (ALL), else an empty shape.
json get_ui_customization(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const key = customization_key(ctx, pool, input);
    auto found = ctx.store.find_pool_object(pool.seq, ui_customization_kind, key);
    if (!found && key != all_clients)
    {
        found = ctx.store.find_pool_object(pool.seq, ui_customization_kind, all_clients);
    }
    return {{"UICustomization", found ? customization_type(pool, *found) : json::object()}};
}

} // namespace

std::vector<operation_entry> ui_customization_operations()
{
    return {
        {"GetUICustomization", &get_ui_customization, access::read},
        {"SetUICustomization", &set_ui_customization, access::write},
    };
}

} // namespace cognitod
