#include "server/auth/encoding.hpp"
#include "server/auth/sigv4.hpp"
#include "server/aws_error.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace
{

using namespace cognitod;
using namespace cognitod::auth::sigv4;
using cognitod::auth::hex_encode;
using cognitod::auth::hmac_sha256;

// AWS's SigV4 test suite (aws-sig-v4-test-suite, as kept in awslabs/aws-c-auth under
// tests/aws-signing-test-suite/v4): one key, one instant, region us-east-1, service "service".
constexpr std::string_view suite_key_id = "AKIDEXAMPLE";
constexpr std::string_view suite_secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::int64_t suite_time = 1'440'938'160; // 2015-08-30T12:36:00Z
constexpr std::string_view suite_date = "20150830T123600Z";
constexpr std::string_view suite_scope = "20150830/us-east-1/service/aws4_request";

credential key_of(std::string_view access_key_id, std::string_view secret)
{
    credential key;
    key.access_key_id = access_key_id;
    key.secret_access_key = secret;
    return key;
}

aws_json::request suite_request(http::verb method, std::string_view target)
{
    aws_json::request req{method, target, 11};
    req.set(http::field::host, "example.amazonaws.com");
    req.set("X-Amz-Date", suite_date);
    return req;
}

struct published
{
    std::string_view signed_headers;
    std::string_view canonical_request;
    std::string_view string_to_sign;
    std::string_view signature;
};

// The canonical request, string to sign and signature the suite publishes for req, and the
// verifier's acceptance of req carrying the Authorization header AWS computed.
void expect_published(aws_json::request req, published const& expected)
{
    auto const creq = canonical_request(req, expected.signed_headers);
    EXPECT_EQ(creq, expected.canonical_request);
    auto const sts = string_to_sign(suite_date, suite_scope, creq);
    EXPECT_EQ(sts, expected.string_to_sign);
    auto const key = signing_key(suite_secret, "20150830", "us-east-1", "service");
    EXPECT_EQ(hex_encode(hmac_sha256(key, sts)), expected.signature);

    req.set(
        http::field::authorization,
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + std::string{suite_scope} + ", SignedHeaders=" +
            std::string{expected.signed_headers} + ", Signature=" + std::string{expected.signature}
    );
    credential_set const suite_keys{{key_of(suite_key_id, suite_secret)}};
    EXPECT_EQ(verify(req, suite_keys, suite_time, "service").access_key_id, suite_key_id);
}

// The cognitod side: AdminGetUser as the AWS CLI sends it, at 2026-11-30T10:10:00Z.
constexpr std::int64_t now = 1'796'033'400;
constexpr std::int64_t minute = 60;

credential ci_key()
{
    credential key;
    key.access_key_id = "AKIACOGNITODCI000001";
    key.secret_access_key = "cognitod/ci+secret=key";
    key.name = "ci";
    return key;
}

credential temporary_key()
{
    credential key;
    key.access_key_id = "ASIACOGNITODTEMP0001";
    key.secret_access_key = "temporary/secret";
    key.session_token = "FwoGZXIvYXdzEBYaDTemporaryToken==";
    return key;
}

credential_set const& known_keys()
{
    static credential_set const keys{{ci_key(), temporary_key()}};
    return keys;
}

aws_json::request admin_get_user()
{
    aws_json::request req{http::verb::post, "/", 11};
    req.set(http::field::host, "localhost:9229");
    req.set(http::field::content_type, "application/x-amz-json-1.1");
    req.set("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminGetUser");
    req.set(http::field::user_agent, "aws-cli/2.15.0");
    req.body() = R"({"UserPoolId":"us-east-1_example","Username":"alice"})";
    req.prepare_payload();
    return req;
}

aws_json::request signed_by(credential const& key, std::int64_t at = now)
{
    auto req = admin_get_user();
    sign(req, key, "us-east-1", "cognito-idp", at);
    return req;
}

// Rewrites part of the Authorization header, as a tampering client would.
void rewrite_authorization(aws_json::request& req, std::string_view from, std::string_view to)
{
    std::string value{req[http::field::authorization]};
    auto const at = value.find(from);
    ASSERT_NE(at, std::string::npos) << value;
    value.replace(at, from.size(), to);
    req.set(http::field::authorization, value);
}

// The aws_error verify throws; a test failure when it verifies.
aws_error refusal(aws_json::request const& req, std::int64_t at = now)
{
    try
    {
        auto const& caller = verify(req, known_keys(), at);
        ADD_FAILURE() << "verified as " << caller.access_key_id;
    }
    catch (aws_error const& e)
    {
        EXPECT_EQ(e.status(), 400U);
        return e;
    }
    return {"(none)", ""};
}

void expect_refusal(
    aws_json::request const& req,
    std::string_view code,
    std::string_view message,
    std::int64_t at = now
)
{
    auto const e = refusal(req, at);
    EXPECT_EQ(e.code(), code);
    EXPECT_EQ(std::string_view{e.what()}, message);
}

constexpr std::string_view signature_mismatch =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";
constexpr std::string_view invalid_token = "The security token included in the request is invalid.";

std::string rejection(std::string_view text)
{
    try
    {
        auto const keys = parse_credentials(text);
        ADD_FAILURE() << "accepted " << keys.size() << " credentials";
    }
    catch (std::invalid_argument const& e)
    {
        return e.what();
    }
    return {};
}

} // namespace

