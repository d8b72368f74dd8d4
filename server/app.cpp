#include "server/app.hpp"

#include "server/auth/encoding.hpp"
#include "server/operations/sign_in.hpp"
#include "server/seed.hpp"

#include <chrono>

namespace cognitod
{

namespace
{

constexpr std::string_view control_prefix = "/_cognitod/";
constexpr std::string_view jwks_suffix = "/.well-known/jwks.json";
constexpr std::string_view openid_suffix = "/.well-known/openid-configuration";

// The client's address: the first X-Forwarded-For entry when a proxy added one, else the peer.
std::string source_ip(aws_json::request const& req, std::string_view peer)
{
    auto const forwarded = req.find("X-Forwarded-For");
    if (forwarded != req.end())
    {
        std::string_view first = forwarded->value();
        first = first.substr(0, first.find(','));
        while (!first.empty() && first.front() == ' ')
        {
            first.remove_prefix(1);
        }
        while (!first.empty() && first.back() == ' ')
        {
            first.remove_suffix(1);
        }
        if (!first.empty())
        {
            return std::string{first};
        }
    }
    return std::string{peer};
}

// "http://<Host>" as the client addressed cognitod (a proxy's X-Forwarded-Proto decides the
// scheme); token issuers and discovery URLs are built on it, so they match what clients use.
std::string issuer_base(aws_json::request const& req, std::string_view local_address)
{
    auto const proto = req.find("X-Forwarded-Proto");
    std::string base = proto != req.end() && proto->value() == "https" ? "https://" : "http://";
    auto const host = req.find(http::field::host);
    if (host != req.end() && !host->value().empty())
    {
        base += std::string{host->value()};
    }
    else
    {
        base += std::string{local_address};
    }
    return base;
}

// ?a=b&c=d as a JSON object of strings (percent-decoded; '+' is a space).
json query_parameters(aws_json::request const& req)
{
    std::string_view target = req.target();
    auto const mark = target.find('?');
    json out = json::object();
    if (mark == std::string_view::npos)
    {
        return out;
    }
    auto const decode = [](std::string_view text)
    {
        std::string value;
        for (std::size_t i = 0; i < text.size(); ++i)
        {
            if (text[i] == '+')
            {
                value += ' ';
            }
            else if (auto const bytes = text[i] == '%' && i + 2 < text.size() ? auth::hex_decode(text.substr(i + 1, 2)) : std::nullopt)
            {
                value += *bytes;
                i += 2;
            }
            else
            {
                value += text[i];
            }
        }
        return value;
    };
    auto rest = target.substr(mark + 1);
    while (!rest.empty())
    {
        auto const amp = rest.find('&');
        auto const pair = rest.substr(0, amp);
        auto const eq = pair.find('=');
        if (eq != std::string_view::npos)
        {
            out[decode(pair.substr(0, eq))] = decode(pair.substr(eq + 1));
        }
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    }
    return out;
}

std::string_view path_of(aws_json::request const& req)
{
    std::string_view target = req.target();
    return target.substr(0, target.find('?'));
}

aws_json::response json_response(
    http::status status, json const& body, std::string const& request_id, unsigned version
)
{
    aws_json::response res{status, version};
    res.set(http::field::content_type, "application/json");
    res.set("x-amzn-RequestId", request_id);
    // Messages echo the request target, whose bytes need not be UTF-8; as aws_json does, write
    // U+FFFD for what is not, rather than fail the response.
    res.body() = body.dump(-1, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace);
    res.prepare_payload();
    return res;
}

// A 500 with no body, for when not even an error response can be made; it still names the request.
aws_json::response bare_internal_error(std::string const& request_id, unsigned version) noexcept
{
    aws_json::response res{http::status::internal_server_error, version};
    try
    {
        res.set("x-amzn-RequestId", request_id);
    }
    catch (...) // NOLINT(bugprone-empty-catch): the status alone still answers
    {
    }
    return res;
}

// The error response, or a bare 500 when encoding it fails: handle() calls this inside its catch
// blocks, where a throw would escape a noexcept function and end the process.
aws_json::response encode_error_or_500(
    aws_error const& error, std::string const& request_id, unsigned version
) noexcept
{
    try
    {
        return aws_json::encode_error(error, request_id, version);
    }
    catch (...)
    {
        return bare_internal_error(request_id, version);
    }
}

} // namespace

aws_json::response app::handle_aws(
    aws_json::request const& req,
    std::string const& request_id,
    std::string_view peer,
    std::string_view local
) const
{
    auto const call = aws_json::decode(req);
    call_info info{
        request_id,
        std::string{aws_json::signing_region(req)},
        source_ip(req, peer),
        issuer_base(req, local),
    };
    auto const output = services_.calls.invoke(call.operation, call.input, info);
    return aws_json::encode_result(output, request_id, req.version());
}

aws_json::response app::handle_discovery(
    aws_json::request const& req, std::string const& request_id, std::string_view local
) const
{
    if (req.method() != http::verb::get && req.method() != http::verb::head)
    {
        auto res = json_response(
            http::status::method_not_allowed,
            {{"__type", "MethodNotAllowedException"}, {"message", "Discovery documents take GET."}},
            request_id,
            req.version()
        );
        res.set(http::field::allow, "GET");
        return res;
    }
    auto const path = path_of(req);
    // /<poolId>/.well-known/<document>: the pool id is the first segment.
    auto const pool_id = std::string{path.substr(1, path.find('/', 1) - 1)};
    call_info info{request_id, {}, {}, issuer_base(req, local)};
    bool const jwks = path.ends_with(jwks_suffix);
    // A write transaction: the first request makes the pool's keys.
    auto const document = services_.calls.run(
        access::write, info, jwks ? &jwks_document : &openid_configuration, pool_id
    );
    return json_response(http::status::ok, document, request_id, req.version());
}

aws_json::response
app::handle_control(aws_json::request const& req, std::string const& request_id) const
{
    auto const path = path_of(req);
    auto const name = path.substr(control_prefix.size());
    auto const method_not_allowed = [&]
    {
        return json_response(
            http::status::method_not_allowed,
            {{"__type", "MethodNotAllowedException"},
             {"message",
              std::string{req.method_string()} + " is not allowed on " + std::string{path}}},
            request_id,
            req.version()
        );
    };
    if (name == "health")
    {
        if (req.method() != http::verb::get && req.method() != http::verb::head)
        {
            return method_not_allowed();
        }
        return json_response(
            http::status::ok,
            {{"status", "ok"}, {"version", COGNITOD_VERSION}},
            request_id,
            req.version()
        );
    }
    if (name == "seed")
    {
        if (req.method() != http::verb::post)
        {
            return method_not_allowed();
        }
        try
        {
            auto const outcome = apply_seed(
                services_.model,
                services_.store,
                services_.ids,
                services_.time.now_ms(),
                services_.region,
                services_.account_id,
                req.body(),
                seed_mode::always
            );
            return json_response(
                http::status::ok,
                {{"PoolsCreated", outcome.pools_created},
                 {"ClientsCreated", outcome.clients_created},
                 {"UsersCreated", outcome.users_created},
                 {"DevicesCreated", outcome.devices_created}},
                request_id,
                req.version()
            );
        }
        catch (seed_error const& e)
        {
            return json_response(
                http::status::bad_request,
                {{"__type", "InvalidSeedException"}, {"message", e.what()}},
                request_id,
                req.version()
            );
        }
    }
    if (name == "messages")
    {
        // The outbox: every code cognitod would have sent, for tests and demos to read.
        std::lock_guard lock{services_.store.mutex()};
        if (req.method() == http::verb::delete_)
        {
            services_.store.clear_messages();
            return json_response(http::status::ok, json::object(), request_id, req.version());
        }
        if (req.method() != http::verb::get && req.method() != http::verb::head)
        {
            return method_not_allowed();
        }
        auto const query = query_parameters(req);
        json list = json::array();
        for (auto const& m :
             services_.store.list_messages(query.value("pool", ""), query.value("username", "")))
        {
            list.push_back({
                {"UserPoolId", m.pool_id},
                {"Username", m.username},
                {"DeliveryMedium", m.medium},
                {"Destination", m.destination},
                {"Purpose", m.purpose},
                {"Code", m.code},
                {"Message", m.text},
                {"CreatedDate", static_cast<double>(m.created) / 1000.0},
            });
        }
        return json_response(http::status::ok, {{"Messages", list}}, request_id, req.version());
    }
    if (name == "reset")
    {
        if (req.method() != http::verb::post)
        {
            return method_not_allowed();
        }
        std::lock_guard lock{services_.store.mutex()};
        services_.store.wipe();
        return json_response(http::status::ok, json::object(), request_id, req.version());
    }
    return json_response(
        http::status::not_found,
        {{"__type", "NotFoundException"},
         {"message", "No such control endpoint: " + std::string{path}}},
        request_id,
        req.version()
    );
}

aws_json::response app::handle(
    aws_json::request const& req, std::string_view peer_address, std::string_view local_address
) const noexcept
{
    auto const started = std::chrono::steady_clock::now();
    std::string request_id;
    std::string operation = "-";
    std::string error_name = "-";
    aws_json::response res;
    try
    {
        request_id = services_.ids.uuid();
        auto const path = path_of(req);
        if (path.starts_with(control_prefix))
        {
            operation = std::string{path};
            res = handle_control(req, request_id);
        }
        else if (path.ends_with(jwks_suffix) || path.ends_with(openid_suffix))
        {
            operation = std::string{path};
            res = handle_discovery(req, request_id, local_address);
        }
        else if (path != "/")
        {
            res = json_response(
                http::status::not_found,
                {{"__type", "NotFoundException"},
                 {"message", "No such resource: " + std::string{path}}},
                request_id,
                req.version()
            );
        }
        else if (req.method() != http::verb::post)
        {
            res = json_response(
                http::status::method_not_allowed,
                {{"__type", "MethodNotAllowedException"},
                 {"message", "The AWS JSON 1.1 endpoint takes POST requests."}},
                request_id,
                req.version()
            );
            res.set(http::field::allow, "POST");
        }
        else
        {
            if (auto target = req.find("X-Amz-Target"); target != req.end())
            {
                operation = std::string{target->value().substr(target->value().rfind('.') + 1)};
            }
            res = handle_aws(req, request_id, peer_address, local_address);
        }
    }
    catch (aws_error const& e)
    {
        error_name = e.code();
        res = encode_error_or_500(e, request_id, req.version());
    }
    catch (std::exception const& e)
    {
        // The one place an unexpected failure is seen: log it, answer a generic fault.
        error_name = "InternalErrorException";
        services_.log.write(log_level::error, "request " + request_id + " failed: " + e.what());
        res = encode_error_or_500(errors::internal_error(), request_id, req.version());
    }
    catch (...)
    {
        error_name = "InternalErrorException";
        res = bare_internal_error(request_id, req.version());
    }
    if (req.method() == http::verb::head)
    {
        // HEAD: the headers GET would send, no body (else the connection falls out of step).
        auto const length = res.body().size();
        res.body().clear();
        res.content_length(length);
    }
    if (services_.log.enabled(log_level::info))
    {
        auto const micros = std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::steady_clock::now() - started
        )
                                .count();
        try
        {
            services_.log.write(
                log_level::info,
                request_id + " " + operation + " " + std::to_string(res.result_int()) + " " +
                    error_name + " " + std::to_string(micros) + "us"
            );
        }
        catch (...) // NOLINT(bugprone-empty-catch): a failed log line never fails the request
        {
        }
    }
    return res;
}

} // namespace cognitod
