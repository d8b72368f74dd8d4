// The HTTP side of a pool domain's OAuth 2.0 endpoints: which requests name a domain, reading
// their query, form, cookies and Authorization header, and writing redirects, JSON and the hosted
// login's HTML (with its CSRF cookie and Content-Security-Policy). The rules themselves are in
// server/operations/oauth/endpoints.cpp.
//
// A domain is named either by the path, /<domain>/oauth2/authorize (what the discovery document
// lists: every domain on cognitod's own host and port), or by the Host, as on AWS:
// <prefix>.auth.<region>.amazoncognito.com, <prefix>.localhost, or a custom domain's name.
#pragma once

#include "server/app_services.hpp"
#include "server/aws_json.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace cognitod
{

struct hosted_route
{
    std::string domain;
    std::string endpoint; // "oauth2/authorize", "login", "logout", "oauth2/token", ...
    bool by_host = false; // the Host named the domain; the path is the endpoint's alone
};

// The domain endpoint a request is for, if any: /<domain>/<endpoint>, or /<endpoint> with a Host
// that names a domain.
std::optional<hosted_route> find_hosted_route(aws_json::request const& req);

// Answers it. Throws what dispatcher::run throws for a failure that is no OAuth answer.
aws_json::response handle_hosted(
    app_services const& services,
    aws_json::request const& req,
    hosted_route const& route,
    std::string const& request_id,
    std::string_view local_address
);

} // namespace cognitod