// AWS's published vectors.

TEST(sigv4_suite, matches_get_vanilla)
{
    expect_published(
        suite_request(http::verb::get, "/"),
        {"host;x-amz-date",
         "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
         "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
         "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"}
    );
}

TEST(sigv4_suite, matches_get_vanilla_query_order_key_case)
{
    expect_published(
        suite_request(http::verb::get, "/?Param2=value2&Param1=value1"),
        {"host;x-amz-date",
         "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\n"
         "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
         "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
         "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"}
    );
}

TEST(sigv4_suite, matches_get_vanilla_query_order_encoded_sorts_by_encoded_name_then_value)
{
    expect_published(
        suite_request(http::verb::get, "/?Param-3=Value3&Param=Value2&%E1%88%B4=Value1"),
        {"host;x-amz-date",
         "GET\n/\n%E1%88%B4=Value1&Param=Value2&Param-3=Value3\nhost:example.amazonaws.com\n"
         "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
         "868294f5c38bd141c4972a373a76654f1418a8e4fc18b2e7903ae45e8ae0ec71",
         "371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac"}
    );
}

TEST(sigv4_suite, matches_get_vanilla_utf8_query)
{
    expect_published(
        suite_request(http::verb::get, "/?\xe1\x88\xb4=bar"),
        {"host;x-amz-date",
         "GET\n/\n%E1%88%B4=bar\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
         "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
         "eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073",
         "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"}
    );
}

