// The web console through app::handle: its embedded assets and their headers, the state API and
// its version, forgetting a device through AdminForgetDevice, and the control switches.
#include "unit/server/app_fixture.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <optional>
#include <string>
#include <unistd.h>

namespace
{

using namespace cognitod::testing;

class console : public ::testing::Test
{
protected:
    fixture f_;
    logger log_{log_level::error};
    std::string pool_;
    created_user alice_;
    std::string phone_;

    void SetUp() override
    {
        pool_ = make_pool().named("demo").with_device_tracking().insert(f_);
        alice_ = make_user("alice").with_password("Passw0rd!").insert(f_, pool_);
        phone_ = make_device().named("alice-phone").insert(f_, alice_);
    }

    app make_app(control_settings control = {})
    {
        auto services = services_of(f_, log_);
        services.control = std::move(control);
        return app{std::move(services)};
    }

    static request get(std::string target)
    {
        return http_request(http::verb::get, std::move(target));
    }

    static request post(std::string target, json const& body)
    {
        return http_request(http::verb::post, std::move(target), body.dump());
    }

    json forget_input(std::string key) const
    {
        return {{"UserPoolId", pool_}, {"Username", "alice"}, {"DeviceKey", std::move(key)}};
    }
};

} // namespace

TEST_F(console, serves_the_page_at_both_spellings_with_a_strict_policy)
{
    auto const a = make_app();
    for (auto const* target : {"/_cognitod/ui", "/_cognitod/ui/", "/_cognitod/ui/index.html"})
    {
        auto const res = a.handle(get(target), "127.0.0.1");
        ASSERT_EQ(res.result(), http::status::ok) << target;
        EXPECT_EQ(res[http::field::content_type], "text/html; charset=utf-8");
        EXPECT_EQ(res[http::field::cache_control], "no-store");
        EXPECT_TRUE(res["Content-Security-Policy"].starts_with("default-src 'self'"));
        EXPECT_NE(res.body().find("<title>cognitod console</title>"), std::string::npos);
    }
}

TEST_F(console, serves_the_script_and_style_sheet_with_their_types)
{
    auto const a = make_app();
    auto const script = a.handle(get("/_cognitod/ui/console.js"), "127.0.0.1");
    ASSERT_EQ(script.result(), http::status::ok);
    EXPECT_EQ(script[http::field::content_type], "text/javascript; charset=utf-8");
    EXPECT_EQ(script[http::field::cache_control], "no-store");
    EXPECT_EQ(script["X-Content-Type-Options"], "nosniff");
    auto const style = a.handle(get("/_cognitod/ui/console.css"), "127.0.0.1");
    ASSERT_EQ(style.result(), http::status::ok);
    EXPECT_EQ(style[http::field::content_type], "text/css; charset=utf-8");
}

TEST_F(console, the_assets_fetch_nothing_from_elsewhere)
{
    auto const a = make_app();
    for (auto const* target :
         {"/_cognitod/ui", "/_cognitod/ui/console.js", "/_cognitod/ui/console.css"})
    {
        auto const body = a.handle(get(target), "127.0.0.1").body();
        EXPECT_EQ(body.find("http://"), std::string::npos) << target;
        EXPECT_EQ(body.find("https://"), std::string::npos) << target;
        EXPECT_EQ(body.find("innerHTML"), std::string::npos) << target;
    }
}

TEST_F(console, the_state_lists_each_pools_groups_and_each_users_groups)
{
    f_.call("CreateGroup", {{"UserPoolId", pool_}, {"GroupName", "staff"}});
    f_.call("CreateGroup", {{"UserPoolId", pool_}, {"GroupName", "admins"}, {"Precedence", 0}});
    f_.call(
        "AdminAddUserToGroup",
        {{"UserPoolId", pool_}, {"Username", "alice"}, {"GroupName", "admins"}}
    );
    auto const res = make_app().handle(get("/_cognitod/ui/api/state"), "127.0.0.1");
    ASSERT_EQ(res.result(), http::status::ok) << res.body();
    auto const state = body_of(res);
    auto const& pool = state.at("UserPools").at(0);
    EXPECT_EQ(pool.at("Groups"), json::parse(R"([{"GroupName": "staff", "Precedence": null},
                        {"GroupName": "admins", "Precedence": 0}])"));
    EXPECT_EQ(pool.at("Users").at(0).at("Groups"), json::array({"admins"}));
}

