// What keeps web pages away from the control endpoints, on its own: which Host names cognitod,
// which Origin is its own, which Content-Type declares JSON.
#include "server/control_access.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace
{

namespace http = cognitod::http;
using cognitod::host_allowed;
using request = cognitod::aws_json::request;

std::vector<std::string> const none;

request with(std::initializer_list<std::pair<http::field, char const*>> fields)
{
    request req{http::verb::post, "/_cognitod/reset", 11};
    for (auto const& [field, value] : fields)
    {
        req.set(field, value);
    }
    return req;
}

} // namespace

TEST(host_allowed, takes_loopback_names_and_addresses_with_or_without_a_port)
{
    for (auto const* host :
         {"localhost",
          "LOCALHOST:9229",
          "localhost.",
          "app.localhost:3000",
          "127.0.0.1",
          "127.255.0.9:1",
          "[::1]",
          "[::1]:9229",
          "[::ffff:127.0.0.1]:9229"})
    {
        EXPECT_TRUE(host_allowed(host, "127.0.0.1:9229", none)) << host;
    }
}

TEST(host_allowed, takes_the_address_the_connection_arrived_on)
{
    EXPECT_TRUE(host_allowed("192.0.2.10:9229", "192.0.2.10:9229", none));
    EXPECT_TRUE(host_allowed("192.0.2.10", "[::ffff:192.0.2.10]:9229", none));
    EXPECT_TRUE(host_allowed("[2001:db8::5]:9229", "[2001:db8::5]:9229", none));
    EXPECT_FALSE(host_allowed("192.0.2.11:9229", "192.0.2.10:9229", none));
}

TEST(host_allowed, refuses_other_names)
{
    for (auto const* host :
         {"rebind.example",
          "rebind.example:9229",
          "localhost.rebind.example",
          "127.0.0.1.rebind.example",
          "notlocalhost",
          "10.0.0.1"})
    {
        EXPECT_FALSE(host_allowed(host, "127.0.0.1:9229", none)) << host;
    }
}

TEST(host_allowed, takes_the_names_and_domains_it_is_given)
{
    std::vector<std::string> const allowed{"cognitod", ".Test.Internal"};
    EXPECT_TRUE(host_allowed("cognitod:9229", "172.18.0.2:9229", allowed));
    EXPECT_TRUE(host_allowed("CogniTod", "172.18.0.2:9229", allowed));
    EXPECT_TRUE(host_allowed("test.internal", "172.18.0.2:9229", allowed));
    EXPECT_TRUE(host_allowed("a.b.test.internal:80", "172.18.0.2:9229", allowed));
    EXPECT_FALSE(host_allowed("cognitod.example", "172.18.0.2:9229", allowed));
    EXPECT_FALSE(host_allowed("latest.internal", "172.18.0.2:9229", allowed));
}

TEST(host_allowed, takes_a_request_without_host)
{
    // HTTP/1.0 without Host: no browser sends that.
    EXPECT_TRUE(host_allowed("", "127.0.0.1:9229", none));
}

TEST(same_origin, takes_a_request_without_origin_or_from_its_own)
{
    using cognitod::same_origin;
    EXPECT_TRUE(same_origin(with({{http::field::host, "127.0.0.1:9229"}}), "127.0.0.1:9229"));
    EXPECT_TRUE(same_origin(
        with({{http::field::host, "127.0.0.1:9229"}, {http::field::origin, "http://127.0.0.1:9229"}}
        ),
        "127.0.0.1:9229"
    ));
    EXPECT_TRUE(same_origin(
        with({{http::field::host, "Localhost:80"}, {http::field::origin, "http://localhost"}}), ""
    ));
    EXPECT_TRUE(
        same_origin(with({{http::field::origin, "http://127.0.0.1:9229"}}), "127.0.0.1:9229")
    );
}

TEST(same_origin, refuses_another_port_scheme_name_or_null)
{
    using cognitod::same_origin;
    for (auto const* origin :
         {"http://127.0.0.1:5555",
          "https://127.0.0.1:9229",
          "http://localhost:9229",
          "http://127.0.0.1:9229.rebind.example",
          "null",
          ""})
    {
        EXPECT_FALSE(same_origin(
            with({{http::field::host, "127.0.0.1:9229"}, {http::field::origin, origin}}),
            "127.0.0.1:9229"
        )) << origin;
    }
}

TEST(same_origin, follows_a_proxys_scheme)
{
    auto req =
        with({{http::field::host, "cognito.dev"}, {http::field::origin, "https://cognito.dev"}});
    EXPECT_FALSE(cognitod::same_origin(req, ""));
    req.set("X-Forwarded-Proto", "https");
    EXPECT_TRUE(cognitod::same_origin(req, ""));
}

TEST(declares_json, takes_application_json_with_parameters_in_any_case)
{
    for (auto const* type :
         {"application/json", "application/json; charset=utf-8", "APPLICATION/JSON "})
    {
        EXPECT_TRUE(cognitod::declares_json(with({{http::field::content_type, type}}))) << type;
    }
    for (auto const* type :
         {"text/plain", "application/x-www-form-urlencoded", "application/jsonp", "json", ""})
    {
        EXPECT_FALSE(cognitod::declares_json(with({{http::field::content_type, type}}))) << type;
    }
    EXPECT_FALSE(cognitod::declares_json(with({})));
}
