#include "server/console.hpp"

#include "server/query_string.hpp"

#include <charconv>
#include <cstdint>
#include <optional>

namespace cognitod::console
{

namespace
{

using nlohmann::json;

constexpr std::string_view base_path = "/_cognitod/ui";
constexpr std::string_view page_name = "index.html";
// Everything from cognitod itself: no inline script or style, no other origin, no framing.
constexpr std::string_view security_policy =
    "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
// Pools and users are read a page at a time, as the List* operations do.
constexpr std::size_t page_size = 500;
// Cognito allows 10,000 groups per pool and 100 per user; the console shows them all.
constexpr std::size_t max_groups = 10000;
// The outbox shows each pool's newest messages; GET /_cognitod/messages has them all.
constexpr std::size_t max_messages = 20;

// The asset a path names ("" and "/" name the page), or "" when it names none.
std::string_view asset_name(std::string_view rest)
{
    if (rest.empty() || rest == "/")
    {
        return page_name;
    }
    return rest.substr(1);
}

std::optional<std::string_view> find_asset(std::string_view name)
{
    for (auto const& [asset, content] : embedded_assets())
    {
        if (asset == name)
        {
            return content;
        }
    }
    return std::nullopt;
}

std::string_view content_type_of(std::string_view name)
{
    if (name.ends_with(".html"))
    {
        return "text/html; charset=utf-8";
    }
    if (name.ends_with(".css"))
    {
        return "text/css; charset=utf-8";
    }
    if (name.ends_with(".js"))
    {
        return "text/javascript; charset=utf-8";
    }
    return "application/octet-stream";
}

bool reading(aws_json::request const& req)
{
    return req.method() == http::verb::get || req.method() == http::verb::head;
}

// The console's answers describe live state: never cached, never sniffed, never sent onwards.
void mark_private(aws_json::response& res)
{
    res.set(http::field::cache_control, "no-store");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
}

aws_json::response answer(
    aws_json::request const& req, std::string const& request_id, http::status s, json const& body
)
{
    auto res = aws_json::encode_json(s, body, request_id, req.version());
    mark_private(res);
    return res;
}

aws_json::response error(
    aws_json::request const& req,
    std::string const& request_id,
    http::status s,
    std::string_view type,
    std::string const& message
)
{
    return answer(req, request_id, s, {{"__type", type}, {"message", message}});
}

aws_json::response serve_asset(
    aws_json::request const& req,
    std::string const& request_id,
    std::string_view name,
    std::string_view content
)
{
    aws_json::response res{http::status::ok, req.version()};
    res.set(http::field::content_type, content_type_of(name));
    res.set("Content-Security-Policy", security_policy);
    res.set("x-amzn-RequestId", request_id);
    mark_private(res);
    res.body() = std::string{content};
    res.prepare_payload();
    return res;
}

json device_json(storage::device const& d)
{
    return {
        {"DeviceKey", d.key},
        {"DeviceName", d.name},
        {"DeviceRememberedStatus", d.remembered ? "remembered" : "not_remembered"},
        {"DeviceLastAuthenticatedDate",
         d.last_authenticated ? json(static_cast<double>(*d.last_authenticated) / 1000.0)
                              : json(nullptr)},
        {"LastIpUsed", d.last_ip},
    };
}

// The pool's groups, with their precedence (null when unset), in creation order.
json groups_json(storage::queries& reader, std::int64_t pool_seq)
{
    json groups = json::array();
    for (auto const& g : reader.list_groups(pool_seq, 0, max_groups))
    {
        groups.push_back(
            {{"GroupName", g.name},
             {"Precedence", g.precedence ? json(*g.precedence) : json(nullptr)}}
        );
    }
    return groups;
}

json users_json(storage::queries& reader, std::int64_t pool_seq)
{
    json users = json::array();
    std::int64_t after = 0;
    for (;;)
    {
        auto const batch = reader.list_users(pool_seq, after, page_size, std::nullopt);
        for (auto const& u : batch)
        {
            json devices = json::array();
            for (auto const& d : reader.list_all_devices(u.id))
            {
                devices.push_back(device_json(d));
            }
            json groups = json::array();
            for (auto const& g : reader.groups_of_user(u.id, 0, max_groups))
            {
                groups.push_back(g.name);
            }
            users.push_back({
                {"Username", u.username},
                {"UserStatus", u.status},
                {"Enabled", u.enabled},
                {"Groups", std::move(groups)},
                {"Devices", std::move(devices)},
            });
        }
        if (batch.size() < page_size)
        {
            return users;
        }
        after = batch.back().id;
    }
}

// The pool's newest messages from the outbox, newest first.
json outbox_json(storage::queries& reader, std::string const& pool_id)
{
    json messages = json::array();
    for (auto const& m : reader.recent_messages(pool_id, max_messages))
    {
        messages.push_back({
            {"Username", m.username},
            {"DeliveryMedium", m.medium},
            {"Destination", m.destination},
            {"Purpose", m.purpose},
            {"Code", m.code},
            {"Subject", m.subject},
            {"Message", m.text},
            {"CreatedDate", static_cast<double>(m.created) / 1000.0},
        });
    }
    return messages;
}

// Every pool, user and device, in one read transaction on a reader of its own: on a large
// database this takes a while (half a second for 30,000 users), and writes go on beside it. The
// version is loaded before the read begins, so what is read is at least that version; a write
// that lands in between raises the version past it, and the page's next poll reads again.
json snapshot(storage::store& store)
{
    auto const version = store.version();
    auto reader = store.read();
    storage::transaction tx{reader->db(), storage::transaction_mode::deferred};
    json pools = json::array();
    std::int64_t after = 0;
    for (;;)
    {
        auto const batch = reader->list_user_pools(after, page_size);
        for (auto const& p : batch)
        {
            pools.push_back(
                {{"Id", p.id},
                 {"Name", p.name},
                 {"Groups", groups_json(*reader, p.seq)},
                 {"Users", users_json(*reader, p.seq)},
                 {"Messages", outbox_json(*reader, p.id)}}
            );
        }
        if (batch.size() < page_size)
        {
            break;
        }
        after = batch.back().seq;
    }
    tx.commit();
    return {{"Changed", true}, {"Version", version}, {"UserPools", std::move(pools)}};
}

// GET .../api/state[?since=N]: {"Changed": false} while the version is still N, else everything.
aws_json::response
state(app_services const& services, aws_json::request const& req, std::string const& request_id)
{
    auto const query = query_parameters(req.target());
    std::string const since_text = query.value("since", "");
    std::uint64_t since = 0;
    auto const* const end = since_text.data() + since_text.size();
    if (auto const [ptr, ec] = std::from_chars(since_text.data(), end, since);
        ec != std::errc{} || ptr != end)
    {
        since = 0; // absent or not a number: send everything
    }
    if (auto const version = services.store.version(); since != 0 && since == version)
    {
        return answer(
            req, request_id, http::status::ok, {{"Changed", false}, {"Version", version}}
        );
    }
    return answer(req, request_id, http::status::ok, snapshot(services.store));
}

// POST .../api/forget-device {UserPoolId, Username, DeviceKey}: AdminForgetDevice itself, with
// its validation, its transaction and its errors.
aws_json::response forget_device(
    app_services const& services, aws_json::request const& req, std::string const& request_id
)
{
    auto const input = aws_json::decode_input(req.body());
    services.calls.invoke("AdminForgetDevice", input, call_info{request_id, {}, {}, {}});
    return answer(req, request_id, http::status::ok, json::object());
}

} // namespace

bool is_page(std::string_view rest)
{
    return asset_name(rest) == page_name;
}

bool is_public_asset(std::string_view rest)
{
    return !is_page(rest) && !rest.starts_with("/api/") && find_asset(asset_name(rest));
}

aws_json::response handle(
    app_services const& services,
    aws_json::request const& req,
    std::string const& request_id,
    std::string_view rest
)
{
    auto const path = std::string{base_path} + std::string{rest};
    auto const not_allowed = [&]
    {
        return error(
            req,
            request_id,
            http::status::method_not_allowed,
            "MethodNotAllowedException",
            std::string{req.method_string()} + " is not allowed on " + path
        );
    };
    if (rest == "/api/state")
    {
        return reading(req) ? state(services, req, request_id) : not_allowed();
    }
    if (rest == "/api/forget-device")
    {
        return req.method() == http::verb::post ? forget_device(services, req, request_id)
                                                : not_allowed();
    }
    auto const name = asset_name(rest);
    auto const content = rest.starts_with("/api/") ? std::nullopt : find_asset(name);
    if (!content)
    {
        return error(
            req,
            request_id,
            http::status::not_found,
            "NotFoundException",
            "No such control endpoint: " + path
        );
    }
    return reading(req) ? serve_asset(req, request_id, name, *content) : not_allowed();
}

} // namespace cognitod::console