TEST(sigv4_suite, matches_get_unreserved)
{
    expect_published(
        suite_request(
            http::verb::get, "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        ),
        {"host;x-amz-date",
         "GET\n/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n\n"
         "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
         "6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9",
         "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"}
    );
}

TEST(sigv4_suite, matches_get_utf8)
{
    expect_published(
        suite_request(http::verb::get, "/\xe1\x88\xb4"),
        {"host;x-amz-date",
         "GET\n/%E1%88%B4\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
         "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
         "2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102",
         "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"}
    );
}

TEST(sigv4_suite, matches_get_slashes_normalized)
{
    expect_published(
        suite_request(http::verb::get, "//example//"),
        {"host;x-amz-date",
         "GET\n/example/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
         "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
         "cb96b4ac96d501f7c5c15bc6d67b3035061cfced4af6585ad927f7e6c985c015",
         "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"}
    );
}

TEST(sigv4_suite, matches_get_relative_relative_normalized)
{
    expect_published(
        suite_request(http::verb::get, "/example1/example2/../.."),
        {"host;x-amz-date",
         "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
         "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
         "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"}
    );
}

TEST(sigv4_suite, matches_get_header_value_trim)
{
    auto req = suite_request(http::verb::get, "/");
    req.set("My-Header1", "value1");
    req.set("My-Header2", "\"a   b   c\"");
    expect_published(
        std::move(req),
        {"host;my-header1;my-header2;x-amz-date",
         "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\n"
         "x-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\n"
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
         "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
         "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"}
    );
}

TEST(sigv4_suite, matches_get_header_key_duplicate_joins_values_in_order)
{
    auto req = suite_request(http::verb::get, "/");
    req.insert("My-Header1", "value2");
    req.insert("My-Header1", "value2");
    req.insert("My-Header1", "value1");
    expect_published(
        std::move(req),
        {"host;my-header1;x-amz-date",
         "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\n"
         "x-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n"
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
         "dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c",
         "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"}
    );
}

TEST(sigv4_suite, matches_get_header_value_order_keeps_the_order_sent)
{
    auto req = suite_request(http::verb::get, "/");
    req.insert("My-Header1", "value4");
    req.insert("My-Header1", "value1");
    req.insert("My-Header1", "value3");
    req.insert("My-Header1", "value2");
    expect_published(
        std::move(req),
        {"host;my-header1;x-amz-date",
         "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value4,value1,value3,value2\n"
         "x-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n"
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
         "31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86",
         "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"}
    );
}

TEST(sigv4_suite, matches_post_vanilla)
{
    expect_published(
        suite_request(http::verb::post, "/"),
        {"host;x-amz-date",
         "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
         "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
         "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"}
    );
}

TEST(sigv4_suite, matches_post_x_www_form_urlencoded_hashes_the_body)
{
    // aws-c-auth's edition of the case, which also signs Content-Length and the body's hash.
    auto req = suite_request(http::verb::post, "/");
    req.set(http::field::content_type, "application/x-www-form-urlencoded");
    req.set(http::field::content_length, "13");
    req.set(
        "x-amz-content-sha256", "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"
    );
    req.body() = "Param1=value1";
    expect_published(
        std::move(req),
        {"content-length;content-type;host;x-amz-content-sha256;x-amz-date",
         "POST\n/\n\ncontent-length:13\ncontent-type:application/x-www-form-urlencoded\n"
         "host:example.amazonaws.com\n"
         "x-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\n"
         "x-amz-date:20150830T123600Z\n\n"
         "content-length;content-type;host;x-amz-content-sha256;x-amz-date\n"
         "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
         "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
         "b1edd1d03544c25390e32085d55b57acc9a3961bb59415ff86c45c3d89d16cfb",
         "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b"}
    );
}

TEST(sigv4_suite, verify_accepts_the_original_post_x_www_form_urlencoded)
{
    // The 2015 edition signs Content-Type, Host and X-Amz-Date only; the signature is from
    // aws-sdk-js-v3's copy of the suite (packages/signature-v4/src/suite.fixture.ts).
    auto req = suite_request(http::verb::post, "/");
    req.set(http::field::content_type, "application/x-www-form-urlencoded");
    req.body() = "Param1=value1";
    req.set(
        http::field::authorization,
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date, "
        "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"
    );
    credential_set const suite_keys{{key_of(suite_key_id, suite_secret)}};
    EXPECT_EQ(verify(req, suite_keys, suite_time, "service").access_key_id, suite_key_id);
}

TEST(sigv4_suite, sign_writes_the_authorization_header_aws_publishes)
{
    aws_json::request req{http::verb::get, "/", 11};
    req.set(http::field::host, "example.amazonaws.com");
    sign(req, key_of(suite_key_id, suite_secret), "us-east-1", "service", suite_time);
    EXPECT_EQ(std::string_view{req["X-Amz-Date"]}, suite_date);
    EXPECT_EQ(
        std::string_view{req[http::field::authorization]},
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host;x-amz-date, "
        "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    );
}

TEST(sigv4_suite, sign_adds_and_signs_the_session_token)
{
    // get-vanilla-with-session-token
    aws_json::request req{http::verb::get, "/", 11};
    req.set(http::field::host, "example.amazonaws.com");
    auto key = key_of(suite_key_id, suite_secret);
    key.session_token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
    sign(req, key, "us-east-1", "service", suite_time);
    EXPECT_EQ(std::string_view{req["X-Amz-Security-Token"]}, key.session_token);
    EXPECT_EQ(
        std::string_view{req[http::field::authorization]},
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host;x-amz-date;x-amz-security-token, "
        "Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"
    );
}

TEST(sigv4_suite, signing_key_matches_the_documented_derivation)
{
    // AWS General Reference, "Examples of how to derive a signing key for Signature Version 4".
    EXPECT_EQ(
        hex_encode(signing_key(suite_secret, "20120215", "us-east-1", "iam")),
        "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
    );
}

// The pieces beyond the suite.

TEST(sigv4_canonical, encodes_the_path_as_it_came_so_escapes_are_encoded_again)
{
    EXPECT_EQ(canonical_uri("/foo%20bar/"), "/foo%2520bar/");
    EXPECT_EQ(canonical_uri(""), "/");
    EXPECT_EQ(canonical_uri("/./a/../b"), "/b");
}

TEST(sigv4_canonical, decodes_and_reencodes_query_parameters)
{
    EXPECT_EQ(canonical_query_string("b=%e1%88%b4&a"), "a=&b=%E1%88%B4");
    EXPECT_EQ(canonical_query_string("a=1+2&c=%zz"), "a=1%2B2&c=%25zz");
    EXPECT_EQ(canonical_query_string(""), "");
}

TEST(sigv4_canonical, formats_and_parses_the_basic_iso_8601_date)
{
    EXPECT_EQ(amz_date(now), "20261130T101000Z");
    EXPECT_EQ(amz_date(0), "19700101T000000Z");
    EXPECT_EQ(parse_amz_date("20261130T101000Z"), now);
    EXPECT_EQ(parse_amz_date("20240229T000000Z"), 1'709'164'800);
}

TEST(sigv4_canonical, parse_amz_date_rejects_anything_else)
{
    EXPECT_EQ(parse_amz_date("2026-11-30T10:10:00Z"), std::nullopt);
    EXPECT_EQ(parse_amz_date("20261130T101000"), std::nullopt);
    EXPECT_EQ(parse_amz_date("20250229T000000Z"), std::nullopt);
    EXPECT_EQ(parse_amz_date("20261130T246000Z"), std::nullopt);
    EXPECT_EQ(parse_amz_date("Mon, 30 Nov 2026 10:10:00 GMT"), std::nullopt);
}

// verify and authorize on cognito-idp requests.

TEST(sigv4_verify, accepts_a_request_signed_with_a_known_key)
{
    auto const req = signed_by(ci_key());
    auto const& caller = verify(req, known_keys(), now);
    EXPECT_EQ(caller.access_key_id, "AKIACOGNITODCI000001");
    EXPECT_EQ(caller.name, "ci");
}

TEST(sigv4_verify, refuses_an_altered_signature)
{
    auto req = signed_by(ci_key());
    std::string value{req[http::field::authorization]};
    value.back() = value.back() == '0' ? '1' : '0';
    req.set(http::field::authorization, value);
    expect_refusal(req, "InvalidSignatureException", signature_mismatch);
}

TEST(sigv4_verify, refuses_an_altered_body)
{
    auto req = signed_by(ci_key());
    req.body() = R"({"UserPoolId":"us-east-1_example","Username":"mallory"})";
    expect_refusal(req, "InvalidSignatureException", signature_mismatch);
}

TEST(sigv4_verify, refuses_an_altered_signed_header)
{
    auto req = signed_by(ci_key());
    req.set("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminDeleteUser");
    expect_refusal(req, "InvalidSignatureException", signature_mismatch);
}

TEST(sigv4_verify, refuses_a_header_added_to_signed_headers_after_signing)
{
    auto req = signed_by(ci_key());
    rewrite_authorization(req, ";host;", ";host;user-agent;");
    expect_refusal(req, "InvalidSignatureException", signature_mismatch);
}

TEST(sigv4_verify, ignores_a_change_to_an_unsigned_header)
{
    auto req = signed_by(ci_key());
    req.set(http::field::user_agent, "Boto3/1.34");
    EXPECT_EQ(verify(req, known_keys(), now).name, "ci");
}

TEST(sigv4_verify, refuses_a_wrong_secret)
{
    auto key = ci_key();
    key.secret_access_key = "not/the/secret";
    expect_refusal(signed_by(key), "InvalidSignatureException", signature_mismatch);
}

TEST(sigv4_verify, refuses_an_unknown_access_key_id)
{
    auto key = ci_key();
    key.access_key_id = "AKIAUNKNOWN000000000";
    expect_refusal(signed_by(key), "UnrecognizedClientException", invalid_token);
}

TEST(sigv4_verify, refuses_a_request_without_authorization)
{
    expect_refusal(
        admin_get_user(), "MissingAuthenticationTokenException", "Missing Authentication Token"
    );
}

TEST(sigv4_verify, treats_another_scheme_as_no_signature)
{
    auto req = signed_by(ci_key());
    req.set(http::field::authorization, "Bearer eyJraWQiOiJhYmMifQ");
    expect_refusal(req, "MissingAuthenticationTokenException", "Missing Authentication Token");
}

TEST(sigv4_verify, names_a_missing_credential_and_repeats_the_header)
{
    auto req = admin_get_user();
    req.set("X-Amz-Date", "20261130T101000Z");
    req.set(
        http::field::authorization, "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=abc"
    );
    expect_refusal(
        req,
        "IncompleteSignatureException",
        "Authorization header requires 'Credential' parameter. "
        "Authorization=AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=abc"
    );
}

TEST(sigv4_verify, names_a_missing_signature)
{
    auto req = admin_get_user();
    req.set("X-Amz-Date", "20261130T101000Z");
    req.set(
        http::field::authorization,
        "AWS4-HMAC-SHA256 Credential=AKIACOGNITODCI000001/20261130/us-east-1/cognito-idp/"
        "aws4_request, SignedHeaders=host;x-amz-date"
    );
    expect_refusal(
        req,
        "IncompleteSignatureException",
        "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 "
        "Credential=AKIACOGNITODCI000001/20261130/us-east-1/cognito-idp/aws4_request, "
        "SignedHeaders=host;x-amz-date"
    );
}

TEST(sigv4_verify, names_missing_signed_headers)
{
    auto req = signed_by(ci_key());
    rewrite_authorization(
        req, "SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-target, ", ""
    );
    auto const e = refusal(req);
    EXPECT_EQ(e.code(), "IncompleteSignatureException");
    EXPECT_TRUE(std::string_view{e.what()}.starts_with(
        "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 "
        "Credential=AKIACOGNITODCI000001/20261130/us-east-1/cognito-idp/aws4_request, Signature="
    )) << e.what();
}

TEST(sigv4_verify, names_every_missing_part_in_one_message)
{
    auto req = admin_get_user();
    req.set(http::field::authorization, "AWS4-HMAC-SHA256 SignedHeaders=host");
    expect_refusal(
        req,
        "IncompleteSignatureException",
        "Authorization header requires 'Credential' parameter. Authorization header requires "
        "'Signature' parameter. Authorization header requires existence of either a 'X-Amz-Date' "
        "or a 'Date' header. Authorization=AWS4-HMAC-SHA256 SignedHeaders=host"
    );
}

TEST(sigv4_verify, refuses_a_parameter_without_an_equals_sign)
{
    auto req = admin_get_user();
    req.set(http::field::authorization, "AWS4-HMAC-SHA256 Credential, SignedHeaders=host");
    expect_refusal(
        req,
        "IncompleteSignatureException",
        "'Credential' not a valid key=value pair (missing equal-sign) in Authorization header: "
        "'AWS4-HMAC-SHA256 Credential, SignedHeaders=host'"
    );
}

TEST(sigv4_verify, requires_a_date)
{
    auto req = signed_by(ci_key());
    req.erase("X-Amz-Date");
    auto const e = refusal(req);
    EXPECT_EQ(e.code(), "IncompleteSignatureException");
    EXPECT_TRUE(std::string_view{e.what()}.starts_with(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
        "Authorization=AWS4-HMAC-SHA256 Credential=AKIACOGNITODCI000001/"
    )) << e.what();
}

TEST(sigv4_verify, accepts_a_date_header_when_x_amz_date_is_absent)
{
    auto req = admin_get_user();
    req.set(http::field::date, "20261130T101000Z");
    auto const key = ci_key();
    auto const scope = credential_scope("20261130", "us-east-1", "cognito-idp");
    auto const signed_headers = "date;host;x-amz-target";
    auto const to_sign =
        string_to_sign("20261130T101000Z", scope, canonical_request(req, signed_headers));
    auto const signature = hex_encode(hmac_sha256(
        signing_key(key.secret_access_key, "20261130", "us-east-1", "cognito-idp"), to_sign
    ));
    req.set(
        http::field::authorization,
        "AWS4-HMAC-SHA256 Credential=" + key.access_key_id + "/" + scope +
            ", SignedHeaders=" + signed_headers + ", Signature=" + signature
    );
    EXPECT_EQ(verify(req, known_keys(), now).name, "ci");
}

TEST(sigv4_verify, refuses_a_date_not_in_basic_format)
{
    auto req = signed_by(ci_key());
    req.set("X-Amz-Date", "2026-11-30T10:10:00Z");
    expect_refusal(
        req,
        "IncompleteSignatureException",
        "Date must be in ISO-8601 'basic format'. Got '2026-11-30T10:10:00Z'. See "
        "http://en.wikipedia.org/wiki/ISO_8601"
    );
}

TEST(sigv4_verify, refuses_a_request_signed_six_minutes_ago)
{
    expect_refusal(
        signed_by(ci_key(), now - 6 * minute),
        "InvalidSignatureException",
        "Signature expired: 20261130T100400Z is now earlier than 20261130T100500Z "
        "(20261130T101000Z - 5 min.)"
    );
}

TEST(sigv4_verify, refuses_a_request_signed_six_minutes_ahead)
{
    expect_refusal(
        signed_by(ci_key(), now + 6 * minute),
        "InvalidSignatureException",
        "Signature not yet current: 20261130T101600Z is still later than 20261130T101500Z "
        "(20261130T101000Z + 5 min.)"
    );
}

TEST(sigv4_verify, accepts_a_request_signed_four_minutes_ago)
{
    EXPECT_EQ(verify(signed_by(ci_key(), now - 4 * minute), known_keys(), now).name, "ci");
}

TEST(sigv4_verify, accepts_exactly_five_minutes_of_skew_either_way)
{
    EXPECT_EQ(verify(signed_by(ci_key(), now - 5 * minute), known_keys(), now).name, "ci");
    EXPECT_EQ(verify(signed_by(ci_key(), now + 5 * minute), known_keys(), now).name, "ci");
}

TEST(sigv4_verify, requires_host_to_be_signed)
{
    auto req = admin_get_user();
    req.erase(http::field::host);
    sign(req, ci_key(), "us-east-1", "cognito-idp", now);
    req.set(http::field::host, "localhost:9229");
    expect_refusal(
        req,
        "InvalidSignatureException",
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
    );
}

TEST(sigv4_verify, refuses_an_unsupported_algorithm)
{
    auto req = signed_by(ci_key());
    rewrite_authorization(req, "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512");
    expect_refusal(
        req,
        "IncompleteSignatureException",
        "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). "
    );
}

TEST(sigv4_verify, refuses_a_credential_without_five_elements)
{
    auto req = signed_by(ci_key());
    rewrite_authorization(req, "/us-east-1/cognito-idp/", "/cognito-idp/");
    expect_refusal(
        req,
        "IncompleteSignatureException",
        "Credential must have exactly 5 slash-delimited elements, e.g. "
        "keyid/date/region/service/term, got "
        "'AKIACOGNITODCI000001/20261130/cognito-idp/aws4_request'"
    );
}

TEST(sigv4_verify, refuses_a_scope_for_another_service)
{
    auto req = admin_get_user();
    sign(req, ci_key(), "us-east-1", "cognito-identity", now);
    expect_refusal(
        req,
        "InvalidSignatureException",
        "Credential should be scoped to correct service: 'cognito-idp'. "
    );
}

TEST(sigv4_verify, refuses_a_scope_with_another_terminator)
{
    auto req = signed_by(ci_key());
    rewrite_authorization(req, "/aws4_request,", "/xyz,");
    expect_refusal(
        req,
        "InvalidSignatureException",
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'xyz'. "
    );
}

TEST(sigv4_verify, refuses_a_scope_date_other_than_the_request_date)
{
    auto req = signed_by(ci_key(), now + 10);
    rewrite_authorization(req, "/20261130/", "/20261129/");
    expect_refusal(
        req,
        "InvalidSignatureException",
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
        "HTTP: '20261129' != '20261130', from '20261130T101010Z'."
    );
}

TEST(sigv4_verify, lists_every_wrong_part_of_the_scope_in_one_message)
{
    auto req = signed_by(ci_key());
    rewrite_authorization(req, "/20261130/us-east-1/cognito-idp/aws4_request", "/b//d/e");
    expect_refusal(
        req,
        "InvalidSignatureException",
        "Credential should be scoped to a valid region, not ''. Credential should be scoped to "
        "correct service: 'cognito-idp'. Credential should be scoped with a valid terminator: "
        "'aws4_request', not 'e'. Date in Credential scope does not match YYYYMMDD from "
        "ISO-8601 version of date from HTTP: 'b' != '20261130', from '20261130T101000Z'."
    );
}

TEST(sigv4_verify, accepts_any_region)
{
    auto req = admin_get_user();
    sign(req, ci_key(), "ap-southeast-2", "cognito-idp", now);
    EXPECT_EQ(verify(req, known_keys(), now).name, "ci");
}

TEST(sigv4_verify, accepts_a_temporary_credential_with_its_session_token)
{
    EXPECT_EQ(
        verify(signed_by(temporary_key()), known_keys(), now).access_key_id, "ASIACOGNITODTEMP0001"
    );
}

TEST(sigv4_verify, refuses_a_temporary_credential_without_its_session_token)
{
    auto key = temporary_key();
    key.session_token.clear();
    expect_refusal(signed_by(key), "UnrecognizedClientException", invalid_token);
}

TEST(sigv4_verify, refuses_a_wrong_session_token)
{
    auto key = temporary_key();
    key.session_token = "FwoGZXIvYXdzEBYaDSomeoneElse==";
    expect_refusal(signed_by(key), "UnrecognizedClientException", invalid_token);
}

TEST(sigv4_verify, refuses_a_session_token_the_credential_does_not_have)
{
    auto key = ci_key();
    key.session_token = "FwoGZXIvYXdzEBYaDTemporaryToken==";
    expect_refusal(signed_by(key), "UnrecognizedClientException", invalid_token);
}

TEST(sigv4_authorize, allows_every_operation_without_a_list)
{
    EXPECT_NO_THROW(authorize(ci_key(), "AdminDeleteUser", "123456789012", "*"));
}

TEST(sigv4_authorize, allows_a_listed_operation)
{
    auto key = ci_key();
    key.allowed_operations = {{"AdminGetDevice", "AdminListDevices"}};
    EXPECT_NO_THROW(authorize(key, "AdminListDevices", "123456789012", "*"));
}

TEST(sigv4_authorize, refuses_an_unlisted_operation_with_access_denied)
{
    auto key = ci_key();
    key.allowed_operations = {{"AdminGetDevice", "AdminListDevices"}};
    try
    {
        authorize(
            key,
            "AdminDeleteUser",
            "123456789012",
            "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_example"
        );
        ADD_FAILURE() << "authorized";
    }
    catch (aws_error const& e)
    {
        EXPECT_EQ(e.code(), "AccessDeniedException");
        EXPECT_EQ(e.status(), 400U);
        EXPECT_EQ(
            std::string_view{e.what()},
            "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: "
            "cognito-idp:AdminDeleteUser on resource: "
            "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_example because no "
            "identity-based policy allows the cognito-idp:AdminDeleteUser action"
        );
    }
}

TEST(sigv4_authorize, names_the_key_id_when_the_credential_has_no_name)
{
    auto key = key_of("AKIANONAME0000000000", "secret");
    key.allowed_operations.emplace();
    try
    {
        authorize(key, "ListUserPools", "123456789012", "*");
        ADD_FAILURE() << "authorized";
    }
    catch (aws_error const& e)
    {
        EXPECT_TRUE(std::string_view{e.what()}.starts_with(
            "User: arn:aws:iam::123456789012:user/AKIANONAME0000000000 is not authorized to "
            "perform: cognito-idp:ListUserPools on resource: * because"
        )) << e.what();
    }
}

// parse_credentials

TEST(sigv4_credentials, reads_the_json_form_with_every_member)
{
    auto const keys = parse_credentials(R"({"Credentials":[{"AccessKeyId":"AKIAJSON000000000001",
        "SecretAccessKey":"json/secret","SessionToken":"token==",
        "AllowedOperations":["AdminGetDevice","AdminListDevices"],"Name":"ci"}]})");
    ASSERT_EQ(keys.size(), 1U);
    auto const* key = keys.find("AKIAJSON000000000001");
    ASSERT_NE(key, nullptr);
    EXPECT_EQ(key->secret_access_key, "json/secret");
    EXPECT_EQ(key->session_token, "token==");
    EXPECT_EQ(
        key->allowed_operations, (std::vector<std::string>{"AdminGetDevice", "AdminListDevices"})
    );
    EXPECT_EQ(key->name, "ci");
}

