// A pool domain's OAuth 2.0 endpoints through app::handle: /oauth2/authorize, the hosted login,
// /logout, /oauth2/token, /oauth2/userInfo and /oauth2/revoke, as a browser and a relying party
// send them.
#include "server/auth/encoding.hpp"
#include "server/auth/jwt.hpp"
#include "server/query_string.hpp"
#include "unit/server/app_fixture.hpp"
#include "unit/server/operations/mfa_fixture.hpp"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <string>

namespace
{

using namespace cognitod::testing;
using cognitod::form_encode;
using cognitod::query_parameters;

constexpr char const* password = "Correct-Horse-9";
constexpr char const* callback = "https://app.example.com/callback";
constexpr char const* api = "https://api.example.com";

// The cookies a browser keeps: each Set-Cookie's name and value; Max-Age=0 removes one.
class cookie_jar
{
    std::map<std::string, std::string> cookies_;

public:
    void take(response const& res)
    {
        auto const [first, last] = res.equal_range(http::field::set_cookie);
        for (auto it = first; it != last; ++it)
        {
            std::string const text{it->value()};
            auto const eq = text.find('=');
            auto const end = text.find(';');
            auto const name = text.substr(0, eq);
            if (text.find("Max-Age=0") != std::string::npos)
            {
                cookies_.erase(name);
            }
            else
            {
                cookies_[name] = text.substr(eq + 1, end - eq - 1);
            }
        }
    }
    bool has(std::string const& name) const { return cookies_.contains(name); }
    std::string header() const
    {
        std::string out;
        for (auto const& [name, value] : cookies_)
        {
            out += (out.empty() ? "" : "; ") + name + "=" + value;
        }
        return out;
    }
};

std::string s256(std::string const& verifier)
{
    return cognitod::auth::base64url_encode(cognitod::auth::sha256(verifier));
}

class hosted_login : public ::testing::Test
{
protected:
    fixture f_;
    logger log_{log_level::error};
    app app_{services_of(f_, log_)};
    std::string pool_ = make_pool().insert(f_);
    created_client web_;
    created_client machine_;
    cookie_jar jar_;

    void SetUp() override
    {
        f_.call("CreateUserPoolDomain", {{"UserPoolId", pool_}, {"Domain", "shop-login"}});
        f_.call(
            "CreateResourceServer",
            {{"UserPoolId", pool_},
             {"Identifier", api},
             {"Name", "api"},
             {"Scopes",
              {{{"ScopeName", "read"}, {"ScopeDescription", "read"}},
               {{"ScopeName", "write"}, {"ScopeDescription", "write"}}}}}
        );
        web_ = make_client()
                   .with_secret()
                   .with("AllowedOAuthFlowsUserPoolClient", true)
                   .with("AllowedOAuthFlows", {"code"})
                   .with("AllowedOAuthScopes", {"openid", "email", std::string{api} + "/read"})
                   .with("CallbackURLs", {callback})
                   .with("LogoutURLs", {"https://app.example.com/"})
                   .with("SupportedIdentityProviders", {"COGNITO"})
                   .insert(f_, pool_);
        machine_ = make_client()
                       .with_secret()
                       .with("AllowedOAuthFlowsUserPoolClient", true)
                       .with("AllowedOAuthFlows", {"client_credentials"})
                       .with("AllowedOAuthScopes", {std::string{api} + "/read"})
                       .insert(f_, pool_);
        make_user("ana")
            .with_email("ana@example.com", true)
            .with_password(password)
            .insert(f_, pool_);
    }

    response send(request req)
    {
        if (auto const cookies = jar_.header(); !cookies.empty())
        {
            req.set(http::field::cookie, cookies);
        }
        auto res = app_.handle(req, "192.0.2.1");
        jar_.take(res);
        return res;
    }

    response get(std::string const& target) { return send(http_request(http::verb::get, target)); }

    response
    post(std::string const& target, json const& form, std::string const& authorization = {})
    {
        auto req = http_request(http::verb::post, target, form_encode(form));
        req.set(http::field::content_type, "application/x-www-form-urlencoded");
        if (!authorization.empty())
        {
            req.set(http::field::authorization, authorization);
        }
        req.prepare_payload();
        return send(std::move(req));
    }

