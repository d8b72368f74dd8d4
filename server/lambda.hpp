// The client side of the AWS Lambda Invoke API, for the pools' triggers: cognitod calls the
// function a pool's LambdaConfig names on a Lambda-compatible local runtime (--lambda-endpoint),
// as Cognito calls Lambda.
#pragma once

#include "server/auth/sigv4.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace cognitod
{

// What one invocation came to.
struct lambda_result
{
    enum class kind
    {
        answered,       // the function returned: payload is its answer
        function_error, // the function threw: payload is its error ({"errorMessage", ...})
        unreachable,    // no answer from the endpoint, after every attempt: detail says why
        refused,        // the endpoint refused the call (an unknown function...): detail says why
    };
    kind what = kind::answered;
    std::string payload;
    std::string detail;
};

// Calls functions; safe to call from several threads at once. The dispatcher calls it with no
// lease held, between two runs of the operation that needs the answer.
class lambda_invoker
{
public:
    lambda_invoker() = default;
    lambda_invoker(lambda_invoker const&) = delete;
    lambda_invoker& operator=(lambda_invoker const&) = delete;
    lambda_invoker(lambda_invoker&&) = delete;
    lambda_invoker& operator=(lambda_invoker&&) = delete;
    virtual ~lambda_invoker() = default;

    // function: the ARN (or name) the pool's LambdaConfig holds; payload: the event, JSON text.
    virtual lambda_result invoke(std::string const& function, std::string const& payload) const = 0;
};

// POST <endpoint>/2015-03-31/functions/<name>/invocations[?Qualifier=<version or alias>], the
// name taken from the ARN, signed with SigV4 for "lambda" in the ARN's region (the default region
// for a bare name). An attempt lasts at most 5 s;
// one that cannot connect, times out or is answered 429 or 5xx is made again, three in all, as
// Cognito retries.
class http_lambda_invoker final : public lambda_invoker
{
public:
    struct endpoint
    {
        std::string host;
        std::string port;
        std::string base_path; // "" or "/prefix", without a trailing slash
    };
    // http://host[:port][/path]; throws std::invalid_argument naming what is wrong.
    static endpoint parse_endpoint(std::string_view url);

    http_lambda_invoker(
        endpoint where,
        auth::sigv4::credential key,
        std::string default_region,
        std::chrono::milliseconds attempt_timeout = std::chrono::seconds(5),
        int attempts = 3
    );

    lambda_result invoke(std::string const& function, std::string const& payload) const override;

private:
    endpoint where_;
    auth::sigv4::credential key_;
    std::string default_region_;
    std::chrono::milliseconds attempt_timeout_;
    int attempts_;
};

} // namespace cognitod
