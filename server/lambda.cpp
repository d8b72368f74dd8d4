#include "server/lambda.hpp"

#include "server/http_client.hpp"

#include <ctime>
#include <stdexcept>

namespace cognitod
{

namespace
{

// The region an ARN names (arn:aws:lambda:<region>:<account>:function:<name>).
std::string region_of(std::string const& function, std::string const& fallback)
{
    if (!function.starts_with("arn:"))
    {
        return fallback;
    }
    auto const start = function.find(':', function.find(':', 4) + 1) + 1;
    auto const end = function.find(':', start);
    return start == 0 || end == std::string::npos || end == start
               ? fallback
               : function.substr(start, end - start);
}

// The Invoke API's path names the function; an ARN's name is what every local runtime takes
// (serverless-offline takes no ARN), and its version or alias goes in ?Qualifier=.
std::string invocation_target(std::string const& base_path, std::string const& function)
{
    std::string name = function;
    std::string qualifier;
    if (auto const at = function.find(":function:"); at != std::string::npos)
    {
        name = function.substr(at + 10);
        if (auto const colon = name.find(':'); colon != std::string::npos)
        {
            qualifier = name.substr(colon + 1);
            name.resize(colon);
        }
    }
    auto target =
        base_path + "/2015-03-31/functions/" + auth::sigv4::uri_encode(name) + "/invocations";
    if (!qualifier.empty())
    {
        target += "?Qualifier=" + auth::sigv4::uri_encode(qualifier);
    }
    return target;
}

// Lambda's answers are at most 6 MB; room for that and its headers.
constexpr std::size_t max_answer = std::size_t{7} * 1024 * 1024;

} // namespace

http_lambda_invoker::endpoint http_lambda_invoker::parse_endpoint(std::string_view url)
{
    constexpr std::string_view scheme = "http://";
    if (!url.starts_with(scheme))
    {
        throw std::invalid_argument(
            "--lambda-endpoint must be an http:// URL (a local Lambda runtime), not " +
            std::string{url}
        );
    }
    url.remove_prefix(scheme.size());
    auto const slash = url.find('/');
    auto authority = url.substr(0, slash);
    std::string path{slash == std::string_view::npos ? std::string_view{} : url.substr(slash)};
    while (path.ends_with('/'))
    {
        path.pop_back();
    }
    endpoint out;
    out.port = "80";
    if (authority.starts_with('['))
    {
        auto const close = authority.find(']');
        if (close == std::string_view::npos)
        {
            throw std::invalid_argument("--lambda-endpoint has an unclosed IPv6 address");
        }
        out.host = std::string{authority.substr(1, close - 1)};
        authority.remove_prefix(close + 1);
    }
    else
    {
        out.host = std::string{authority.substr(0, authority.find(':'))};
        authority.remove_prefix(out.host.size());
    }
    if (authority.starts_with(':'))
    {
        out.port = std::string{authority.substr(1)};
    }
    else if (!authority.empty())
    {
        throw std::invalid_argument("--lambda-endpoint has a malformed host");
    }
    if (out.host.empty() || out.port.empty() ||
        out.port.find_first_not_of("0123456789") != std::string::npos)
    {
        throw std::invalid_argument("--lambda-endpoint needs a host and a numeric port");
    }
    out.base_path = std::move(path);
    return out;
}

http_lambda_invoker::http_lambda_invoker(
    endpoint where,
    auth::sigv4::credential key,
    std::string default_region,
    std::chrono::milliseconds attempt_timeout,
    int attempts
)
    : where_(std::move(where)), key_(std::move(key)), default_region_(std::move(default_region)),
      attempt_timeout_(attempt_timeout), attempts_(attempts)
{
}

lambda_result
http_lambda_invoker::invoke(std::string const& function, std::string const& payload) const
{
    client_request req{http::verb::post, invocation_target(where_.base_path, function), 11};
    auto const host =
        where_.host.find(':') == std::string::npos ? where_.host : "[" + where_.host + "]";
    req.set(http::field::host, where_.port == "80" ? host : host + ":" + where_.port);
    req.set(http::field::content_type, "application/json");
    req.set("X-Amz-Invocation-Type", "RequestResponse");
    req.set(http::field::connection, "close");
    req.body() = payload;
    req.prepare_payload();
    auth::sigv4::sign(
        req, key_, region_of(function, default_region_), "lambda", std::time(nullptr)
    );

    std::string why;
    for (int attempt = 0; attempt < attempts_; ++attempt)
    {
        auto const got = exchange(where_.host, where_.port, req, attempt_timeout_, max_answer);
        if (!got.response)
        {
            why = got.failure;
            continue;
        }
        auto const& res = *got.response;
        auto const status = res.result_int();
        if (status == 429 || status >= 500)
        {
            why = "HTTP " + std::to_string(status) + " " + res.body();
            continue;
        }
        if (status / 100 != 2)
        {
            return {
                lambda_result::kind::refused,
                {},
                "HTTP " + std::to_string(status) + " " + res.body()};
        }
        if (res.find("X-Amz-Function-Error") != res.end())
        {
            return {lambda_result::kind::function_error, res.body(), {}};
        }
        return {lambda_result::kind::answered, res.body(), {}};
    }
    return {lambda_result::kind::unreachable, {}, why};
}

} // namespace cognitod
