#include "server/control.hpp"

#include "server/auth/encoding.hpp"
#include "server/console.hpp"
#include "server/control_access.hpp"
#include "server/faults.hpp"
#include "server/json_read.hpp"
#include "server/query_string.hpp"
#include "server/seed.hpp"
#include "server/throttle.hpp"

namespace cognitod
{

namespace
{

using nlohmann::json;

constexpr std::string_view prefix = "/_cognitod/";
constexpr std::string_view token_header = "X-Cognitod-Control-Token";
// The most one POST /_cognitod/clock moves the state's time: ten years, a refresh token's longest
// life.
constexpr std::int64_t max_advance_seconds = 10LL * 365 * 24 * 3600;

struct exchange
{
    app_services const& services;
    aws_json::request const& req;
    std::string const& request_id;
    std::string_view path;

    aws_json::response answer(http::status status, json const& body) const
    {
        return aws_json::encode_json(status, body, request_id, req.version());
    }
    aws_json::response error(http::status status, std::string_view type, std::string message) const
    {
        return answer(status, {{"__type", type}, {"message", std::move(message)}});
    }
    aws_json::response method_not_allowed() const
    {
        return error(
            http::status::method_not_allowed,
            "MethodNotAllowedException",
            std::string{req.method_string()} + " is not allowed on " + std::string{path}
        );
    }
    aws_json::response not_found() const
    {
        return error(
            http::status::not_found,
            "NotFoundException",
            "No such control endpoint: " + std::string{path}
        );
    }
    bool reading() const
    {
        return req.method() == http::verb::get || req.method() == http::verb::head;
    }
};

// The token from X-Cognitod-Control-Token or "Authorization: Bearer <token>", compared in
// constant time.
bool token_accepted(aws_json::request const& req, std::string const& token)
{
    std::string_view offered;
    if (auto const header = req.find(token_header); header != req.end())
    {
        offered = header->value();
    }
    else if (auto const auth = req.find(http::field::authorization); auth != req.end())
    {
        constexpr std::string_view bearer = "Bearer ";
        if (auth->value().starts_with(bearer))
        {
            offered = auth->value().substr(bearer.size());
        }
    }
    return auth::constant_time_equal(offered, token);
}

// The console's exceptions to the header rule: a browser opening a link sends no header, so its
// page takes the token as ?token= (and hands it to the script, which sends the header on every API
// call); the style sheet and script hold no state and need no token. Nothing else reads ?token=.
bool console_admits(aws_json::request const& req, std::string_view rest, std::string const& token)
{
    if (req.method() != http::verb::get && req.method() != http::verb::head)
    {
        return false;
    }
    if (console::is_public_asset(rest))
    {
        return true;
    }
    return console::is_page(rest) &&
           auth::constant_time_equal(query_parameters(req.target()).value("token", ""), token);
}

// 200 while cognitod can serve every call, with the signing keys ready for new pools (what a
// benchmark or a suite that wants every pool's keys made ahead can wait for); 503 with the reason
// once the store refuses writes.
aws_json::response health(exchange const& x)
{
    if (!x.reading())
    {
        return x.method_not_allowed();
    }
    if (auto const reason = x.services.store.fault(); !reason.empty())
    {
        return x.answer(
            http::status::service_unavailable,
            {{"status", "unhealthy"}, {"reason", reason}, {"version", COGNITOD_VERSION}}
        );
    }
    auto& keys = x.services.calls.keys();
    return x.answer(
        http::status::ok,
        {{"status", "ok"},
         {"version", COGNITOD_VERSION},
         {"signingKeyStock", {{"ready", keys.ready()}, {"target", keys.target()}}}}
    );
}

aws_json::response seed(exchange const& x)
{
    if (x.req.method() != http::verb::post)
    {
        return x.method_not_allowed();
    }
    auto const& s = x.services;
    try
    {
        auto const outcome = apply_seed(
            s.model,
            s.store,
            s.ids,
            s.calls.keys(),
            s.time.now_ms(),
            s.region,
            s.account_id,
            x.req.body(),
            seed_mode::always
        );
        return x.answer(
            http::status::ok,
            {{"PoolsCreated", outcome.pools_created},
             {"ClientsCreated", outcome.clients_created},
             {"GroupsCreated", outcome.groups_created},
             {"UsersCreated", outcome.users_created},
             {"DevicesCreated", outcome.devices_created}}
        );
    }
    catch (seed_error const& e)
    {
        return x.error(http::status::bad_request, "InvalidSeedException", e.what());
    }
}

// The outbox: every code cognitod would have sent, for tests and demos to read.
aws_json::response messages(exchange const& x)
{
    if (x.req.method() == http::verb::delete_)
    {
        x.services.store.write()->clear_messages();
        return x.answer(http::status::ok, json::object());
    }
    if (!x.reading())
    {
        return x.method_not_allowed();
    }
    auto const query = query_parameters(x.req.target());
    auto const messages = x.services.store.read()->list_messages(
        query.value("pool", ""), query.value("username", "")
    );
    json list = json::array();
    for (auto const& m : messages)
    {
        list.push_back({
            {"UserPoolId", m.pool_id},
            {"Username", m.username},
            {"DeliveryMedium", m.medium},
            {"Destination", m.destination},
            {"Purpose", m.purpose},
            {"Code", m.code},
            {"Message", m.text},
            {"Subject", m.subject},
            {"CreatedDate", static_cast<double>(m.created) / 1000.0},
        });
    }
    return x.answer(http::status::ok, {{"Messages", list}});
}

// The state's time: GET says it, POST {"advanceSeconds": N} moves it forward, DELETE puts it
// back to the system's.
aws_json::response clock_state(exchange const& x)
{
    auto* const shifted = x.services.state_clock;
    if (shifted == nullptr)
    {
        return x.not_found();
    }
    if (x.req.method() == http::verb::post)
    {
        auto const body = read_client_json(x.req.body());
        json const* seconds = nullptr;
        if (body.result == client_json::outcome::read && body.value.is_object() &&
            body.value.size() == 1)
        {
            if (auto it = body.value.find("advanceSeconds");
                it != body.value.end() && it->is_number_integer())
            {
                seconds = &*it;
            }
        }
        if (seconds == nullptr || seconds->get<std::int64_t>() < 0 ||
            seconds->get<std::int64_t>() > max_advance_seconds)
        {
            return x.error(
                http::status::bad_request,
                "InvalidClockException",
                "The body must be {\"advanceSeconds\": N}, N a whole number from 0 to " +
                    std::to_string(max_advance_seconds) + "."
            );
        }
        shifted->advance(seconds->get<std::int64_t>() * 1000);
    }
    else if (x.req.method() == http::verb::delete_)
    {
        shifted->restore();
    }
    else if (!x.reading())
    {
        return x.method_not_allowed();
    }
    auto const now = shifted->now_ms();
    return x.answer(
        http::status::ok,
        {{"now", static_cast<double>(now) / 1000.0},
         {"offsetSeconds", static_cast<double>(shifted->offset_ms()) / 1000.0}}
    );
}

// Wipes every pool, user, device and message, and the fault rules and rate buckets with them,
// and puts the state's time back to the system's; the configuration (flags, credentials) stays.
aws_json::response reset(exchange const& x)
{
    if (x.req.method() != http::verb::post)
    {
        return x.method_not_allowed();
    }
    x.services.store.write()->wipe();
    if (x.services.faults != nullptr)
    {
        x.services.faults->clear();
    }
    if (x.services.limiter != nullptr)
    {
        x.services.limiter->reset();
    }
    if (x.services.state_clock != nullptr)
    {
        x.services.state_clock->restore();
    }
    return x.answer(http::status::ok, json::object());
}

// GET lists the rules, POST adds one, DELETE removes all of them or (/faults/<id>) one.
aws_json::response faults(exchange const& x, std::string_view id)
{
    if (x.services.faults == nullptr)
    {
        return x.not_found();
    }
    auto& rules = *x.services.faults;
    if (x.req.method() == http::verb::delete_)
    {
        if (id.empty())
        {
            return x.answer(http::status::ok, {{"Removed", rules.clear()}});
        }
        if (!rules.remove(id))
        {
            return x.error(
                http::status::not_found,
                "NotFoundException",
                "No fault rule " + std::string{id} + "."
            );
        }
        return x.answer(http::status::ok, {{"Removed", 1}});
    }
    if (!id.empty())
    {
        return x.method_not_allowed();
    }
    if (x.reading())
    {
        return x.answer(http::status::ok, {{"Rules", rules.list()}});
    }
    if (x.req.method() != http::verb::post)
    {
        return x.method_not_allowed();
    }
    auto const body = read_client_json(x.req.body());
    if (body.result != client_json::outcome::read)
    {
        return x.error(
            http::status::bad_request,
            "InvalidFaultRuleException",
            body.result == client_json::outcome::too_deep
                ? "The body nests more than " + std::to_string(max_json_depth) + " levels deep."
                : "The body is not JSON."
        );
    }
    try
    {
        return x.answer(http::status::ok, rules.add(body.value));
    }
    catch (invalid_fault_rule const& e)
    {
        return x.error(http::status::bad_request, "InvalidFaultRuleException", e.what());
    }
}

} // namespace

aws_json::response handle_control(
    app_services const& services,
    aws_json::request const& req,
    std::string const& request_id,
    std::string_view local_address
)
{
    std::string_view target = req.target();
    exchange const x{services, req, request_id, target.substr(0, target.find('?'))};
    if (!services.control.enabled)
    {
        // Switched off, the endpoints do not exist: the same 404 as any unknown path.
        return x.error(
            http::status::not_found, "NotFoundException", "No such resource: " + std::string{x.path}
        );
    }
    auto const name = x.path.substr(prefix.size());
    bool const ui = name == "ui" || name.starts_with("ui/");
    // Browsers: refuse what a page elsewhere can make one send (control_access.hpp). Health
    // reveals nothing but the version, and orchestrators probe it under any name.
    if (auto const host = req[http::field::host];
        name != "health" && !host_allowed(host, local_address, services.control.allowed_hosts))
    {
        return x.error(
            http::status::forbidden,
            "ForbiddenException",
            "The control endpoints answer only their own names, and the Host " + std::string{host} +
                " is not one: use localhost or a loopback address, or give the name to "
                "--allowed-hosts."
        );
    }
    if (!same_origin(req, local_address))
    {
        return x.error(
            http::status::forbidden,
            "ForbiddenException",
            "The control endpoints answer only pages of their own origin, " +
                addressed_origin(req, local_address) + ", not " +
                std::string{req[http::field::origin]} + "."
        );
    }
    auto const& token = services.control.token;
    if (!token.empty() && !token_accepted(req, token) &&
        !(ui && console_admits(req, name.substr(2), token)))
    {
        auto res = x.error(
            http::status::unauthorized,
            "UnauthorizedException",
            "The control endpoints need the control token: send it as X-Cognitod-Control-Token "
            "or as Authorization: Bearer."
        );
        res.set(http::field::www_authenticate, "Bearer");
        return res;
    }
    if (req.method() == http::verb::post && !declares_json(req))
    {
        return x.error(
            http::status::unsupported_media_type,
            "UnsupportedMediaTypeException",
            "The control endpoints take POST bodies as Content-Type: application/json."
        );
    }
    if (ui)
    {
        return console::handle(services, req, request_id, name.substr(2));
    }
    if (name == "health")
    {
        return health(x);
    }
    if (name == "seed")
    {
        return seed(x);
    }
    if (name == "messages")
    {
        return messages(x);
    }
    if (name == "reset")
    {
        return reset(x);
    }
    if (name == "clock")
    {
        return clock_state(x);
    }
    if (name == "faults" || name.starts_with("faults/"))
    {
        return faults(x, name.size() > 7 ? name.substr(7) : std::string_view{});
    }
    return x.not_found();
}

} // namespace cognitod
