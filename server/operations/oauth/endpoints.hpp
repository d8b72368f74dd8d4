// The OAuth 2.0 and OpenID Connect endpoints of a pool's domain: /oauth2/authorize, the hosted
// login (/login), /logout, /oauth2/token, /oauth2/userInfo and /oauth2/revoke. Each runs in one
// transaction (dispatcher::run) and knows no HTTP: it reads an oauth_request and answers an
// outcome, which server/hosted_login.cpp turns into a response.
#pragma once

#include "server/operations/operations.hpp"

#include <optional>
#include <string>
#include <utility>

namespace cognitod
{

// A request to one of a domain's endpoints, as the HTTP layer read it.
struct oauth_request
{
    std::string domain;           // the domain the path or the Host names
    std::string base;             // where the domain's endpoints are: "http://host/<domain>"
    json params = json::object(); // the query and the form: string members
    std::optional<std::string> login_cookie; // the `cognito` cookie
    // Authorization: Basic (client_secret_basic), decoded into client id and secret.
    std::optional<std::pair<std::string, std::string>> basic;
    std::optional<std::string> bearer; // Authorization: Bearer
};

// An outcome is a JSON object with one of:
// - "redirect": URL, with "query" or "fragment" (an object of strings) to append to it; a stand-in
//   token in either is signed before the URL is written;
// - "page": "login", "challenge" or "error", with what the page shows (see hosted_login.cpp);
// - "status" and "json" (a JSON body), with "www_authenticate" for userInfo's refusals;
// and, beside any of them, "set_login_cookie" (the new `cognito` cookie's value) or
// "clear_login_cookie": true.

// The authorization request's parameters among params (those given, not empty): what the redirect
// to /login and the login page's form carry on.
json authorization_parameters(json const& params);

// GET /oauth2/authorize: the signed-in user's code or tokens when the `cognito` cookie names one,
// else the hosted login with the same parameters.
json oauth_authorize(request_context& ctx, oauth_request const& req);
// GET /login: the form, once the authorization parameters are valid.
json oauth_login_form(request_context& ctx, oauth_request const& req);
// POST /login: the password, then each challenge the pool asks (new password, MFA), then the
// authorization's code or tokens. Refusals throw aws_error with the API's message, which the page
// shows on the step that was answered.
json oauth_login(request_context& ctx, oauth_request const& req);
// GET /logout: ends the login session, then goes to logout_uri or back to the login.
json oauth_logout(request_context& ctx, oauth_request const& req);
// POST /oauth2/token: authorization_code, refresh_token and client_credentials.
json oauth_token(request_context& ctx, oauth_request const& req);
// GET or POST /oauth2/userInfo: the access token's user, as its scopes allow.
json oauth_user_info(request_context& ctx, oauth_request const& req);
// POST /oauth2/revoke: a refresh token and every token minted from it.
json oauth_revoke(request_context& ctx, oauth_request const& req);

} // namespace cognitod
