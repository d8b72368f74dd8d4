#include "server/hosted_login.hpp"

#include "server/auth/encoding.hpp"
#include "server/control_access.hpp"
#include "server/operations/oauth/endpoints.hpp"
#include "server/operations/sign_in/sign_in.hpp"
#include "server/query_string.hpp"

#include <algorithm>
#include <array>

namespace cognitod
{

namespace
{

constexpr std::string_view login_cookie = "cognito";
constexpr std::string_view csrf_cookie = "XSRF-TOKEN";

// The domain a Host names: <prefix>.auth.<region>.amazoncognito.com and <prefix>.localhost name
// a prefix domain; any other name with a dot that is not an address, a custom domain.
std::optional<std::string> domain_of_host(std::string_view host)
{
    if (host.starts_with('['))
    {
        return std::nullopt; // an IPv6 address
    }
    host = host.substr(0, host.find(':'));
    if (auto const auth = host.find(".auth.");
        auth != std::string_view::npos && host.ends_with(".amazoncognito.com") && auth > 0)
    {
        return std::string{host.substr(0, auth)};
    }
    if (host.ends_with(".localhost") && host.size() > 10)
    {
        return std::string{host.substr(0, host.size() - 10)};
    }
    bool const address = host.find_first_not_of("0123456789.") == std::string_view::npos;
    if (address || host.find('.') == std::string_view::npos)
    {
        return std::nullopt;
    }
    return std::string{host};
}

std::string escape_html(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char const c : text)
    {
        switch (c)
        {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

// A cookie's value from the Cookie header(s).
std::optional<std::string> cookie(aws_json::request const& req, std::string_view name)
{
    auto const [first, last] = req.equal_range(http::field::cookie);
    for (auto it = first; it != last; ++it)
    {
        std::string_view rest = it->value();
        while (!rest.empty())
        {
            auto const end = rest.find(';');
            auto pair = rest.substr(0, end);
            while (pair.starts_with(' '))
            {
                pair.remove_prefix(1);
            }
            if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=')
            {
                return std::string{pair.substr(name.size() + 1)};
            }
            rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        }
    }
    return std::nullopt;
}

// The origin (scheme://host[:port]) of a URL, for the CSP's form-action; nothing when it holds
// anything a header value should not.
std::optional<std::string> origin_of(std::string_view url)
{
    auto const scheme = url.find("://");
    if (scheme == std::string_view::npos)
    {
        return std::nullopt;
    }
    auto const end = url.find_first_of("/?#", scheme + 3);
    auto origin = url.substr(0, end);
    bool const plain = origin.find_first_not_of(
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:/"
                       ) == std::string_view::npos;
    return plain ? std::optional<std::string>{origin} : std::nullopt;
}

constexpr std::string_view style =
    R"(body{font-family:system-ui,sans-serif;background:#f2f3f3;margin:0}
main{max-width:22rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:6px;box-shadow:0 1px 4px #0003}
h1{font-size:1.3rem;margin:0 0 1rem}label{display:block;margin:.8rem 0 .3rem;font-size:.9rem}
input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}
button{margin-top:1.2rem;width:100%;padding:.6rem;font-size:1rem;background:#ec7211;color:#fff;border:0;border-radius:3px}
#error{color:#d13212;background:#fdf3f1;padding:.6rem;margin-bottom:.8rem}p{font-size:.9rem})";

std::string const& style_hash()
{
    static std::string const hash = "sha256-" + auth::base64_encode(auth::sha256(style));
    return hash;
}

struct page_parts
{
    std::string title;
    std::string body; // HTML, escaped where it carries input
};

std::string html_document(page_parts const& p)
{
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                      "<title>";
    out += escape_html(p.title);
    out += "</title><style>";
    out += style;
    out += "</style></head><body><main>";
    out += p.body;
    out += "</main></body></html>\n";
    return out;
}

std::string hidden(std::string_view name, std::string_view value)
{
    return "<input type=\"hidden\" name=\"" + std::string{name} + "\" value=\"" +
           escape_html(value) + "\">";
}

std::string error_block(std::optional<std::string> const& message)
{
    return message ? "<div id=\"error\" role=\"alert\">" + escape_html(*message) + "</div>"
                   : std::string{};
}

// The sign-in form, or the step a challenge asks for; its form posts back to /login with the
// authorization's parameters.
page_parts login_page(
    json const& outcome,
    std::string const& action,
    std::string const& csrf,
    std::string const& username,
    std::optional<std::string> const& error
)
{
    std::string form =
        "<form method=\"post\" action=\"" + escape_html(action) + "\">" + hidden("_csrf", csrf);
    auto const page = outcome.value("page", std::string{});
    if (page != "challenge")
    {
        form += "<label for=\"username\">Username</label><input id=\"username\" name=\"username\" "
                "autocomplete=\"username\" autofocus required value=\"" +
                escape_html(username) +
                "\"><label for=\"password\">Password</label><input id=\"password\" "
                "name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
                "<button type=\"submit\">Sign in</button></form>";
        return {
            "Sign in",
            "<h1>Sign in with your username and password</h1>" + error_block(error) + form};
    }
    auto const challenge = outcome.value("challenge", std::string{});
    auto const& parameters =
        outcome.contains("parameters") ? outcome.at("parameters") : json::object();
    form += hidden("challenge", challenge) + hidden("session", outcome.value("session", "")) +
            hidden("username", username);
    std::string heading;
    std::string text;
    if (challenge == "NEW_PASSWORD_REQUIRED")
    {
        heading = "Change Password";
        text = "Please enter a new password.";
        form += "<label for=\"new_password\">New Password</label><input id=\"new_password\" "
                "name=\"new_password\" type=\"password\" autocomplete=\"new-password\" autofocus "
                "required><button type=\"submit\">Send</button>";
    }
    else if (challenge == "SELECT_MFA_TYPE")
    {
        heading = "Choose how to sign in";
        text = "Choose the second factor to verify your identity.";
        form += "<button type=\"submit\" name=\"mfa_type\" value=\"SMS_MFA\">Text message "
                "(SMS)</button><button type=\"submit\" name=\"mfa_type\" "
                "value=\"SOFTWARE_TOKEN_MFA\">Authenticator app</button>";
    }
    else
    {
        heading = "Multi-factor authentication";
        text = challenge == "SMS_MFA"
                   ? "We have delivered the authentication code by SMS to " +
                         parameters.value("CODE_DELIVERY_DESTINATION", std::string{"your phone"}) +
                         ". Please enter the code to complete authentication."
                   : "Enter the code from your authenticator app.";
        form += "<label for=\"code\">Code</label><input id=\"code\" name=\"code\" "
                "inputmode=\"numeric\" autocomplete=\"one-time-code\" autofocus required>"
                "<button type=\"submit\">Sign in</button>";
    }
    form += "</form>";
    return {
        heading,
        "<h1>" + escape_html(heading) + "</h1>" + error_block(error) + "<p>" + escape_html(text) +
            "</p>" + form};
}

page_parts error_page(std::string const& message, std::optional<std::string> const& detail)
{
    std::string body =
        "<h1>An error was encountered with the requested page.</h1><p id=\"error\">" +
        escape_html(message) + "</p>";
    if (detail)
    {
        body += "<p>" + escape_html(*detail) + "</p>";
    }
    return {"Error", body};
}

void set_cookie(
    aws_json::response& res,
    std::string_view name,
    std::string const& value,
    std::string const& path,
    int max_age
)
{
    res.insert(
        http::field::set_cookie,
        std::string{name} + "=" + value + "; Path=" + path +
            "; Max-Age=" + std::to_string(max_age) + "; HttpOnly; SameSite=Lax"
    );
}

aws_json::response html_response(
    http::status status,
    page_parts const& page,
    std::optional<std::string> const& form_target,
    unsigned version
)
{
    aws_json::response res{status, version};
    res.set(http::field::content_type, "text/html; charset=utf-8");
    std::string csp = "default-src 'none'; style-src '" + style_hash() + "'; form-action 'self'";
    if (form_target)
    {
        csp += " " + *form_target;
    }
    csp += "; frame-ancestors 'none'; base-uri 'none'";
    res.set("Content-Security-Policy", csp);
    res.set(http::field::cache_control, "no-store");
    res.set("X-Frame-Options", "DENY");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    res.body() = html_document(page);
    res.prepare_payload();
    return res;
}

// Basic credentials are form-encoded before they are joined (RFC 6749 2.3.1).
std::optional<std::pair<std::string, std::string>> basic_credentials(std::string_view header)
{
    if (!header.starts_with("Basic "))
    {
        return std::nullopt;
    }
    auto const decoded = auth::base64_decode(header.substr(6));
    if (!decoded)
    {
        return std::nullopt;
    }
    auto const colon = decoded->find(':');
    if (colon == std::string::npos)
    {
        return std::nullopt;
    }
    auto const parts = form_parameters(
        "id=" + decoded->substr(0, colon) + "&secret=" + decoded->substr(colon + 1)
    );
    return std::pair{parts.value("id", std::string{}), parts.value("secret", std::string{})};
}

bool is_form(aws_json::request const& req)
{
    return req[http::field::content_type].starts_with("application/x-www-form-urlencoded");
}

// What the endpoints read: the query, a POST's form (which wins), the session cookie and the
// Authorization header.
oauth_request
read_request(aws_json::request const& req, hosted_route const& route, std::string const& origin)
{
    oauth_request out;
    out.domain = route.domain;
    out.base = route.by_host ? origin : origin + "/" + route.domain;
    out.params = query_parameters(req.target());
    if (req.method() == http::verb::post && is_form(req))
    {
        auto posted = form_parameters(req.body());
        for (auto& [name, value] : posted.items())
        {
            out.params[name] = std::move(value);
        }
    }
    out.login_cookie = cookie(req, login_cookie);
    if (auto const authorization = req.find(http::field::authorization); authorization != req.end())
    {
        std::string_view const value = authorization->value();
        out.basic = basic_credentials(value);
        if (value.starts_with("Bearer "))
        {
            out.bearer = std::string{value.substr(7)};
        }
    }
    return out;
}

// What a login page needs beside the outcome: where its form posts, its CSRF token, the username
// to show again, and the redirect_uri's origin for its form-action.
struct page_context
{
    std::string action;
    std::string csrf;
    std::string username;
    std::optional<std::string> redirect_origin;
};

// The outcome as HTTP: a redirect, a page, or JSON.
aws_json::response write_outcome(json const& outcome, page_context const& page, unsigned version)
{
    aws_json::response res;
    if (auto const redirect = outcome.find("redirect"); redirect != outcome.end())
    {
        auto location = redirect->get<std::string>();
        if (auto const query = outcome.find("query"); query != outcome.end() && !query->empty())
        {
            location += location.find('?') == std::string::npos ? '?' : '&';
            location += form_encode(*query);
        }
        if (auto const fragment = outcome.find("fragment"); fragment != outcome.end())
        {
            location += '#';
            location += form_encode(*fragment);
        }
        res = aws_json::response{http::status::found, version};
        res.set(http::field::location, location);
        res.set(http::field::cache_control, "no-store");
        res.prepare_payload();
        return res;
    }
    if (auto const kind = outcome.find("page"); kind != outcome.end())
    {
        auto const status = static_cast<http::status>(outcome.value("status", 200));
        if (*kind == "error")
        {
            return html_response(
                status,
                error_page(outcome.value("message", std::string{}), std::nullopt),
                std::nullopt,
                version
            );
        }
        return html_response(
            status,
            login_page(outcome, page.action, page.csrf, page.username, std::nullopt),
            page.redirect_origin,
            version
        );
    }
    res = aws_json::response{static_cast<http::status>(outcome.value("status", 200)), version};
    if (auto const body = outcome.find("json"); body != outcome.end())
    {
        res.set(http::field::content_type, "application/json;charset=UTF-8");
        res.body() = body->dump();
    }
    if (auto const challenge = outcome.find("www_authenticate"); challenge != outcome.end())
    {
        res.set(http::field::www_authenticate, challenge->get<std::string>());
    }
    res.set(http::field::cache_control, "no-store");
    res.set(http::field::pragma, "no-cache");
    // Single-page apps call these from their own origin, as AWS lets them.
    res.set(http::field::access_control_allow_origin, "*");
    res.prepare_payload();
    return res;
}

using endpoint_fn = json (*)(request_context&, oauth_request const&);

struct endpoint_entry
{
    std::string_view path;
    http::verb method;
    endpoint_fn fn;
    access mode;
};

// Each endpoint's method and its rules; userInfo also takes POST, and HEAD is GET.
constexpr std::array<endpoint_entry, 9> endpoint_table{{
    {"oauth2/authorize", http::verb::get, &oauth_authorize, access::write},
    {"login", http::verb::get, &oauth_login_form, access::read},
    {"login", http::verb::post, &oauth_login, access::write},
    {"logout", http::verb::get, &oauth_logout, access::write},
    {"oauth2/token", http::verb::post, &oauth_token, access::write},
    {"oauth2/userInfo", http::verb::get, &oauth_user_info, access::read},
    {"oauth2/userInfo", http::verb::post, &oauth_user_info, access::read},
    {"oauth2/revoke", http::verb::post, &oauth_revoke, access::write},
    {"error", http::verb::get, nullptr, access::read},
}};

bool is_endpoint(std::string_view path)
{
    return std::any_of(
        endpoint_table.begin(), endpoint_table.end(), [&](auto const& e) { return e.path == path; }
    );
}

// The Allow header of a method an endpoint does not take: the methods it does.
std::string allowed_methods(std::string_view path)
{
    std::string out;
    for (auto const& e : endpoint_table)
    {
        if (e.path == path)
        {
            out += (out.empty() ? "" : ", ") + std::string{http::to_string(e.method)};
        }
    }
    return out;
}

} // namespace

std::optional<hosted_route> find_hosted_route(aws_json::request const& req)
{
    std::string_view path = req.target();
    path = path.substr(0, path.find('?'));
    if (!path.starts_with('/'))
    {
        return std::nullopt;
    }
    path.remove_prefix(1);
    if (is_endpoint(path))
    {
        auto domain = domain_of_host(req[http::field::host]);
        if (!domain)
        {
            return std::nullopt;
        }
        return hosted_route{std::move(*domain), std::string{path}, true};
    }
    auto const slash = path.find('/');
    if (slash == std::string_view::npos || slash == 0 || path.starts_with('_') ||
        !is_endpoint(path.substr(slash + 1)))
    {
        return std::nullopt;
    }
    return hosted_route{std::string{path.substr(0, slash)}, std::string{path.substr(slash + 1)}};
}

aws_json::response handle_hosted(
    app_services const& services,
    aws_json::request const& req,
    hosted_route const& route,
    std::string const& request_id,
    std::string_view local_address
)
{
    auto const method = req.method() == http::verb::head ? http::verb::get : req.method();
    auto const* entry = std::find_if(
        endpoint_table.begin(),
        endpoint_table.end(),
        [&](auto const& e) { return e.path == route.endpoint && e.method == method; }
    );
    auto const version = req.version();
    if (entry == endpoint_table.end())
    {
        auto res = aws_json::encode_json(
            http::status::method_not_allowed,
            {{"error", "invalid_request"}, {"error_description", "Method not allowed."}},
            request_id,
            version
        );
        res.set(http::field::allow, allowed_methods(route.endpoint));
        return res;
    }
    auto const origin = addressed_origin(req, local_address);
    auto const oreq = read_request(req, route, origin);
    bool const form = is_form(req);
    std::string const cookie_path = route.by_host ? "/" : "/" + route.domain + "/";
    if (entry->fn == nullptr)
    {
        // /error: what the authorization's refusal named; no state to read.
        auto const error = parameter(oreq.params, "error");
        return html_response(
            http::status::bad_request,
            error_page(
                error == "redirect_mismatch"
                    ? "The redirect_uri is not one of the app client's callback URLs."
                    : "The request is not valid for this app client.",
                error ? std::optional<std::string>{"error: " + *error} : std::nullopt
            ),
            std::nullopt,
            version
        );
    }
    bool const token_like = route.endpoint == "oauth2/token" || route.endpoint == "oauth2/revoke";
    auto csrf = cookie(req, csrf_cookie);
    bool const new_csrf = route.endpoint == "login" && (!csrf || csrf->size() < 32);
    if (new_csrf)
    {
        csrf = auth::base64url_encode(services.ids.bytes(32));
    }
    page_context const page{
        oreq.base + "/login?" + form_encode(authorization_parameters(oreq.params)),
        csrf.value_or(""),
        parameter(oreq.params, "username").value_or(""),
        origin_of(parameter(oreq.params, "redirect_uri").value_or("")),
    };

    json outcome;
    if (token_like && method == http::verb::post && !form)
    {
        outcome = {{"status", 400}, {"json", {{"error", "invalid_request"}}}};
    }
    else if (route.endpoint == "login" && method == http::verb::post &&
             (new_csrf || !auth::constant_time_equal(
                              parameter(oreq.params, "_csrf").value_or(""), page.csrf
                          )))
    {
        // A post the page this cookie came with did not make (cross-site request forgery).
        outcome = {
            {"page", "error"},
            {"status", 403},
            {"message", "The sign-in form has expired. Open the sign-in page again."}};
    }
    else
    {
        call_info info{request_id, {}, {}, origin};
        try
        {
            outcome = services.calls.run(
                entry->mode, info, [&](request_context& ctx) { return entry->fn(ctx, oreq); }
            );
        }
        catch (aws_error const& e)
        {
            if (route.endpoint != "login")
            {
                throw;
            }
            // A refused step: the same step again, with the message AWS shows.
            auto const challenge = parameter(oreq.params, "challenge");
            json again{{"page", challenge ? "challenge" : "login"}};
            if (challenge)
            {
                again["challenge"] = *challenge;
                again["session"] = parameter(oreq.params, "session").value_or("");
            }
            auto res = html_response(
                http::status::ok,
                login_page(again, page.action, page.csrf, page.username, e.message()),
                page.redirect_origin,
                version
            );
            res.set("x-amzn-RequestId", request_id);
            return res;
        }
    }

    auto res = write_outcome(outcome, page, version);
    res.set("x-amzn-RequestId", request_id);
    if (new_csrf)
    {
        set_cookie(res, csrf_cookie, page.csrf, cookie_path, 3600);
    }
    if (auto const value = outcome.find("set_login_cookie"); value != outcome.end())
    {
        set_cookie(res, login_cookie, value->get<std::string>(), cookie_path, 3600);
    }
    if (outcome.value("clear_login_cookie", false))
    {
        set_cookie(res, login_cookie, "", cookie_path, 0);
    }
    return res;
}

} // namespace cognitod
