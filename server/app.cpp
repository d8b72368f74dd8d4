#include "server/app.hpp"

#include "server/control_access.hpp"
#include "server/cors.hpp"
#include "server/faults.hpp"
#include "server/hosted_login.hpp"
#include "server/operations/sign_in/sign_in.hpp"
#include "server/throttle.hpp"

#include <array>
#include <chrono>
#include <ctime>

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
    return addressed_origin(req, local_address);
}

// RFC 9110's IMF-fixdate ("Mon, 30 Nov 2026 22:34:26 GMT"), as AWS sends in Date: the SDKs
// correct their clock skew from it when a signature is refused as expired.
// The text changes once a second, so each thread keeps the last one it formatted.
std::string http_date(std::int64_t epoch_ms)
{
    std::time_t const seconds = epoch_ms / 1000;
    thread_local std::time_t last_seconds = -1;
    thread_local std::string last_text;
    if (seconds != last_seconds)
    {
        std::tm utc{};
        gmtime_r(&seconds, &utc);
        std::array<char, 32> text{};
        auto const length =
            std::strftime(text.data(), text.size(), "%a, %d %b %Y %H:%M:%S GMT", &utc);
        last_text.assign(text.data(), length);
        last_seconds = seconds;
    }
    return last_text;
}

std::string_view path_of(aws_json::request const& req)
{
    std::string_view target = req.target();
    return target.substr(0, target.find('?'));
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

auth::sigv4::credential const* app::authenticate(aws_json::request const& req) const
{
    if (services_.credentials == nullptr)
    {
        return nullptr;
    }
    // Operations the model marks `authtype: none` are authorised by tokens or a session, never by
    // a signature, which AWS does not check on them.
    if (auto const target = req.find("X-Amz-Target"); target != req.end())
    {
        std::string_view const name = target->value();
        if (name.starts_with(aws_json::target_prefix))
        {
            auto const* op =
                services_.model.find_operation(name.substr(aws_json::target_prefix.size()));
            if (op != nullptr && op->unsigned_request)
            {
                return nullptr;
            }
        }
    }
    return &auth::sigv4::verify(req, *services_.credentials, services_.time.now_ms() / 1000);
}

void app::refuse_signed_calls_from_other_sites(
    aws_json::request const& req, std::string const& operation, std::string_view local
) const
{
    // With --auth off nothing tells a page from a client, and CORS lets any page call: a site
    // elsewhere could delete every pool. Pages of this machine and unsigned operations (what a
    // web app's sign-in calls) pass.
    auto const* op = services_.model.find_operation(operation);
    if (op == nullptr || op->unsigned_request ||
        origin_host_allowed(req, local, services_.control.allowed_hosts))
    {
        return;
    }
    throw errors::access_denied(
        "cognitod runs with --auth off, so it takes " + operation +
        ", which AWS signs, only from web pages of this machine, not from " +
        std::string{req[http::field::origin]} +
        ": start it with --auth sigv4, or give the page's host to --allowed-hosts."
    );
}

aws_json::response app::handle_aws(
    aws_json::request const& req,
    std::string const& request_id,
    std::string_view peer,
    std::string_view local,
    std::chrono::milliseconds& delay
) const
{
    // The signature first, as AWS checks it before it reads the body.
    auto const* caller = authenticate(req);
    auto const call = aws_json::decode(req);
    call_info info{
        request_id,
        std::string{aws_json::signing_region(req)},
        source_ip(req, peer),
        issuer_base(req, local),
    };
    auto const region = info.region.empty() ? services_.region : info.region;
    if (services_.credentials == nullptr)
    {
        refuse_signed_calls_from_other_sites(req, call.operation, local);
    }
    if (caller != nullptr)
    {
        auto const pool = call.input.find("UserPoolId");
        auth::sigv4::authorize(
            *caller,
            call.operation,
            services_.account_id,
            pool != call.input.end() && pool->is_string()
                ? "arn:aws:cognito-idp:" + region + ":" + services_.account_id + ":userpool/" +
                      pool->get<std::string>()
                : std::string{"*"}
        );
    }
    // Injected faults, then quotas, before validation and the handler: a faulted or throttled
    // call changes nothing.
    if (services_.faults != nullptr)
    {
        if (auto const f = services_.faults->match(call.operation, call.input))
        {
            delay = f->delay;
            if (f->error)
            {
                throw *f->error;
            }
        }
    }
    if (services_.limiter != nullptr)
    {
        services_.limiter->admit(call.operation, region, call.input);
    }
    auto const output = services_.calls.invoke(call.operation, call.input, info);
    return aws_json::encode_result(output, request_id, req.version());
}

aws_json::response app::handle_discovery(
    aws_json::request const& req, std::string const& request_id, std::string_view local
) const
{
    if (req.method() != http::verb::get && req.method() != http::verb::head)
    {
        auto res = aws_json::encode_json(
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
    // A read: a pool without keys gets them outside the transaction (key_stock), then it reruns.
    auto const document = services_.calls.run(
        access::read, info, jwks ? &jwks_document : &openid_configuration, pool_id
    );
    return aws_json::encode_json(http::status::ok, document, request_id, req.version());
}

aws_json::response app::handle(
    aws_json::request const& req,
    std::string_view peer_address,
    std::string_view local_address,
    std::chrono::milliseconds* delay
) const noexcept
{
    try
    {
        return answer(req, peer_address, local_address, delay);
    }
    catch (...)
    {
        // Out of memory past answer()'s own catch blocks: still an answer, not an ended process.
        return bare_internal_error(std::string{}, req.version());
    }
}

aws_json::response app::answer(
    aws_json::request const& req,
    std::string_view peer_address,
    std::string_view local_address,
    std::chrono::milliseconds* delay
) const
{
    std::chrono::milliseconds held_back{0};
    auto const started = std::chrono::steady_clock::now();
    std::string request_id;
    std::string operation = "-";
    std::string error_name = "-";
    aws_json::response res;
    // A call to the AWS endpoint: its answer, error or not, is readable from other origins.
    bool aws_call = false;
    try
    {
        request_id = services_.ids.uuid();
        auto const path = path_of(req);
        aws_call = path == "/" && req.method() == http::verb::post;
        if (path.starts_with(control_prefix))
        {
            operation = std::string{path};
            res = handle_control(services_, req, request_id, local_address);
        }
        else if (path.ends_with(jwks_suffix) || path.ends_with(openid_suffix))
        {
            operation = std::string{path};
            res = handle_discovery(req, request_id, local_address);
        }
        else if (path != "/")
        {
            // A pool domain's endpoints; looked for only off the AWS endpoint's path.
            if (auto const route = find_hosted_route(req))
            {
                operation = std::string{path};
                res = handle_hosted(services_, req, *route, request_id, local_address);
            }
            else
            {
                res = aws_json::encode_json(
                    http::status::not_found,
                    {{"__type", "NotFoundException"},
                     {"message", "No such resource: " + std::string{path}}},
                    request_id,
                    req.version()
                );
            }
        }
        else if (req.method() == http::verb::options)
        {
            // A browser asks before a page on another origin may call.
            operation = "preflight";
            res = cors::preflight(req, request_id);
        }
        else if (req.method() != http::verb::post)
        {
            res = aws_json::encode_json(
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
            res = handle_aws(req, request_id, peer_address, local_address, held_back);
        }
    }
    catch (aws_error const& e)
    {
        error_name = e.code();
        res = encode_error_or_500(e, request_id, req.version());
    }
    catch (storage::unwritable_error const& e)
    {
        // A write the store refuses, its file gone: a fault, with the reason, which the store
        // logged once when it found it.
        error_name = "InternalErrorException";
        res = encode_error_or_500(errors::internal_error(e.what()), request_id, req.version());
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
    if (delay != nullptr)
    {
        *delay = held_back;
    }
    if (aws_call)
    {
        try
        {
            cors::allow_reading(res);
        }
        catch (...) // NOLINT(bugprone-empty-catch): the answer stands, if not for other origins
        {
        }
    }
    try
    {
        res.set(http::field::date, http_date(services_.time.now_ms()));
    }
    catch (...) // NOLINT(bugprone-empty-catch): an answer without Date is still an answer
    {
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