TEST_F(console, the_state_shows_the_newest_messages_of_each_pool_and_the_users_states)
{
    for (int i = 0; i < 22; ++i)
    {
        f_.call(
            "AdminCreateUser",
            {{"UserPoolId", pool_},
             {"Username", "invitee" + std::to_string(i)},
             {"DesiredDeliveryMediums", {"EMAIL"}},
             {"UserAttributes", {{{"Name", "email"}, {"Value", "i@example.com"}}}}}
        );
    }
    auto const res = make_app().handle(get("/_cognitod/ui/api/state"), "127.0.0.1");
    auto const state = body_of(res);
    auto const& pool = state.at("UserPools").at(0);
    auto const& messages = pool.at("Messages");
    ASSERT_EQ(messages.size(), 20U);
    EXPECT_EQ(messages.at(0).at("Username"), "invitee21");
    EXPECT_EQ(messages.at(19).at("Username"), "invitee2");
    EXPECT_EQ(messages.at(0).at("DeliveryMedium"), "EMAIL");
    EXPECT_EQ(messages.at(0).at("Purpose"), "ADMIN_CREATE_USER");
    EXPECT_EQ(messages.at(0).at("Subject"), "Your temporary password");
    EXPECT_NE(
        messages.at(0).at("Message").get<std::string>().find(
            messages.at(0).at("Code").get<std::string>()
        ),
        std::string::npos
    );
    EXPECT_EQ(pool.at("Users").at(1).at("UserStatus"), "FORCE_CHANGE_PASSWORD");
}

TEST_F(console, an_unknown_asset_is_a_json_404)
{
    auto const a = make_app();
    for (auto const* target : {"/_cognitod/ui/missing.js", "/_cognitod/ui/api/nothing"})
    {
        auto const res = a.handle(get(target), "127.0.0.1");
        EXPECT_EQ(res.result(), http::status::not_found) << target;
        EXPECT_EQ(body_of(res).at("__type"), "NotFoundException");
    }
}

TEST_F(console, the_state_lists_pools_users_and_every_device)
{
    make_device().named("alice-kiosk").not_remembered().insert(f_, alice_);
    auto const res = make_app().handle(get("/_cognitod/ui/api/state"), "127.0.0.1");
    ASSERT_EQ(res.result(), http::status::ok) << res.body();
    EXPECT_EQ(res[http::field::cache_control], "no-store");
    auto const state = body_of(res);
    EXPECT_TRUE(state.at("Changed").get<bool>());
    auto const& pool = state.at("UserPools").at(0);
    EXPECT_EQ(pool.at("Id"), pool_);
    EXPECT_EQ(pool.at("Name"), "demo");
    auto const& user = pool.at("Users").at(0);
    EXPECT_EQ(user.at("Username"), "alice");
    EXPECT_EQ(user.at("UserStatus"), "CONFIRMED");
    EXPECT_EQ(user.at("Enabled"), true);
    EXPECT_EQ(user.at("Groups"), json::array());
    EXPECT_EQ(pool.at("Groups"), json::array());
    ASSERT_EQ(user.at("Devices").size(), 2U);
    EXPECT_EQ(
        user.at("Devices").at(0),
        json({
            {"DeviceKey", phone_},
            {"DeviceName", "alice-phone"},
            {"DeviceRememberedStatus", "remembered"},
            {"DeviceLastAuthenticatedDate", static_cast<double>(t0) / 1000.0},
            {"LastIpUsed", "192.0.2.10"},
        })
    );
    EXPECT_EQ(user.at("Devices").at(1).at("DeviceRememberedStatus"), "not_remembered");
}

TEST_F(console, the_version_moves_on_a_write_and_not_on_a_read)
{
    auto const a = make_app();
    auto const version = body_of(a.handle(get("/_cognitod/ui/api/state"), "127.0.0.1"))
                             .at("Version")
                             .get<std::uint64_t>();
    auto const since = "/_cognitod/ui/api/state?since=" + std::to_string(version);

    f_.call("ListUsers", {{"UserPoolId", pool_}});
    f_.call(
        "AdminGetDevice", {{"UserPoolId", pool_}, {"Username", "alice"}, {"DeviceKey", phone_}}
    );
    EXPECT_EQ(
        body_of(a.handle(get(since), "127.0.0.1")), json({{"Changed", false}, {"Version", version}})
    );

    f_.call("AdminDisableUser", {{"UserPoolId", pool_}, {"Username", "alice"}});
    auto const after = body_of(a.handle(get(since), "127.0.0.1"));
    EXPECT_TRUE(after.at("Changed").get<bool>());
    EXPECT_GT(after.at("Version").get<std::uint64_t>(), version);
    EXPECT_EQ(after.at("UserPools").at(0).at("Users").at(0).at("Enabled"), false);
}

