// app::handle on hand-built HTTP requests: routing, the AWS JSON 1.1 envelope, control endpoints.
// The one Beast-heavy file of server_tests; keep HTTP-level tests here.
#include "unit/server/app_fixture.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

namespace
{

using namespace cognitod::testing;

class app_handle : public ::testing::Test
{
protected:
    fixture f_;
    logger log_{log_level::error}; // quiet: only failures print
    app app_{services_of(f_, log_)};

    response handle(request const& req) const { return app_.handle(req, "192.0.2.1"); }
};

bool is_uuid(std::string_view text)
{
    static std::regex const uuid{"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"};
    return std::regex_match(std::string{text}, uuid);
}

} // namespace

TEST_F(app_handle, answers_a_call_with_200_and_the_output)
{
    auto const res = handle(aws_request("CreateUserPool", R"({"PoolName":"shop"})"));
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_EQ(res[http::field::content_type], "application/x-amz-json-1.1");
    EXPECT_EQ(body_of(res).at("UserPool").at("Name"), "shop");
}

TEST_F(app_handle, gives_every_response_a_uuid_request_id)
{
    auto const res = handle(aws_request("ListUserPools", R"({"MaxResults":1})"));
    EXPECT_TRUE(is_uuid(res["x-amzn-RequestId"])) << res["x-amzn-RequestId"];
    auto const other = handle(aws_request("ListUserPools", R"({"MaxResults":1})"));
    EXPECT_NE(res["x-amzn-RequestId"], other["x-amzn-RequestId"]);
}

TEST_F(app_handle, sets_content_length)
{
    auto const res = handle(aws_request("ListUserPools", R"({"MaxResults":1})"));
    EXPECT_EQ(res[http::field::content_length], std::to_string(res.body().size()));
}

TEST_F(app_handle, answers_an_aws_error_with_400_and_the_error_headers)
{
    auto const res =
        handle(aws_request("DescribeUserPool", R"({"UserPoolId":"us-east-1_AAAAAAAAA"})"));
    EXPECT_EQ(res.result(), http::status::bad_request);
    EXPECT_EQ(res["x-amzn-ErrorType"], "ResourceNotFoundException:");
    EXPECT_EQ(res["x-amzn-ErrorMessage"], "User pool us-east-1_AAAAAAAAA does not exist.");
    EXPECT_TRUE(is_uuid(res["x-amzn-RequestId"]));
    EXPECT_EQ(res[http::field::content_type], "application/x-amz-json-1.1");
    EXPECT_EQ(
        body_of(res),
        json(
            {{"__type", "ResourceNotFoundException"},
             {"message", "User pool us-east-1_AAAAAAAAA does not exist."}}
        )
    );
}