TEST(sigv4_credentials, reads_the_json_form_with_only_the_required_members)
{
    auto const keys = parse_credentials(
        R"( {"Credentials":[{"AccessKeyId":"AKIA1","SecretAccessKey":"s1"},
                            {"AccessKeyId":"AKIA2","SecretAccessKey":"s2"}]} )"
    );
    ASSERT_EQ(keys.size(), 2U);
    auto const* key = keys.find("AKIA2");
    ASSERT_NE(key, nullptr);
    EXPECT_EQ(key->session_token, "");
    EXPECT_EQ(key->allowed_operations, std::nullopt);
    EXPECT_EQ(key->name, "AKIA2");
    EXPECT_EQ(keys.find("AKIA3"), nullptr);
}

TEST(sigv4_credentials, reads_a_short_form_entry_without_a_session_token)
{
    auto const keys = parse_credentials("AKIASHORT:short/secret+key=");
    auto const* key = keys.find("AKIASHORT");
    ASSERT_NE(key, nullptr);
    EXPECT_EQ(key->secret_access_key, "short/secret+key=");
    EXPECT_EQ(key->session_token, "");
    EXPECT_EQ(key->allowed_operations, std::nullopt);
    EXPECT_EQ(key->name, "AKIASHORT");
}

TEST(sigv4_credentials, reads_a_short_form_entry_with_a_session_token)
{
    auto const keys = parse_credentials("ASIATEMP:temp/secret:FwoGZXIvYXdzEBYaD/token==");
    auto const* key = keys.find("ASIATEMP");
    ASSERT_NE(key, nullptr);
    EXPECT_EQ(key->secret_access_key, "temp/secret");
    EXPECT_EQ(key->session_token, "FwoGZXIvYXdzEBYaD/token==");
}