// Over a database file the state is read on a reader connection: a write in progress, holding
// the writer's lock, neither delays it nor shows in it. With 30,000 users, reading the state under
// the writer's lock held every write back for half a second.
TEST(console_state, is_read_beside_a_write_that_holds_the_writer)
{
    auto const dir =
        std::filesystem::temp_directory_path() / ("cognitod-console-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
        fixture f{(dir / "state.db").string()};
        auto const pool = make_pool().named("demo").insert(f);
        make_user("alice").insert(f, pool);
        logger const log{log_level::error};
        app const a{services_of(f, log)};

        std::optional writer{f.store.write()};
        std::optional<cognitod::storage::transaction> pending;
        pending.emplace((*writer)->db(), cognitod::storage::transaction_mode::immediate);
        (*writer)->delete_user_pool((*writer)->find_user_pool(pool)->seq);
        auto state = std::async(
            std::launch::async,
            [&]
            { return a.handle(http_request(http::verb::get, "/_cognitod/ui/api/state"), "::1"); }
        );
        bool const answered = state.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
        // Roll back and let the writer go, so that a state call waiting for it finishes and the
        // test can end.
        pending.reset();
        writer.reset();
        ASSERT_TRUE(answered) << "the state call waited for the writer's lock";
        auto const res = state.get();
        ASSERT_EQ(res.result(), http::status::ok) << res.body();
        auto const body = body_of(res);
        ASSERT_EQ(body.at("UserPools").size(), 1U) << "the state shows an uncommitted write";
        EXPECT_EQ(body.at("UserPools").at(0).at("Users").at(0).at("Username"), "alice");
    }
    std::filesystem::remove_all(dir);
}

TEST_F(console, a_failed_write_leaves_the_version_alone)
{
    auto const version = f_.store.version();
    f_.error_of("AdminDisableUser", {{"UserPoolId", pool_}, {"Username", "nobody"}});
    EXPECT_EQ(f_.store.version(), version);
}

TEST_F(console, forgets_a_device_through_admin_forget_device)
{
    auto const a = make_app();
    auto const res = a.handle(post("/_cognitod/ui/api/forget-device", forget_input(phone_)), "::1");
    ASSERT_EQ(res.result(), http::status::ok) << res.body();
    EXPECT_EQ(body_of(res), json::object());
    EXPECT_AWS_ERROR(
        f_,
        "AdminGetDevice",
        forget_input(phone_),
        "ResourceNotFoundException",
        "Device does not exist."
    );
    auto const state = body_of(a.handle(get("/_cognitod/ui/api/state"), "127.0.0.1"));
    EXPECT_TRUE(state.at("UserPools").at(0).at("Users").at(0).at("Devices").empty());
}

TEST_F(console, forgetting_an_unknown_device_answers_the_aws_error)
{
    auto const res = make_app().handle(
        post(
            "/_cognitod/ui/api/forget-device",
            forget_input("us-east-1_00000000-0000-4000-8000-000000000000")
        ),
        "127.0.0.1"
    );
    EXPECT_EQ(res.result(), http::status::bad_request);
    EXPECT_EQ(res["x-amzn-ErrorType"], "ResourceNotFoundException:");
    EXPECT_EQ(body_of(res).at("message"), "Device does not exist.");
}

TEST_F(console, forgetting_validates_the_input_as_the_operation_does)
{
    auto const a = make_app();
    auto const missing = a.handle(
        post("/_cognitod/ui/api/forget-device", {{"UserPoolId", pool_}, {"DeviceKey", phone_}}),
        "127.0.0.1"
    );
    EXPECT_EQ(missing["x-amzn-ErrorType"], "InvalidParameterException:");
    auto const wrong_method = a.handle(get("/_cognitod/ui/api/forget-device"), "127.0.0.1");
    EXPECT_EQ(wrong_method.result(), http::status::method_not_allowed);
}

// The body is decoded as an AWS call's is: nested too deep, it never reaches the operation.
TEST_F(console, forgetting_refuses_a_body_nested_deeper_than_a_request_may_be)
{
    auto const a = make_app();
    auto const body = R"({"UserPoolId":")" + pool_ + R"(","Username":"alice","DeviceKey":")" +
                      phone_ + R"(","Unknown":)" + std::string(60'000, '[') +
                      std::string(60'000, ']') + "}";
    auto const res = a.handle(
        http_request(http::verb::post, "/_cognitod/ui/api/forget-device", body), "127.0.0.1"
    );
    EXPECT_EQ(res["x-amzn-ErrorType"], "SerializationException:");
    EXPECT_TRUE(f_.store.read()->find_device_by_key(phone_).has_value());
}