// Found by feeding request_fuzzer a 900 KB DescribeUserPool: the validation message echoes the
// pool id, Beast refused the 900 KB x-amzn-ErrorMessage header with std::length_error, and that
// throw from handle()'s catch block ended the process.
TEST_F(app_handle, cuts_a_long_error_message_header_and_keeps_the_whole_message_in_the_body)
{
    auto const pool_id = "a_" + std::string(100'000, 'A');
    auto const res =
        handle(aws_request("DescribeUserPool", json({{"UserPoolId", pool_id}}).dump()));
    EXPECT_EQ(res.result(), http::status::bad_request);
    EXPECT_EQ(res["x-amzn-ErrorType"], "InvalidParameterException:");
    auto const header = std::string{res["x-amzn-ErrorMessage"]};
    EXPECT_EQ(header.size(), 1024U + 3U);
    EXPECT_TRUE(header.starts_with("1 validation error detected: Value 'a_AAA")) << header;
    EXPECT_TRUE(header.ends_with("AAA...")) << header;
    EXPECT_NE(body_of(res).at("message").get<std::string>().find(pool_id), std::string::npos);
}

TEST_F(app_handle, cuts_the_error_message_header_between_utf8_sequences)
{
    std::string pool_id;
    for (int i = 0; i < 1000; ++i)
    {
        pool_id += "\u00e9";
    }
    auto const res =
        handle(aws_request("DescribeUserPool", json({{"UserPoolId", pool_id}}).dump()));
    // "2 validation errors detected: Value '" is 37 bytes, so byte 1024 is the second of an "é".
    EXPECT_EQ(
        res["x-amzn-ErrorMessage"],
        body_of(res).at("message").get<std::string>().substr(0, 1023) + "..."
    );
}

TEST_F(app_handle, writes_the_error_type_first_in_the_body)
{
    auto const res =
        handle(aws_request("DescribeUserPool", R"({"UserPoolId":"us-east-1_AAAAAAAAA"})"));
    EXPECT_TRUE(res.body().starts_with(R"({"__type":"ResourceNotFoundException",)")) << res.body();
}

TEST_F(app_handle, folds_line_breaks_out_of_the_error_message_header)
{
    auto const pool = make_pool().insert(f_);
    auto const res = handle(aws_request(
        "AdminCreateUser",
        json({{"UserPoolId", pool},
              {"Username", "alice"},
              {"UserAttributes", {{{"Name", "flavour"}, {"Value", "x"}}}}}
        ).dump()
    ));
    EXPECT_EQ(
        res["x-amzn-ErrorMessage"],
        "Attributes did not conform to the schema: flavour: Attribute does not exist in the schema."
    );
    EXPECT_EQ(
        body_of(res).at("message"),
        "Attributes did not conform to the schema: flavour: Attribute does not exist in the "
        "schema.\n"
    );
}

// Node's HTTP parser refuses a whole response whose header holds a control character, so the JS
// SDK threw "Invalid header value char" instead of the error; a NUL cut the message short.
TEST_F(app_handle, escapes_control_characters_in_the_error_message_header_only)
{
    auto const pool = make_pool().insert(f_);
    std::string const key = std::string{"us-east-1_a\x01"} + '\0' + "b\x7f\x1f" + "c";
    auto const res = handle(aws_request(
        "AdminGetDevice",
        json({{"UserPoolId", pool}, {"Username", "alice"}, {"DeviceKey", key}}).dump()
    ));
    ASSERT_EQ(res.result_int(), 400U) << res.body();
    auto const message = body_of(res).at("message").get<std::string>();
    EXPECT_NE(message.find(key), std::string::npos) << "the body keeps the value whole";
    auto const header = std::string{res["x-amzn-ErrorMessage"]};
    EXPECT_NE(header.find(R"(us-east-1_a\u0001\u0000b\u007F\u001Fc)"), std::string::npos) << header;
    for (char const c : header)
    {
        auto const byte = static_cast<unsigned char>(c);
        EXPECT_TRUE(byte >= 0x20U && byte != 0x7FU) << "control byte " << int{byte} << " in header";
    }
}

TEST_F(app_handle, keeps_an_error_message_whole_past_a_nul)
{
    cognitod::aws_error const e{
        "InvalidParameterException", std::string{"before"} + '\0' + "after"};
    auto const res = cognitod::aws_json::encode_error(e, "id", 11);
    EXPECT_EQ(body_of(res).at("message"), std::string{"before"} + '\0' + "after");
    EXPECT_EQ(res["x-amzn-ErrorMessage"], R"(before\u0000after)");
}

TEST_F(app_handle, answers_malformed_json_with_serialization_exception_and_capital_message)
{
    auto const res = handle(aws_request("ListUserPools", R"({"MaxResults":)"));
    EXPECT_EQ(res.result(), http::status::bad_request);
    EXPECT_EQ(res["x-amzn-ErrorType"], "SerializationException:");
    auto const body = body_of(res);
    EXPECT_EQ(body.at("__type"), "SerializationException");
    EXPECT_TRUE(body.contains("Message")) << body;
    EXPECT_FALSE(body.contains("message")) << body;
}

TEST_F(app_handle, answers_a_json_array_body_with_serialization_exception)
{
    auto const res = handle(aws_request("ListUserPools", "[]"));
    EXPECT_EQ(body_of(res).at("__type"), "SerializationException");
}

TEST_F(app_handle, treats_an_empty_body_as_an_empty_input)
{
    auto const res = handle(aws_request("ListUserPools", ""));
    EXPECT_EQ(body_of(res).at("__type"), "InvalidParameterException");
    EXPECT_NE(
        body_of(res).at("message").get<std::string>().find("'maxResults'"), std::string::npos
    );
}

TEST_F(app_handle, answers_a_missing_target_with_unknown_operation)
{
    auto req = aws_request("ListUserPools", "{}");
    req.erase("X-Amz-Target");
    auto const res = handle(req);
    EXPECT_EQ(res.result(), http::status::bad_request);
    EXPECT_EQ(res["x-amzn-ErrorType"], "UnknownOperationException:");
}

TEST_F(app_handle, answers_a_foreign_target_prefix_with_unknown_operation)
{
    auto req = aws_request("ListUserPools", "{}");
    req.set("X-Amz-Target", "AWSCognitoIdentityService.ListIdentityPools");
    EXPECT_EQ(handle(req)["x-amzn-ErrorType"], "UnknownOperationException:");
}

TEST_F(app_handle, answers_an_unimplemented_operation_with_501)
{
    auto const res = handle(
        aws_request("DescribeUserImportJob", R"({"UserPoolId":"us-east-1_abc","JobId":"import-a"})")
    );
    EXPECT_EQ(res.result_int(), 501U);
    EXPECT_EQ(res["x-amzn-ErrorType"], "NotImplementedException:");
    EXPECT_NE(
        body_of(res).at("message").get<std::string>().find("DescribeUserImportJob"),
        std::string::npos
    );
}

TEST_F(app_handle, takes_the_region_from_the_sigv4_credential_scope)
{
    auto req = aws_request("CreateUserPool", R"({"PoolName":"shop"})");
    req.set(
        http::field::authorization,
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-west-2/cognito-idp/aws4_request, "
        "SignedHeaders=host;x-amz-date;x-amz-target, Signature=abc"
    );
    auto const res = handle(req);
    EXPECT_TRUE(body_of(res).at("UserPool").at("Id").get<std::string>().starts_with("us-west-2_"))
        << res.body();
}

// The region becomes the prefix of the ids of the pools the call creates: a pool id no operation
// could take again (it fails the model's pattern) must not be made.
TEST_F(app_handle, refuses_a_credential_scope_whose_region_is_not_a_region_name)
{
    auto req = aws_request("CreateUserPool", R"({"PoolName":"shop"})");
    req.set(
        http::field::authorization,
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/x<script>/cognito-idp/aws4_request, "
        "SignedHeaders=host;x-amz-date;x-amz-target, Signature=abc"
    );
    auto const res = handle(req);
    EXPECT_EQ(res.result_int(), 400U);
    EXPECT_EQ(res["x-amzn-ErrorType"], "InvalidSignatureException:");
    EXPECT_EQ(
        body_of(res).at("message"),
        "Credential should be scoped to a valid region, not 'x<script>'. "
    );
    auto const pools = body_of(handle(aws_request("ListUserPools", R"({"MaxResults":60})")));
    EXPECT_TRUE(pools.at("UserPools").empty()) << pools;
}

TEST_F(app_handle, takes_made_up_region_names_that_fit_a_pool_id)
{
    for (std::string const& region :
         std::vector<std::string>{"local", "eu-central-2", "us-gov-west-1", "X1"})
    {
        EXPECT_TRUE(cognitod::aws_json::valid_region(region)) << region;
    }
    for (std::string const& region :
         std::vector<std::string>{"", "a_b", "x<script>", "us east", std::string(51, 'a')})
    {
        EXPECT_FALSE(cognitod::aws_json::valid_region(region)) << region;
    }
}

TEST_F(app_handle, answers_in_the_http_version_of_the_request)
{
    auto const res = handle(aws_request("ListUserPools", R"({"MaxResults":1})", 10));
    EXPECT_EQ(res.version(), 10U);
}

TEST_F(app_handle, refuses_get_on_the_aws_endpoint_with_405)
{
    auto const res = handle(http_request(http::verb::get, "/"));
    EXPECT_EQ(res.result(), http::status::method_not_allowed);
    EXPECT_EQ(res[http::field::allow], "POST");
    EXPECT_EQ(body_of(res).at("__type"), "MethodNotAllowedException");
}

TEST_F(app_handle, answers_an_unknown_path_with_404_json)
{
    auto const res = handle(http_request(http::verb::get, "/nope"));
    EXPECT_EQ(res.result(), http::status::not_found);
    EXPECT_EQ(res[http::field::content_type], "application/json");
    EXPECT_EQ(
        body_of(res),
        json({{"__type", "NotFoundException"}, {"message", "No such resource: /nope"}})
    );
}

// Found by fuzz/request_fuzzer (fuzz/corpus/request/regression_404_path_not_utf8): the 404 message
// echoes the path, and bytes that are not UTF-8 made writing the JSON body throw, so the answer
// was a 500.
TEST_F(app_handle, answers_an_unknown_path_that_is_not_utf8_with_404_json)
{
    auto const res =
        handle(http_request(http::verb::get, "/us-east-1_FuzzPool1/.well-kno\xff\xffwn/x"));
    EXPECT_EQ(res.result(), http::status::not_found);
    EXPECT_EQ(
        body_of(res).at("message"),
        "No such resource: /us-east-1_FuzzPool1/.well-kno\uFFFD\uFFFDwn/x"
    );
}

TEST_F(app_handle, answers_an_unknown_control_endpoint_that_is_not_utf8_with_404_json)
{
    auto const res = handle(http_request(http::verb::get, "/_cognitod/\xc3"));
    EXPECT_EQ(res.result(), http::status::not_found);
    EXPECT_EQ(body_of(res).at("message"), "No such control endpoint: /_cognitod/\uFFFD");
}

TEST_F(app_handle, ignores_the_query_string_when_routing)
{
    auto req = aws_request("ListUserPools", R"({"MaxResults":1})");
    req.target("/?x=1");
    EXPECT_EQ(handle(req).result(), http::status::ok);
}

TEST_F(app_handle, reports_health)
{
    auto const res = handle(http_request(http::verb::get, "/_cognitod/health"));
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_EQ(body_of(res).at("status"), "ok");
    EXPECT_EQ(body_of(res).at("version"), COGNITOD_VERSION);
}

TEST_F(app_handle, refuses_post_on_health)
{
    EXPECT_EQ(
        handle(http_request(http::verb::post, "/_cognitod/health")).result(),
        http::status::method_not_allowed
    );
}

TEST_F(app_handle, answers_an_unknown_control_endpoint_with_404)
{
    auto const res = handle(http_request(http::verb::get, "/_cognitod/nope"));
    EXPECT_EQ(res.result(), http::status::not_found);
    EXPECT_EQ(body_of(res).at("__type"), "NotFoundException");
}

TEST_F(app_handle, reset_wipes_the_store)
{
    make_pool().insert(f_);
    auto const res = handle(http_request(http::verb::post, "/_cognitod/reset"));
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_TRUE(f_.store.read()->list_user_pools(0, 10).empty());
}

TEST_F(app_handle, seed_applies_the_body)
{
    auto req = http_request(http::verb::post, "/_cognitod/seed");
    req.body() =
        R"({"UserPools":[{"Id":"us-east-1_Seeded1","PoolName":"p","Users":[{"Username":"a"}]}]})";
    req.prepare_payload();
    auto const res = handle(req);
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_EQ(
        body_of(res),
        json(
            {{"PoolsCreated", 1},
             {"ClientsCreated", 0},
             {"GroupsCreated", 0},
             {"UsersCreated", 1},
             {"DevicesCreated", 0}}
        )
    );
    EXPECT_TRUE(f_.store.read()->find_user_pool("us-east-1_Seeded1"));
}

TEST_F(app_handle, seed_answers_a_bad_seed_with_400_naming_the_path)
{
    auto req = http_request(http::verb::post, "/_cognitod/seed");
    req.body() = R"({"UserPools":[{"PoolName":"p","Colour":"blue"}]})";
    req.prepare_payload();
    auto const res = handle(req);
    EXPECT_EQ(res.result(), http::status::bad_request);
    EXPECT_EQ(
        body_of(res),
        json(
            {{"__type", "InvalidSeedException"},
             {"message", "$.UserPools[0].Colour: unknown member"}}
        )
    );
}

// A storage failure: SQLite refuses the write (a trigger stands in for a full disk or an I/O
// error). The answer is a generic 500 InternalErrorException and nothing of the call remains.

TEST_F(app_handle, a_storage_failure_in_admin_forget_device_is_a_500_and_changes_nothing)
{
    auto const pool = make_pool().with_device_tracking().insert(f_);
    auto const alice = make_user("alice").insert(f_, pool);
    auto const key = make_device().insert(f_, alice);
    f_.store.write()->db().exec("CREATE TRIGGER fail_forget BEFORE DELETE ON devices "
                                "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
    json const input{{"UserPoolId", pool}, {"Username", "alice"}, {"DeviceKey", key}};

    auto const res = handle(aws_request("AdminForgetDevice", input.dump()));

    EXPECT_EQ(res.result(), http::status::internal_server_error);
    EXPECT_EQ(res["x-amzn-ErrorType"], "InternalErrorException:");
    EXPECT_EQ(body_of(res).at("__type"), "InternalErrorException");
    // The storage's own words stay in the log, not on the wire.
    EXPECT_EQ(res.body().find("disk I/O"), std::string::npos);
    f_.store.write()->db().exec("DROP TRIGGER fail_forget");
    EXPECT_EQ(f_.call("AdminGetDevice", input).at("Device").at("DeviceKey"), key);
}

TEST_F(app_handle, a_storage_failure_halfway_through_a_call_rolls_all_of_it_back)
{
    auto const pool = make_pool().insert(f_);
    // AdminCreateUser writes the user, then its attributes; the second write fails.
    f_.store.write()->db().exec("CREATE TRIGGER fail_attributes BEFORE INSERT ON user_attributes "
                                "BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    json const input{{"UserPoolId", pool}, {"Username", "zoe"}, {"MessageAction", "SUPPRESS"}};

    auto const res = handle(aws_request("AdminCreateUser", input.dump()));

    EXPECT_EQ(res.result(), http::status::internal_server_error);
    f_.store.write()->db().exec("DROP TRIGGER fail_attributes");
    EXPECT_AWS_ERROR(
        f_,
        "AdminGetUser",
        (json{{"UserPoolId", pool}, {"Username", "zoe"}}),
        "UserNotFoundException",
        "User does not exist."
    );
}

TEST_F(app_handle, dates_every_answer_as_aws_does)
{
    // The SDKs correct their clock skew from Date when a signature is refused as expired.
    EXPECT_EQ(
        handle(aws_request("ListUserPools", R"({"MaxResults":1})"))[http::field::date],
        "Tue, 07 May 2024 16:52:22 GMT"
    );
    EXPECT_EQ(
        handle(http_request(http::verb::get, "/nowhere"))[http::field::date],
        "Tue, 07 May 2024 16:52:22 GMT"
    );
}

// A web app on another origin calls cognito-idp from the browser; the browser asks first.
// cognito-idp's answer (docs/fidelity.md): 200, no body, the requested headers echoed.
TEST_F(app_handle, answers_a_preflight_for_the_aws_endpoint_as_cognito_does)
{
    auto req = http_request(http::verb::options, "/");
    req.set(http::field::origin, "http://localhost:3000");
    req.set(http::field::access_control_request_method, "POST");
    req.set(
        http::field::access_control_request_headers,
        "content-type,x-amz-target,x-amz-user-agent,amz-sdk-invocation-id"
    );
    auto const res = handle(req);
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_TRUE(res.body().empty());
    EXPECT_EQ(res[http::field::content_length], "0");
    EXPECT_TRUE(is_uuid(res["x-amzn-RequestId"]));
    EXPECT_EQ(res[http::field::access_control_allow_origin], "*");
    EXPECT_EQ(res[http::field::access_control_allow_methods], "POST");
    EXPECT_EQ(
        res[http::field::access_control_allow_headers],
        "content-type,x-amz-target,x-amz-user-agent,amz-sdk-invocation-id"
    );
    EXPECT_EQ(
        res[http::field::access_control_expose_headers],
        "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date"
    );
    EXPECT_EQ(res[http::field::access_control_max_age], "172800");
}

TEST_F(app_handle, a_preflight_that_names_no_headers_is_told_the_sdks_headers)
{
    auto req = http_request(http::verb::options, "/");
    req.set(http::field::origin, "http://localhost:3000");
    req.set(http::field::access_control_request_method, "POST");
    auto const res = handle(req);
    EXPECT_EQ(res.result(), http::status::ok);
    auto const allowed = std::string{res[http::field::access_control_allow_headers]};
    for (auto const* name : {"content-type", "x-amz-target", "x-amz-user-agent", "authorization"})
    {
        EXPECT_NE(allowed.find(name), std::string::npos) << name << " in " << allowed;
    }
}

// A browser SDK reads the error's name from x-amzn-ErrorType: only exposed headers are readable.
TEST_F(app_handle, lets_other_origins_read_the_aws_endpoints_answers_and_errors)
{
    auto ok = aws_request("ListUserPools", R"({"MaxResults":1})");
    ok.set(http::field::origin, "http://localhost:3000");
    auto error = aws_request("DescribeUserPool", R"({"UserPoolId":"us-east-1_AAAAAAAAA"})");
    error.set(http::field::origin, "http://localhost:3000");
    auto malformed = aws_request("ListUserPools", "{");
    malformed.set(http::field::origin, "http://localhost:3000");
    for (auto const& req : {ok, error, malformed})
    {
        auto const res = handle(req);
        EXPECT_EQ(res[http::field::access_control_allow_origin], "*") << res.body();
        EXPECT_EQ(
            res[http::field::access_control_expose_headers],
            "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date"
        ) << res.body();
    }
}

TEST_F(app_handle, sends_no_cors_headers_beyond_the_aws_endpoint)
{
    for (auto method : {http::verb::get, http::verb::post, http::verb::options})
    {
        for (auto const* path :
             {"/_cognitod/health", "/_cognitod/reset", "/_cognitod/ui/api/state", "/nowhere"})
        {
            auto req = http_request(method, path);
            req.set(http::field::origin, "http://localhost:3000");
            req.set(http::field::access_control_request_method, "POST");
            auto const res = handle(req);
            EXPECT_EQ(res.count(http::field::access_control_allow_origin), 0U) << path;
            EXPECT_EQ(res.count(http::field::access_control_allow_methods), 0U) << path;
            EXPECT_EQ(res.count(http::field::access_control_expose_headers), 0U) << path;
        }
    }
    EXPECT_EQ(
        handle(http_request(http::verb::get, "/")).count(http::field::access_control_allow_origin),
        0U
    );
}

// With --auth off CORS would let any site the developer visits delete every pool: a page of
// another site, or one on a rebound name, may call only what AWS leaves unsigned.
TEST_F(app_handle, with_auth_off_a_site_elsewhere_cannot_call_what_aws_signs)
{
    auto const pool = make_pool().insert(f_);
    for (auto const* origin : {"https://elsewhere.example", "http://rebind.example:9229", "null"})
    {
        auto req = aws_request("DeleteUserPool", json{{"UserPoolId", pool}}.dump());
        req.set(http::field::origin, origin);
        auto const res = handle(req);
        EXPECT_EQ(res.result(), http::status::bad_request) << origin;
        EXPECT_EQ(res["x-amzn-ErrorType"], "AccessDeniedException:") << origin;
        EXPECT_EQ(res[http::field::access_control_allow_origin], "*") << origin;
    }
    EXPECT_TRUE(f_.store.read()->find_user_pool(pool));
    // What a web app's sign-in calls is unsigned on AWS too.
    auto sign_in = aws_request(
        "InitiateAuth",
        R"({"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"nope","AuthParameters":{"USERNAME":"a","PASSWORD":"b"}})"
    );
    sign_in.set(http::field::origin, "https://elsewhere.example");
    EXPECT_NE(handle(sign_in)["x-amzn-ErrorType"], "AccessDeniedException:");
}

TEST_F(app_handle, with_auth_off_a_page_of_this_machine_calls_anything)
{
    for (auto const* origin :
         {"http://localhost:3000", "http://127.0.0.1:5173", "http://[::1]:8080"})
    {
        auto req = aws_request("ListUserPools", R"({"MaxResults":1})");
        req.set(http::field::origin, origin);
        EXPECT_EQ(handle(req).result(), http::status::ok) << origin;
    }
}