TEST(sigv4_credentials, reads_several_short_form_entries_across_commas_and_lines)
{
    auto const keys = parse_credentials("AKIA1:s1, AKIA2:s2:t2\r\nAKIA3:s3\n\n");
    EXPECT_EQ(keys.size(), 3U);
    ASSERT_NE(keys.find("AKIA2"), nullptr);
    EXPECT_EQ(keys.find("AKIA2")->session_token, "t2");
    ASSERT_NE(keys.find("AKIA3"), nullptr);
    EXPECT_EQ(keys.find("AKIA3")->secret_access_key, "s3");
}

TEST(sigv4_credentials, rejects_nothing_at_all)
{
    EXPECT_EQ(rejection(" \n"), "credentials: none given");
}

TEST(sigv4_credentials, rejects_invalid_json_without_quoting_it)
{
    auto const message = rejection(R"({"Credentials":[{"SecretAccessKey":"hunter2" "x"}]})");
    EXPECT_EQ(message, "credentials: not valid JSON (error at byte 48)");
}

TEST(sigv4_credentials, rejects_an_unknown_top_level_member)
{
    EXPECT_EQ(
        rejection(R"({"Credentials":[],"Region":"us-east-1"})"),
        "credentials: unknown member 'Region'"
    );
}

TEST(sigv4_credentials, rejects_a_missing_or_empty_credentials_list)
{
    EXPECT_EQ(rejection("{}"), "credentials: missing Credentials");
    EXPECT_EQ(
        rejection(R"({"Credentials":[]})"), "credentials: Credentials must be a non-empty array"
    );
}