// What a page the developer opens elsewhere can send without a preflight: a text/plain POST, or
// any POST with its own Origin. Neither forgets the device.
TEST_F(console, a_page_on_another_origin_cannot_forget_a_device)
{
    auto const a = make_app();
    auto plain = post("/_cognitod/ui/api/forget-device", forget_input(phone_));
    plain.set(http::field::content_type, "text/plain;charset=UTF-8");
    EXPECT_EQ(a.handle(plain, "127.0.0.1").result(), http::status::unsupported_media_type);

    auto foreign = post("/_cognitod/ui/api/forget-device", forget_input(phone_));
    foreign.set(http::field::origin, "http://127.0.0.1:5555");
    auto const res = a.handle(foreign, "127.0.0.1");
    EXPECT_EQ(res.result(), http::status::forbidden);
    EXPECT_EQ(body_of(res).at("__type"), "ForbiddenException");
    EXPECT_NO_THROW(f_.call("AdminGetDevice", forget_input(phone_)));

    // The page itself sends its own origin.
    auto own = post("/_cognitod/ui/api/forget-device", forget_input(phone_));
    own.set(http::field::origin, "http://localhost");
    EXPECT_EQ(a.handle(own, "127.0.0.1").result(), http::status::ok);
}

TEST_F(console, switched_off_it_does_not_exist)
{
    auto const a = make_app({false, ""});
    for (auto const* target :
         {"/_cognitod/ui", "/_cognitod/ui/console.js", "/_cognitod/ui/api/state"})
    {
        auto const res = a.handle(get(target), "127.0.0.1");
        EXPECT_EQ(res.result(), http::status::not_found) << target;
        EXPECT_EQ(body_of(res).at("__type"), "NotFoundException");
    }
    EXPECT_EQ(
        a.handle(post("/_cognitod/ui/api/forget-device", forget_input(phone_)), "127.0.0.1")
            .result(),
        http::status::not_found
    );
    EXPECT_NO_THROW(f_.call("AdminGetDevice", forget_input(phone_)));
}

TEST_F(console, with_a_token_the_page_takes_it_in_the_query)
{
    auto const a = make_app({true, "s3cret"});
    EXPECT_EQ(a.handle(get("/_cognitod/ui"), "127.0.0.1").result(), http::status::unauthorized);
    EXPECT_EQ(
        a.handle(get("/_cognitod/ui?token=s3cre"), "127.0.0.1").result(), http::status::unauthorized
    );
    EXPECT_EQ(a.handle(get("/_cognitod/ui?token=s3cret"), "127.0.0.1").result(), http::status::ok);
    EXPECT_EQ(a.handle(get("/_cognitod/ui/?token=s3cret"), "127.0.0.1").result(), http::status::ok);
    // The script and style sheet hold no state; a <script src> cannot send the header.
    EXPECT_EQ(a.handle(get("/_cognitod/ui/console.js"), "127.0.0.1").result(), http::status::ok);
}

TEST_F(console, with_a_token_only_the_page_accepts_it_in_the_query)
{
    auto const a = make_app({true, "s3cret"});
    for (auto const* target :
         {"/_cognitod/ui/api/state?token=s3cret",
          "/_cognitod/health?token=s3cret",
          "/_cognitod/ui/missing.js?token=s3cret"})
    {
        EXPECT_EQ(a.handle(get(target), "127.0.0.1").result(), http::status::unauthorized)
            << target;
    }
    EXPECT_EQ(
        a.handle(
             post("/_cognitod/ui/api/forget-device?token=s3cret", forget_input(phone_)), "127.0.0.1"
        )
            .result(),
        http::status::unauthorized
    );
    EXPECT_NO_THROW(f_.call("AdminGetDevice", forget_input(phone_)));

    auto by_header = get("/_cognitod/ui/api/state");
    by_header.set("X-Cognitod-Control-Token", "s3cret");
    EXPECT_EQ(a.handle(by_header, "127.0.0.1").result(), http::status::ok);
    auto forget = post("/_cognitod/ui/api/forget-device", forget_input(phone_));
    forget.set("X-Cognitod-Control-Token", "s3cret");
    EXPECT_EQ(a.handle(forget, "127.0.0.1").result(), http::status::ok);
}
