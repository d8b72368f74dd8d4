// What the tests of app::handle share: the services server/main.cpp assembles, over a fixture,
// and requests built as a client sends them.
#pragma once

#include "server/app.hpp"
#include "unit/server/fixture.hpp"

#include <string>
#include <utility>

namespace cognitod::testing
{

namespace http = cognitod::http;
using cognitod::app;
using cognitod::app_services;
using cognitod::control_settings;
using cognitod::log_level;
using cognitod::logger;
using request = cognitod::aws_json::request;
using response = cognitod::aws_json::response;

// app_services over f with every optional stage (signing, faults, quotas) off and the control
// endpoints on; a test switches on what it tests.
inline app_services services_of(fixture& f, logger const& log)
{
    return app_services{
        cognito_model(), f.store, f.calls, f.time, f.ids, log, "us-east-1", account_id};
}

// A request with Host set and the body's length. A POST to a control endpoint declares JSON, as
// every control client must.
inline request
http_request(http::verb method, std::string target, std::string body = {}, unsigned version = 11)
{
    request req{method, target, version};
    req.set(http::field::host, "localhost");
    if (method == http::verb::post && target.starts_with("/_cognitod/"))
    {
        req.set(http::field::content_type, "application/json");
    }
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
}

// An AWS JSON 1.1 call, as the SDKs send it.
inline request aws_request(std::string const& operation, std::string body, unsigned version = 11)
{
    auto req = http_request(http::verb::post, "/", std::move(body), version);
    req.set(http::field::content_type, "application/x-amz-json-1.1");
    req.set("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation);
    return req;
}

inline json body_of(response const& res)
{
    return json::parse(res.body());
}

} // namespace cognitod::testing