    json authorization(json extra = json::object()) const
    {
        json params{
            {"client_id", web_.id},
            {"redirect_uri", callback},
            {"response_type", "code"},
            {"state", "st-1"},
            {"nonce", "n-1"},
            {"code_challenge", s256("verifier-0123456789-0123456789-0123456789")},
            {"code_challenge_method", "S256"},
        };
        for (auto const& [name, value] : extra.items())
        {
            params[name] = value;
        }
        return params;
    }

    std::string authorize_target(json const& params) const
    {
        return "/shop-login/oauth2/authorize?" + form_encode(params);
    }

    // Opens the login page (its CSRF cookie and token) and posts the form to it.
    response submit(json const& params, json form)
    {
        auto const page = get("/shop-login/login?" + form_encode(params));
        std::smatch m;
        std::regex const token{R"re(name="_csrf" value="([^"]+)")re"};
        std::string const body = page.body();
        if (!std::regex_search(body, m, token))
        {
            ADD_FAILURE() << "no CSRF token on the page: " << body;
        }
        form["_csrf"] = m.size() > 1 ? m[1].str() : "";
        return post("/shop-login/login?" + form_encode(params), form);
    }

    // The redirect's URL split: where it goes and its query (or fragment) parameters.
    static std::pair<std::string, json> redirect_of(response const& res)
    {
        std::string const location{res[http::field::location]};
        auto const cut = location.find_first_of("?#");
        auto const base = location.substr(0, cut);
        auto const params = cut == std::string::npos
                                ? json::object()
                                : query_parameters("?" + location.substr(cut + 1));
        return {base, params};
    }

    std::string code_for(json const& params)
    {
        auto const res = submit(params, {{"username", "ana"}, {"password", password}});
        EXPECT_EQ(res.result(), http::status::found) << res.body();
        return redirect_of(res).second.value("code", "");
    }

    response token(json form, std::string const& authorization = {})
    {
        return post("/shop-login/oauth2/token", form, authorization);
    }

    std::string basic(created_client const& c, std::string const& secret = {}) const
    {
        return "Basic " +
               cognitod::auth::base64_encode(c.id + ":" + (secret.empty() ? c.secret : secret));
    }

    json code_grant(std::string const& code)
    {
        auto const res = token(
            {{"grant_type", "authorization_code"},
             {"code", code},
             {"redirect_uri", callback},
             {"code_verifier", "verifier-0123456789-0123456789-0123456789"}},
            basic(web_)
        );
        EXPECT_EQ(res.result(), http::status::ok) << res.body();
        return body_of(res);
    }
};

} // namespace

TEST_F(hosted_login, authorize_sends_a_browser_without_a_session_to_the_login_page)
{
    auto const res = get(authorize_target(authorization()));
    ASSERT_EQ(res.result(), http::status::found);
    auto const [where, params] = redirect_of(res);
    EXPECT_EQ(where, "http://localhost/shop-login/login");
    EXPECT_EQ(params, authorization());
}

TEST_F(hosted_login, an_unknown_client_or_an_unlisted_redirect_uri_goes_to_the_error_page)
{
    auto const stranger =
        redirect_of(get(authorize_target(authorization({{"redirect_uri", "https://evil.example/"}}))
        ));
    EXPECT_EQ(stranger.first, "http://localhost/shop-login/error");
    EXPECT_EQ(stranger.second, (json{{"error", "redirect_mismatch"}, {"client_id", web_.id}}));
    auto const unknown =
        redirect_of(get(authorize_target(authorization({{"client_id", "nobody"}}))));
    EXPECT_EQ(unknown.first, "http://localhost/shop-login/error");
    auto const page = get("/shop-login/error?error=redirect_mismatch");
    EXPECT_EQ(page.result(), http::status::bad_request);
    EXPECT_NE(
        page.body().find("An error was encountered with the requested page."), std::string::npos
    );
}

TEST_F(hosted_login, with_a_valid_client_and_redirect_uri_errors_go_back_to_it_with_the_state)
{
    auto const refused = [&](json const& changes)
    { return redirect_of(get(authorize_target(authorization(changes)))); };
    for (auto const& [changes, error] : std::vector<std::pair<json, std::string>>{
             {{{"response_type", "id_token"}}, "invalid_request"},
             {{{"response_type", "token"}}, "unauthorized_client"},
             {{{"code_challenge_method", "plain"}}, "invalid_request"},
             {{{"scope", "email"}}, "invalid_scope"},
             {{{"scope", "phone"}}, "invalid_scope"},
         })
    {
        auto const [where, params] = refused(changes);
        EXPECT_EQ(where, callback) << changes;
        EXPECT_EQ(params, (json{{"error", error}, {"state", "st-1"}})) << changes;
    }
}

TEST_F(hosted_login, the_login_page_carries_a_csrf_token_a_strict_policy_and_escaped_input)
{
    auto const page = get("/shop-login/login?" + form_encode(authorization()));
    ASSERT_EQ(page.result(), http::status::ok);
    EXPECT_TRUE(jar_.has("XSRF-TOKEN"));
    std::string const csp{page["Content-Security-Policy"]};
    EXPECT_TRUE(csp.starts_with("default-src 'none'; style-src 'sha256-")) << csp;
    EXPECT_NE(csp.find("form-action 'self' https://app.example.com"), std::string::npos) << csp;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe"), std::string::npos) << csp;
    EXPECT_EQ(page.body().find("<script"), std::string::npos);

    auto const refused =
        submit(authorization(), {{"username", "<script>x</script>"}, {"password", "p"}});
    EXPECT_EQ(refused.result(), http::status::ok);
    EXPECT_EQ(refused.body().find("<script>"), std::string::npos);
    EXPECT_NE(refused.body().find("&lt;script&gt;x&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(refused.body().find("User does not exist."), std::string::npos) << refused.body();
}

TEST_F(hosted_login, a_post_without_the_pages_csrf_token_signs_no_one_in)
{
    get("/shop-login/login?" + form_encode(authorization()));
    auto const res = post(
        "/shop-login/login?" + form_encode(authorization()),
        {{"username", "ana"},
         {"password", password},
         {"_csrf", "forged-forged-forged-forged-forged"}}
    );
    EXPECT_EQ(res.result(), http::status::forbidden);
    EXPECT_FALSE(jar_.has("cognito"));
}

TEST_F(hosted_login, a_wrong_password_shows_awss_message_on_the_form_again)
{
    auto const res = submit(authorization(), {{"username", "ana"}, {"password", "Wrong-Horse-9"}});
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_NE(
        res.body().find(R"(<div id="error" role="alert">Incorrect username or password.</div>)"),
        std::string::npos
    );
    EXPECT_NE(res.body().find(R"(value="ana")"), std::string::npos);
    EXPECT_FALSE(jar_.has("cognito"));
}

TEST_F(hosted_login, the_code_flow_gives_tokens_with_nonce_at_hash_and_the_granted_scopes)
{
    auto const res = submit(authorization(), {{"username", "ana"}, {"password", password}});
    ASSERT_EQ(res.result(), http::status::found) << res.body();
    EXPECT_TRUE(jar_.has("cognito"));
    auto const [where, params] = redirect_of(res);
    EXPECT_EQ(where, callback);
    EXPECT_EQ(params.at("state"), "st-1");
    auto const tokens = code_grant(params.at("code"));
    EXPECT_EQ(tokens.at("token_type"), "Bearer");
    EXPECT_EQ(tokens.at("expires_in"), 3600);
    EXPECT_TRUE(tokens.contains("refresh_token"));

    auto const access = claims_of(tokens.at("access_token"));
    EXPECT_EQ(access.at("scope"), "openid email https://api.example.com/read");
    EXPECT_EQ(access.at("client_id"), web_.id);
    EXPECT_EQ(access.at("version"), 2);
    EXPECT_EQ(access.at("username"), "ana");
    EXPECT_FALSE(access.contains("event_id"));

    auto const id = claims_of(tokens.at("id_token"));
    EXPECT_EQ(id.at("nonce"), "n-1");
    EXPECT_EQ(id.at("aud"), web_.id);
    EXPECT_EQ(id.at("iss"), "http://localhost/" + pool_);
    EXPECT_EQ(id.at("email"), "ana@example.com");
    EXPECT_EQ(id.at("auth_time"), access.at("auth_time"));
    auto const hash = cognitod::auth::sha256(tokens.at("access_token").get<std::string>());
    EXPECT_EQ(id.at("at_hash"), cognitod::auth::base64url_encode(hash.substr(0, 16)));
    // Devices are not tracked on this path.
    EXPECT_FALSE(access.contains("device_key"));
}

TEST_F(hosted_login, a_code_serves_once_and_for_five_minutes)
{
    auto const code = code_for(authorization());
    code_grant(code);
    auto const again = token(
        {{"grant_type", "authorization_code"},
         {"code", code},
         {"redirect_uri", callback},
         {"code_verifier", "verifier-0123456789-0123456789-0123456789"}},
        basic(web_)
    );
    EXPECT_EQ(again.result(), http::status::bad_request);
    EXPECT_EQ(body_of(again), (json{{"error", "invalid_grant"}}));

    auto const late = code_for(authorization());
    f_.time.now += 5 * 60 * 1000 + 1;
    auto const expired = token(
        {{"grant_type", "authorization_code"},
         {"code", late},
         {"redirect_uri", callback},
         {"code_verifier", "verifier-0123456789-0123456789-0123456789"}},
        basic(web_)
    );
    EXPECT_EQ(body_of(expired), (json{{"error", "invalid_grant"}}));
}

TEST_F(hosted_login, a_wrong_verifier_or_redirect_uri_is_refused_and_uses_the_code_up)
{
    auto const code = code_for(authorization());
    auto const wrong = token(
        {{"grant_type", "authorization_code"},
         {"code", code},
         {"redirect_uri", callback},
         {"code_verifier", "another-verifier-0123456789-0123456789"}},
        basic(web_)
    );
    EXPECT_EQ(body_of(wrong), (json{{"error", "invalid_request"}}));
    auto const retried = token(
        {{"grant_type", "authorization_code"},
         {"code", code},
         {"redirect_uri", callback},
         {"code_verifier", "verifier-0123456789-0123456789-0123456789"}},
        basic(web_)
    );
    EXPECT_EQ(body_of(retried), (json{{"error", "invalid_grant"}}));

    auto const elsewhere = token(
        {{"grant_type", "authorization_code"},
         {"code", code_for(authorization())},
         {"redirect_uri", "https://app.example.com/other"},
         {"code_verifier", "verifier-0123456789-0123456789-0123456789"}},
        basic(web_)
    );
    EXPECT_EQ(body_of(elsewhere), (json{{"error", "unauthorized_client"}}));
}

TEST_F(hosted_login, the_token_endpoint_authenticates_the_client_and_names_its_errors)
{
    auto const wrong_basic =
        token({{"grant_type", "client_credentials"}}, basic(machine_, "not-the-secret"));
    EXPECT_EQ(wrong_basic.result(), http::status::unauthorized);
    EXPECT_EQ(body_of(wrong_basic), (json{{"error", "invalid_client"}}));
    EXPECT_EQ(wrong_basic["Access-Control-Allow-Origin"], "*");
    EXPECT_EQ(wrong_basic[http::field::cache_control], "no-store");

    auto const wrong_post = token(
        {{"grant_type", "client_credentials"},
         {"client_id", machine_.id},
         {"client_secret", "not-the-secret"}}
    );
    EXPECT_EQ(wrong_post.result(), http::status::bad_request);
    EXPECT_EQ(body_of(wrong_post), (json{{"error", "invalid_client"}}));

    EXPECT_EQ(
        body_of(token({{"grant_type", "password"}}, basic(machine_))),
        (json{{"error", "unsupported_grant_type"}})
    );
    EXPECT_EQ(
        body_of(token(json::object(), basic(machine_))), (json{{"error", "invalid_request"}})
    );
    EXPECT_EQ(
        body_of(token({{"grant_type", "client_credentials"}}, basic(web_))),
        (json{{"error", "unauthorized_client"}})
    );

    auto json_body = http_request(
        http::verb::post, "/shop-login/oauth2/token", R"({"grant_type":"client_credentials"})"
    );
    json_body.set(http::field::content_type, "application/json");
    json_body.set(http::field::authorization, basic(machine_));
    EXPECT_EQ(body_of(send(json_body)), (json{{"error", "invalid_request"}}));
}

TEST_F(hosted_login, client_credentials_grants_the_clients_custom_scopes)
{
    auto const res = token({{"grant_type", "client_credentials"}}, basic(machine_));
    ASSERT_EQ(res.result(), http::status::ok) << res.body();
    auto const body = body_of(res);
    EXPECT_FALSE(body.contains("id_token"));
    EXPECT_FALSE(body.contains("refresh_token"));
    auto const claims = claims_of(body.at("access_token"));
    EXPECT_EQ(claims.at("sub"), machine_.id);
    EXPECT_EQ(claims.at("client_id"), machine_.id);
    EXPECT_EQ(claims.at("scope"), "https://api.example.com/read");
    EXPECT_EQ(claims.at("token_use"), "access");
    EXPECT_EQ(claims.at("iss"), "http://localhost/" + pool_);

    auto const unknown = token(
        {{"grant_type", "client_credentials"}, {"scope", "https://api.example.com/write"}},
        basic(machine_)
    );
    EXPECT_EQ(body_of(unknown), (json{{"error", "invalid_scope"}}));
}

TEST_F(hosted_login, refresh_gives_no_new_refresh_token_and_revoke_ends_it)
{
    auto const tokens = code_grant(code_for(authorization()));
    auto const refreshed = token(
        {{"grant_type", "refresh_token"}, {"refresh_token", tokens.at("refresh_token")}},
        basic(web_)
    );
    ASSERT_EQ(refreshed.result(), http::status::ok) << refreshed.body();
    auto const body = body_of(refreshed);
    EXPECT_FALSE(body.contains("refresh_token"));
    EXPECT_EQ(
        claims_of(body.at("access_token")).at("scope"), "openid email https://api.example.com/read"
    );
    EXPECT_TRUE(body.contains("id_token"));

    auto const access_given =
        post("/shop-login/oauth2/revoke", {{"token", tokens.at("access_token")}}, basic(web_));
    EXPECT_EQ(body_of(access_given), (json{{"error", "unsupported_token_type"}}));
    auto const revoked =
        post("/shop-login/oauth2/revoke", {{"token", tokens.at("refresh_token")}}, basic(web_));
    EXPECT_EQ(revoked.result(), http::status::ok);
    EXPECT_TRUE(revoked.body().empty());
    auto const after = token(
        {{"grant_type", "refresh_token"}, {"refresh_token", tokens.at("refresh_token")}},
        basic(web_)
    );
    EXPECT_EQ(body_of(after), (json{{"error", "invalid_grant"}}));
    auto const unknown = post("/shop-login/oauth2/revoke", {{"token", "not-a-token"}}, basic(web_));
    EXPECT_EQ(unknown.result(), http::status::ok);
}

TEST_F(hosted_login, user_info_answers_an_access_token_with_openid_and_refuses_the_rest)
{
    auto const tokens = code_grant(code_for(authorization()));
    auto bearer = http_request(http::verb::get, "/shop-login/oauth2/userInfo");
    bearer.set(
        http::field::authorization, "Bearer " + tokens.at("access_token").get<std::string>()
    );
    auto const res = send(bearer);
    ASSERT_EQ(res.result(), http::status::ok) << res.body();
    auto const info = body_of(res);
    EXPECT_EQ(info.at("username"), "ana");
    EXPECT_EQ(info.at("email"), "ana@example.com");
    EXPECT_EQ(info.at("email_verified"), "true");
    EXPECT_EQ(info.at("sub"), claims_of(tokens.at("id_token")).at("sub"));

    auto const missing = send(http_request(http::verb::get, "/shop-login/oauth2/userInfo"));
    EXPECT_EQ(missing.result(), http::status::bad_request);
    EXPECT_EQ(
        missing[http::field::www_authenticate],
        R"(error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint")"
    );

    auto forged = http_request(http::verb::get, "/shop-login/oauth2/userInfo");
    forged.set(http::field::authorization, "Bearer eyJhbGciOiJub25lIn0.e30.");
    auto const refused = send(forged);
    EXPECT_EQ(refused.result(), http::status::unauthorized);
    EXPECT_NE(
        std::string{refused[http::field::www_authenticate]}.find(R"(error="invalid_token")"),
        std::string::npos
    );

    auto const machine = body_of(token({{"grant_type", "client_credentials"}}, basic(machine_)));
    auto no_openid = http_request(http::verb::get, "/shop-login/oauth2/userInfo");
    no_openid.set(
        http::field::authorization, "Bearer " + machine.at("access_token").get<std::string>()
    );
    EXPECT_EQ(send(no_openid).result(), http::status::unauthorized);
}

TEST_F(hosted_login, the_session_cookie_skips_the_form_until_logout)
{
    code_for(authorization());
    auto const again = get(authorize_target(authorization({{"state", "st-2"}})));
    ASSERT_EQ(again.result(), http::status::found);
    auto const [where, params] = redirect_of(again);
    EXPECT_EQ(where, callback);
    EXPECT_EQ(params.at("state"), "st-2");
    EXPECT_TRUE(params.contains("code"));

    auto const unlisted =
        get("/shop-login/logout?" +
            form_encode({{"client_id", web_.id}, {"logout_uri", "https://evil.example/"}}));
    EXPECT_EQ(redirect_of(unlisted).first, "http://localhost/shop-login/error");
    EXPECT_TRUE(jar_.has("cognito"));

    auto const out =
        get("/shop-login/logout?" +
            form_encode({{"client_id", web_.id}, {"logout_uri", "https://app.example.com/"}}));
    EXPECT_EQ(out[http::field::location], "https://app.example.com/");
    EXPECT_FALSE(jar_.has("cognito"));
    EXPECT_EQ(
        redirect_of(get(authorize_target(authorization()))).first,
        "http://localhost/shop-login/login"
    );
}

TEST_F(hosted_login, logout_with_a_redirect_uri_asks_for_the_password_again)
{
    code_for(authorization());
    auto const signed_in = jar_.header();
    auto const out =
        get("/shop-login/logout?" + form_encode(
                                        {{"client_id", web_.id},
                                         {"redirect_uri", callback},
                                         {"response_type", "code"},
                                         {"state", "st-3"}}
                                    ));
    auto const [where, params] = redirect_of(out);
    EXPECT_EQ(where, "http://localhost/shop-login/login");
    EXPECT_EQ(params.at("state"), "st-3");
    EXPECT_FALSE(jar_.has("cognito"));
    // The session is gone from the store too: its cookie, sent again, names nothing.
    EXPECT_EQ(
        redirect_of(get(authorize_target(authorization()))).first,
        "http://localhost/shop-login/login"
    );
}

TEST_F(hosted_login, a_user_with_sms_mfa_is_asked_for_the_code_the_outbox_holds)
{
    f_.call("SetUserPoolMfaConfig", {{"UserPoolId", pool_}, {"MfaConfiguration", "ON"}});
    f_.call(
        "AdminUpdateUserAttributes",
        {{"UserPoolId", pool_},
         {"Username", "ana"},
         {"UserAttributes",
          {{{"Name", "phone_number"}, {"Value", "+15555550100"}},
           {{"Name", "phone_number_verified"}, {"Value", "true"}}}}}
    );
    auto const step = submit(authorization(), {{"username", "ana"}, {"password", password}});
    ASSERT_EQ(step.result(), http::status::ok) << step.body();
    EXPECT_NE(step.body().find(R"(name="code")"), std::string::npos);
    EXPECT_NE(step.body().find("by SMS to +*******0100"), std::string::npos) << step.body();
    std::smatch session;
    std::string const body = step.body();
    ASSERT_TRUE(
        std::regex_search(body, session, std::regex{R"re(name="session" value="([^"]+)")re"})
    );
    auto const messages = f_.store.read()->list_messages(pool_, "ana");
    ASSERT_FALSE(messages.empty());
    std::smatch csrf;
    ASSERT_TRUE(std::regex_search(body, csrf, std::regex{R"re(name="_csrf" value="([^"]+)")re"}));
    auto const target = "/shop-login/login?" + form_encode(authorization());
    json answer{
        {"_csrf", csrf[1].str()},
        {"challenge", "SMS_MFA"},
        {"session", session[1].str()},
        {"username", "ana"},
        {"code", "000000"}};
    auto const wrong = post(target, answer);
    EXPECT_NE(wrong.body().find("Invalid code received for user"), std::string::npos)
        << wrong.body();
    answer["code"] = messages.back().code;
    auto const done = post(target, answer);
    ASSERT_EQ(done.result(), http::status::found) << done.body();
    EXPECT_TRUE(redirect_of(done).second.contains("code"));
}

TEST_F(hosted_login, a_user_with_a_temporary_password_chooses_a_new_one_on_the_page)
{
    make_user("ben").with_temporary_password("Temp-Horse-9").insert(f_, pool_);
    auto const step = submit(authorization(), {{"username", "ben"}, {"password", "Temp-Horse-9"}});
    ASSERT_EQ(step.result(), http::status::ok) << step.body();
    std::string const body = step.body();
    EXPECT_NE(body.find(R"(name="new_password")"), std::string::npos);
    std::smatch session;
    std::smatch csrf;
    ASSERT_TRUE(
        std::regex_search(body, session, std::regex{R"re(name="session" value="([^"]+)")re"})
    );
    ASSERT_TRUE(std::regex_search(body, csrf, std::regex{R"re(name="_csrf" value="([^"]+)")re"}));
    auto const done = post(
        "/shop-login/login?" + form_encode(authorization()),
        {{"_csrf", csrf[1].str()},
         {"challenge", "NEW_PASSWORD_REQUIRED"},
         {"session", session[1].str()},
         {"username", "ben"},
         {"new_password", "New-Horse-99"}}
    );
    ASSERT_EQ(done.result(), http::status::found) << done.body();
    EXPECT_EQ(
        f_.call("AdminGetUser", {{"UserPoolId", pool_}, {"Username", "ben"}}).at("UserStatus"),
        "CONFIRMED"
    );
}

TEST_F(hosted_login, the_implicit_grant_puts_the_tokens_in_the_fragment)
{
    f_.call(
        "UpdateUserPoolClient",
        {{"UserPoolId", pool_},
         {"ClientId", web_.id},
         {"AllowedOAuthFlowsUserPoolClient", true},
         {"AllowedOAuthFlows", {"implicit"}},
         {"AllowedOAuthScopes", {"openid"}},
         {"CallbackURLs", {callback}},
         {"SupportedIdentityProviders", {"COGNITO"}}}
    );
    auto const res = submit(
        authorization({{"response_type", "token"}}), {{"username", "ana"}, {"password", password}}
    );
    ASSERT_EQ(res.result(), http::status::found) << res.body();
    std::string const location{res[http::field::location]};
    ASSERT_NE(location.find('#'), std::string::npos) << location;
    auto const fragment = query_parameters("?" + location.substr(location.find('#') + 1));
    EXPECT_EQ(fragment.at("state"), "st-1");
    EXPECT_EQ(fragment.at("token_type"), "Bearer");
    EXPECT_FALSE(fragment.contains("refresh_token"));
    EXPECT_EQ(claims_of(fragment.at("id_token")).at("nonce"), "n-1");
    EXPECT_EQ(claims_of(fragment.at("access_token")).at("scope"), "openid");
}

TEST_F(hosted_login, a_host_that_names_the_domain_serves_its_endpoints_at_the_root)
{
    auto req = http_request(http::verb::get, "/oauth2/authorize?" + form_encode(authorization()));
    req.set(http::field::host, "shop-login.auth.us-east-1.amazoncognito.com");
    auto const res = send(req);
    ASSERT_EQ(res.result(), http::status::found);
    EXPECT_EQ(redirect_of(res).first, "http://shop-login.auth.us-east-1.amazoncognito.com/login");
    auto const unknown = get("/nobody-here/oauth2/authorize");
    EXPECT_EQ(unknown.result(), http::status::not_found);
}

TEST_F(hosted_login, discovery_lists_the_domains_endpoints)
{
    auto const document = body_of(get("/" + pool_ + "/.well-known/openid-configuration"));
    EXPECT_EQ(
        document.at("authorization_endpoint"), "http://localhost/shop-login/oauth2/authorize"
    );
    EXPECT_EQ(document.at("token_endpoint"), "http://localhost/shop-login/oauth2/token");
    EXPECT_EQ(document.at("userinfo_endpoint"), "http://localhost/shop-login/oauth2/userInfo");
    EXPECT_EQ(document.at("revocation_endpoint"), "http://localhost/shop-login/oauth2/revoke");
    EXPECT_EQ(document.at("end_session_endpoint"), "http://localhost/shop-login/logout");
    EXPECT_EQ(document.at("issuer"), "http://localhost/" + pool_);
}
