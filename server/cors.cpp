#include "server/cors.hpp"

#include <string_view>

namespace cognitod::cors
{

namespace
{

// What cognito-idp sends (docs/fidelity.md): the answer is readable from any origin (no cookie
// is ever involved), and these headers too, beside the ones every browser lets a page read.
constexpr std::string_view any_origin = "*";
constexpr std::string_view exposed = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date";
constexpr std::string_view methods = "POST";
constexpr std::string_view max_age = "172800";
// For a preflight that names no headers (cognito-idp echoes the ones named): what the AWS SDKs
// and amazon-cognito-identity-js send.
constexpr std::string_view sdk_headers =
    "content-type,x-amz-target,x-amz-user-agent,authorization,x-amz-date,x-amz-security-token,"
    "x-amz-content-sha256,amz-sdk-invocation-id,amz-sdk-request,cache-control";

} // namespace

aws_json::response preflight(aws_json::request const& req, std::string const& request_id)
{
    aws_json::response res{http::status::ok, req.version()};
    res.set("x-amzn-RequestId", request_id);
    res.set(http::field::access_control_allow_origin, any_origin);
    // cognito-idp allows whatever the browser asks to send.
    auto const requested = req.find(http::field::access_control_request_headers);
    if (requested != req.end() && !requested->value().empty())
    {
        res.set(http::field::access_control_allow_headers, requested->value());
    }
    else
    {
        res.set(http::field::access_control_allow_headers, sdk_headers);
    }
    res.set(http::field::access_control_allow_methods, methods);
    res.set(http::field::access_control_expose_headers, exposed);
    res.set(http::field::access_control_max_age, max_age);
    res.content_length(0);
    return res;
}

void allow_reading(aws_json::response& res)
{
    res.set(http::field::access_control_allow_origin, any_origin);
    res.set(http::field::access_control_expose_headers, exposed);
}

} // namespace cognitod::cors