TEST(sigv4_credentials, rejects_an_unknown_credential_member)
{
    EXPECT_EQ(
        rejection(R"({"Credentials":[{"AccessKeyId":"A","SecretAccessKey":"s","Role":"x"}]})"),
        "credentials: Credentials[0]: unknown member 'Role'"
    );
}

TEST(sigv4_credentials, rejects_a_missing_key_id_or_secret)
{
    EXPECT_EQ(
        rejection(R"({"Credentials":[{"SecretAccessKey":"s"}]})"),
        "credentials: Credentials[0]: missing AccessKeyId"
    );
    EXPECT_EQ(
        rejection(R"({"Credentials":[{"AccessKeyId":"A","SecretAccessKey":"s"},
                                     {"AccessKeyId":"B"}]})"),
        "credentials: Credentials[1]: missing SecretAccessKey"
    );
}

TEST(sigv4_credentials, rejects_an_empty_secret)
{
    EXPECT_EQ(
        rejection(R"({"Credentials":[{"AccessKeyId":"A","SecretAccessKey":""}]})"),
        "credentials: Credentials[0]: SecretAccessKey must be a non-empty string"
    );
}

TEST(sigv4_credentials, rejects_allowed_operations_that_are_not_names)
{
    EXPECT_EQ(
        rejection(R"({"Credentials":[{"AccessKeyId":"A","SecretAccessKey":"s",
                                      "AllowedOperations":"AdminGetDevice"}]})"),
        "credentials: Credentials[0]: AllowedOperations must be an array of operation names"
    );
    EXPECT_EQ(
        rejection(R"({"Credentials":[{"AccessKeyId":"A","SecretAccessKey":"s",
                                      "AllowedOperations":["AdminGetDevice",7]}]})"),
        "credentials: Credentials[0]: AllowedOperations must be an array of operation names"
    );
}

TEST(sigv4_credentials, rejects_a_duplicate_key_id)
{
    EXPECT_EQ(
        rejection(R"({"Credentials":[{"AccessKeyId":"A","SecretAccessKey":"s"},
                                     {"AccessKeyId":"A","SecretAccessKey":"t"}]})"),
        "credentials: AccessKeyId 'A' is given twice"
    );
    EXPECT_EQ(rejection("A:s,A:t"), "credentials: AccessKeyId 'A' is given twice");
}

TEST(sigv4_credentials, rejects_a_key_id_no_authorization_header_can_carry)
{
    EXPECT_EQ(
        rejection(R"({"Credentials":[{"AccessKeyId":"AKIA/1","SecretAccessKey":"s"}]})"),
        "credentials: AccessKeyId 'AKIA/1' has '/', ',' or whitespace, which no signature can "
        "carry"
    );
}

TEST(sigv4_credentials, rejects_a_short_entry_without_a_secret_by_number)
{
    EXPECT_EQ(
        rejection("AKIA1:s1\nAKIA2"), "credentials: entry 2 is not AKID:SECRET[:SESSION_TOKEN]"
    );
}

TEST(sigv4_credentials, rejects_a_short_entry_with_too_many_fields)
{
    EXPECT_EQ(rejection("AKIA1:s:t:u"), "credentials: entry 1 is not AKID:SECRET[:SESSION_TOKEN]");
}

TEST(sigv4_credentials, rejects_an_empty_field_in_the_short_form)
{
    EXPECT_EQ(rejection(":secret"), "credentials: entry 1 has an empty access key id");
    EXPECT_EQ(rejection("AKIA1:"), "credentials: entry 1 ('AKIA1') has an empty secret");
    EXPECT_EQ(rejection("AKIA1:s:"), "credentials: entry 1 ('AKIA1') has an empty session token");
}
