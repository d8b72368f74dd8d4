#include "server/auth/jwt.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace
{

using namespace cognitod::auth;
using nlohmann::json;
using nlohmann::ordered_json;

// Key generation takes a moment; each key is made once per test binary and never changes.
rsa_key const& signing_key()
{
    static rsa_key const key = rsa_key::generate();
    return key;
}

rsa_key const& other_key()
{
    static rsa_key const key = rsa_key::generate();
    return key;
}

// The three dot-separated parts of a compact JWS.
std::vector<std::string> segments(std::string const& token)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t dot = token.find('.'); dot != std::string::npos; dot = token.find('.', start))
    {
        parts.push_back(token.substr(start, dot - start));
        start = dot + 1;
    }
    parts.push_back(token.substr(start));
    return parts;
}

// The decoded bytes of a base64url segment; a test failure and "" when it does not decode.
std::string raw(std::string const& segment)
{
    auto const bytes = base64url_decode(segment);
    if (!bytes)
    {
        ADD_FAILURE() << "not base64url: " << segment;
        return {};
    }
    return *bytes;
}

std::string escape_slashes(std::string const& text)
{
    std::string out;
    for (char c : text)
    {
        if (c == '/')
        {
            out += '\\';
        }
        out += c;
    }
    return out;
}

struct pkey_deleter
{
    void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_deleter>;

// The key read back with OpenSSL alone, from the PEM the class writes.
pkey_ptr openssl_key(rsa_key const& key)
{
    auto const pem = key.private_pem();
    std::unique_ptr<BIO, decltype(&BIO_free)> bio{
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free};
    pkey_ptr parsed{PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)};
    if (!parsed)
    {
        throw std::runtime_error("OpenSSL cannot read the PEM");
    }
    return parsed;
}

// base64(SHA-256(DER SubjectPublicKeyInfo)), computed here without the class.
std::string expected_kid(rsa_key const& key)
{
    auto const pkey = openssl_key(key);
    unsigned char* der = nullptr;
    int const size = i2d_PUBKEY(pkey.get(), &der);
    std::array<unsigned char, 32> digest{};
    unsigned int digest_size = 0;
    EVP_Digest(
        der, static_cast<std::size_t>(size), digest.data(), &digest_size, EVP_sha256(), nullptr
    );
    OPENSSL_free(der);
    std::array<char, 45> text{};
    EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()), digest.data(), 32);
    return {text.data(), 44};
}

std::string modulus_bytes(rsa_key const& key)
{
    auto const pkey = openssl_key(key);
    BIGNUM* n = nullptr;
    EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_RSA_N, &n);
    std::string bytes(static_cast<std::size_t>(BN_num_bytes(n)), '\0');
    BN_bn2bin(n, reinterpret_cast<unsigned char*>(bytes.data()));
    BN_free(n);
    return bytes;
}

std::vector<std::string> names_of(ordered_json const& object)
{
    std::vector<std::string> names;
    for (auto const& [name, value] : object.items())
    {
        names.push_back(name);
    }
    return names;
}

// Claims with placeholder values, in the given insertion order.
std::vector<std::pair<std::string, json>> claims(std::vector<std::string> const& names)
{
    std::vector<std::pair<std::string, json>> out;
    for (auto const& name : names)
    {
        out.emplace_back(name, "v-" + name);
    }
    return out;
}

std::vector<std::string> const access_token_order{
    "sub",
    "iss",
    "client_id",
    "origin_jti",
    "event_id",
    "token_use",
    "scope",
    "auth_time",
    "exp",
    "iat",
    "jti",
    "username",
};

} // namespace

// encode_jwt / decode_jwt

TEST(encode_jwt, round_trips_through_decode_jwt)
{
    ordered_json const payload{{"sub", "abc"}, {"auth_time", 1715100742}, {"email_verified", true}};
    auto const token = encode_jwt(signing_key(), payload);
    auto const decoded = decode_jwt(token);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->payload, json(payload));
    EXPECT_EQ(decoded->header, (json{{"kid", signing_key().kid()}, {"alg", "RS256"}}));
    auto const parts = segments(token);
    EXPECT_EQ(decoded->signing_input, parts[0] + "." + parts[1]);
    EXPECT_EQ(decoded->signature, raw(parts[2]));
}

TEST(encode_jwt, makes_a_signature_the_key_verifies)
{
    auto const token = encode_jwt(signing_key(), {{"sub", "abc"}});
    auto const decoded = decode_jwt(token);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->signature.size(), 256U); // RSA-2048
    EXPECT_TRUE(signing_key().verify(decoded->signing_input, decoded->signature));
}

TEST(encode_jwt, writes_the_header_as_exactly_kid_then_alg_with_slashes_escaped)
{
    auto const token = encode_jwt(signing_key(), {{"sub", "abc"}});
    std::string const expected =
        R"({"kid":")" + escape_slashes(signing_key().kid()) + R"(","alg":"RS256"})";
    EXPECT_EQ(raw(segments(token)[0]), expected);
}

TEST(encode_jwt, writes_compact_json_in_the_given_order_with_slashes_escaped)
{
    ordered_json const payload{
        {"sub", "abc"},
        {"iss", "https://cognito-idp.test/us-east-1_AbC"},
        {"exp", 3600},
    };
    auto const token = encode_jwt(signing_key(), payload);
    EXPECT_EQ(
        raw(segments(token)[1]),
        R"({"sub":"abc","iss":"https:\/\/cognito-idp.test\/us-east-1_AbC","exp":3600})"
    );
}

TEST(encode_jwt, leaves_non_ascii_text_as_utf8)
{
    auto const token = encode_jwt(signing_key(), {{"name", "Zoë"}});
    EXPECT_EQ(raw(segments(token)[1]), "{\"name\":\"Zo\xC3\xAB\"}");
}

TEST(encode_jwt, uses_base64url_without_padding_in_every_segment)
{
    auto const token = encode_jwt(signing_key(), {{"sub", "a"}});
    EXPECT_EQ(segments(token).size(), 3U);
    EXPECT_EQ(token.find_first_of("+/="), std::string::npos);
}

TEST(rsa_key, signs_from_any_thread_once_prepared)
{
    auto const key = rsa_key::generate();
    key.prepare();
    std::vector<std::string> signatures(3);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < signatures.size(); ++i)
    {
        threads.emplace_back([&, i] { signatures[i] = key.sign("payload " + std::to_string(i)); });
    }
    for (auto& t : threads)
    {
        t.join();
    }
    for (std::size_t i = 0; i < signatures.size(); ++i)
    {
        EXPECT_TRUE(key.verify("payload " + std::to_string(i), signatures[i])) << i;
        EXPECT_FALSE(key.verify("payload " + std::to_string(i + 1), signatures[i])) << i;
    }
    // RSASSA-PKCS1-v1_5 is deterministic: blinding changes how a signature is computed, not what.
    EXPECT_EQ(key.sign("payload 0"), signatures[0]);
}

TEST(rsa_key, verify_rejects_a_changed_payload)
{
    auto const token = encode_jwt(signing_key(), {{"sub", "alice"}});
    auto const forged = encode_jwt(signing_key(), {{"sub", "mallory"}});
    auto const parts = segments(token);
    auto const signature = raw(parts[2]);
    ASSERT_TRUE(signing_key().verify(parts[0] + "." + parts[1], signature));
    EXPECT_FALSE(signing_key().verify(parts[0] + "." + segments(forged)[1], signature));
}

TEST(rsa_key, verify_rejects_another_keys_signature)
{
    auto const token = encode_jwt(other_key(), {{"sub", "alice"}});
    auto const decoded = decode_jwt(token);
    ASSERT_TRUE(decoded);
    ASSERT_TRUE(other_key().verify(decoded->signing_input, decoded->signature));
    EXPECT_FALSE(signing_key().verify(decoded->signing_input, decoded->signature));
}

TEST(rsa_key, verify_rejects_a_truncated_signature)
{
    auto const signature = signing_key().sign("data");
    EXPECT_FALSE(signing_key().verify("data", signature.substr(0, 255)));
    EXPECT_FALSE(signing_key().verify("data", ""));
}

TEST(decode_jwt, verifies_nothing)
{
    auto const token = encode_jwt(signing_key(), {{"sub", "alice"}});
    auto const forged = encode_jwt(signing_key(), {{"sub", "mallory"}});
    auto const parts = segments(token);
    auto const decoded = decode_jwt(parts[0] + "." + segments(forged)[1] + "." + parts[2]);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->payload.at("sub"), "mallory");
}

TEST(decode_jwt, rejects_anything_but_three_segments)
{
    auto const token = encode_jwt(signing_key(), {{"sub", "alice"}});
    auto const parts = segments(token);
    EXPECT_FALSE(decode_jwt(parts[0] + "." + parts[1]));
    EXPECT_FALSE(decode_jwt(token + "." + parts[2]));
    EXPECT_FALSE(decode_jwt(""));
    // A refresh token is a five-part JWE.
    EXPECT_FALSE(decode_jwt("eyJjdHkiOiJKV1QifQ.AAAA.AAAA.AAAA.AAAA"));
}

TEST(decode_jwt, rejects_segments_that_are_not_base64url)
{
    auto const parts = segments(encode_jwt(signing_key(), {{"sub", "alice"}}));
    EXPECT_FALSE(decode_jwt(parts[0] + "." + parts[1] + "=." + parts[2]));
    EXPECT_FALSE(decode_jwt(parts[0] + ".a+b/." + parts[2]));
}

TEST(decode_jwt, rejects_a_header_or_payload_that_is_not_a_json_object)
{
    auto const parts = segments(encode_jwt(signing_key(), {{"sub", "alice"}}));
    auto const array = base64url_encode("[1,2]");
    auto const garbage = base64url_encode("{not json");
    EXPECT_FALSE(decode_jwt(parts[0] + "." + array + "." + parts[2]));
    EXPECT_FALSE(decode_jwt(array + "." + parts[1] + "." + parts[2]));
    EXPECT_FALSE(decode_jwt(parts[0] + "." + garbage + "." + parts[2]));
}

// A token is read before its signature is checked, so its JSON is bounded as a body is.
TEST(decode_jwt, rejects_a_payload_nested_deeper_than_a_request_may_be)
{
    auto const parts = segments(encode_jwt(signing_key(), {{"sub", "alice"}}));
    auto const nested = [](std::size_t depth)
    { return R"({"sub":)" + std::string(depth, '[') + std::string(depth, ']') + "}"; };
    EXPECT_TRUE(decode_jwt(parts[0] + "." + base64url_encode(nested(99)) + "." + parts[2]));
    EXPECT_FALSE(decode_jwt(parts[0] + "." + base64url_encode(nested(100)) + "." + parts[2]));
    EXPECT_FALSE(decode_jwt(base64url_encode(nested(60'000)) + "." + parts[1] + "." + parts[2]));
}

// Keys

TEST(rsa_key, kid_is_base64_of_the_sha256_of_the_der_public_key)
{
    EXPECT_EQ(signing_key().kid(), expected_kid(signing_key()));
    EXPECT_EQ(other_key().kid(), expected_kid(other_key()));
}

TEST(rsa_key, kid_is_44_characters_of_padded_standard_base64)
{
    auto const& kid = signing_key().kid();
    ASSERT_EQ(kid.size(), 44U);
    EXPECT_EQ(kid.back(), '=');
    EXPECT_EQ(
        kid.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
        std::string::npos
    );
}

TEST(rsa_key, two_generated_keys_differ)
{
    EXPECT_NE(signing_key().kid(), other_key().kid());
    EXPECT_NE(signing_key().private_pem(), other_key().private_pem());
}

TEST(rsa_key, jwk_has_alg_e_kid_kty_n_use_in_that_order)
{
    auto const jwk = signing_key().jwk();
    EXPECT_EQ(names_of(jwk), (std::vector<std::string>{"alg", "e", "kid", "kty", "n", "use"}));
    EXPECT_EQ(jwk.at("alg"), "RS256");
    EXPECT_EQ(jwk.at("kty"), "RSA");
    EXPECT_EQ(jwk.at("use"), "sig");
    EXPECT_EQ(jwk.at("kid"), signing_key().kid());
}

TEST(rsa_key, jwk_exponent_is_65537)
{
    EXPECT_EQ(signing_key().jwk().at("e"), "AQAB");
}

TEST(rsa_key, jwk_modulus_is_the_keys_2048_bit_n_in_base64url)
{
    auto const n = signing_key().jwk().at("n").get<std::string>();
    EXPECT_EQ(n.size(), 342U);
    EXPECT_EQ(raw(n), modulus_bytes(signing_key()));
    EXPECT_EQ(raw(n).size(), 256U);
}

TEST(rsa_key, from_pem_of_private_pem_gives_the_same_kid)
{
    auto const copy = rsa_key::from_pem(signing_key().private_pem());
    EXPECT_EQ(copy.kid(), signing_key().kid());
    EXPECT_EQ(copy.jwk(), signing_key().jwk());
}

TEST(rsa_key, a_key_read_from_pem_verifies_the_originals_signatures)
{
    auto const copy = rsa_key::from_pem(signing_key().private_pem());
    auto const decoded = decode_jwt(encode_jwt(signing_key(), {{"sub", "alice"}}));
    ASSERT_TRUE(decoded);
    EXPECT_TRUE(copy.verify(decoded->signing_input, decoded->signature));
}

TEST(rsa_key, from_pem_rejects_text_that_is_not_a_pem_key)
{
    EXPECT_THROW(rsa_key::from_pem("not a key"), std::runtime_error);
    EXPECT_THROW(rsa_key::from_pem(""), std::runtime_error);
}

TEST(rsa_key, from_pem_rejects_a_key_that_is_not_rsa)
{
    pkey_ptr ec{EVP_EC_gen("P-256")};
    ASSERT_TRUE(ec);
    std::unique_ptr<BIO, decltype(&BIO_free)> bio{BIO_new(BIO_s_mem()), &BIO_free};
    ASSERT_EQ(
        PEM_write_bio_PrivateKey(bio.get(), ec.get(), nullptr, nullptr, 0, nullptr, nullptr), 1
    );
    char* data = nullptr;
    long const size = BIO_get_mem_data(bio.get(), &data);
    std::string const pem{data, static_cast<std::size_t>(size)};
    EXPECT_THROW(rsa_key::from_pem(pem), std::runtime_error);
}

// base64url

TEST(base64url, encodes_the_rfc_4648_vectors_without_padding)
{
    EXPECT_EQ(base64url_encode(""), "");
    EXPECT_EQ(base64url_encode("f"), "Zg");
    EXPECT_EQ(base64url_encode("fo"), "Zm8");
    EXPECT_EQ(base64url_encode("foo"), "Zm9v");
    EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
    EXPECT_EQ(base64url_encode("fooba"), "Zm9vYmE");
    EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
}

TEST(base64url, encodes_62_and_63_as_minus_and_underscore)
{
    EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
    EXPECT_EQ(base64url_encode("\xff\xff\xff"), "____");
    EXPECT_EQ(base64url_encode("\xfb\xef\xbe"), "----");
}

TEST(base64url, decodes_what_it_encodes)
{
    std::string all;
    for (int i = 0; i < 256; ++i)
    {
        all.push_back(static_cast<char>(i));
    }
    for (std::size_t n = 0; n <= 5; ++n)
    {
        auto const bytes = all.substr(256 - n) + all;
        EXPECT_EQ(base64url_decode(base64url_encode(bytes)), bytes) << n;
    }
}

TEST(base64url, decodes_unpadded_text_of_every_valid_length)
{
    EXPECT_EQ(base64url_decode(""), std::string{});
    EXPECT_EQ(base64url_decode("Zg"), "f");
    EXPECT_EQ(base64url_decode("Zm8"), "fo");
    EXPECT_EQ(base64url_decode("Zm9v"), "foo");
    EXPECT_EQ(base64url_decode("-_8"), "\xfb\xff");
}

TEST(base64url, decode_keeps_zero_bytes)
{
    EXPECT_EQ(base64url_decode("AAAA"), std::string(3, '\0'));
    EXPECT_EQ(base64url_decode("AA"), std::string(1, '\0'));
}

TEST(base64url, decode_rejects_the_standard_alphabet_and_padding)
{
    EXPECT_FALSE(base64url_decode("+_8"));
    EXPECT_FALSE(base64url_decode("-/8"));
    EXPECT_FALSE(base64url_decode("Zg=="));
}

TEST(base64url, decode_rejects_a_length_that_no_encoding_has)
{
    EXPECT_FALSE(base64url_decode("Z"));
    EXPECT_FALSE(base64url_decode("Zm9vY"));
}

TEST(base64url, decode_rejects_characters_outside_the_alphabet)
{
    EXPECT_FALSE(base64url_decode("Zm 9"));
    EXPECT_FALSE(base64url_decode("Zm9v.g"));
    EXPECT_FALSE(base64url_decode(std::string{"Zm\0v", 4}));
}

// Claim order

TEST(java_hash_order, reproduces_the_access_token_claim_order_of_a_real_cognito_token)
{
    // Reversed, but scope before auth_time: those two share a bucket and keep insertion order.
    auto const out = java_hash_order(claims({
        "username",
        "jti",
        "iat",
        "exp",
        "scope",
        "auth_time",
        "token_use",
        "event_id",
        "origin_jti",
        "client_id",
        "iss",
        "sub",
    }));
    EXPECT_EQ(names_of(out), access_token_order);
}

TEST(java_hash_order, puts_device_key_second_in_an_access_token)
{
    auto input = claims(access_token_order);
    input.emplace_back("device_key", "us-east-1_k");
    std::vector<std::string> expected = access_token_order;
    expected.insert(expected.begin() + 1, "device_key");
    EXPECT_EQ(names_of(java_hash_order(input)), expected);
}

TEST(java_hash_order, puts_groups_after_device_key_in_an_access_token)
{
    auto input = claims(access_token_order);
    input.emplace_back("cognito:groups", json::array({"admins"}));
    input.emplace_back("device_key", "us-east-1_k");
    std::vector<std::string> expected = access_token_order;
    expected.insert(expected.begin() + 1, {"device_key", "cognito:groups"});
    EXPECT_EQ(names_of(java_hash_order(input)), expected);
}

TEST(java_hash_order, reproduces_the_id_token_claim_order_of_a_real_cognito_token)
{
    // Alphabetical, but jti before email: those two share a bucket.
    auto const out = java_hash_order(claims({
        "aud",
        "auth_time",
        "cognito:username",
        "email_verified",
        "event_id",
        "exp",
        "iat",
        "iss",
        "jti",
        "email",
        "name",
        "origin_jti",
        "phone_number",
        "phone_number_verified",
        "sub",
        "token_use",
    }));
    EXPECT_EQ(
        names_of(out),
        (std::vector<std::string>{
            "sub",
            "email_verified",
            "iss",
            "phone_number_verified",
            "cognito:username",
            "origin_jti",
            "aud",
            "event_id",
            "token_use",
            "auth_time",
            "name",
            "phone_number",
            "exp",
            "iat",
            "jti",
            "email",
        })
    );
}

TEST(java_hash_order, claims_sharing_a_bucket_keep_their_insertion_order)
{
    EXPECT_EQ(
        names_of(java_hash_order(claims({"auth_time", "scope"}))),
        (std::vector<std::string>{"auth_time", "scope"})
    );
    EXPECT_EQ(
        names_of(java_hash_order(claims({"scope", "auth_time"}))),
        (std::vector<std::string>{"scope", "auth_time"})
    );
}

TEST(java_hash_order, uses_a_16_bucket_table_for_11_claims)
{
    // tableSizeFor(11 / 0.75 + 1) = 16, so the order differs from the 12-claim token's.
    std::vector<std::string> const eleven(access_token_order.begin(), access_token_order.end() - 1);
    EXPECT_EQ(
        names_of(java_hash_order(claims(eleven))),
        (std::vector<std::string>{
            "origin_jti",
            "sub",
            "event_id",
            "token_use",
            "scope",
            "auth_time",
            "iss",
            "exp",
            "iat",
            "client_id",
            "jti",
        })
    );
}

TEST(java_hash_order, keeps_every_value_with_its_name)
{
    auto const out = java_hash_order({{"exp", 42}, {"sub", "abc"}, {"email_verified", true}});
    EXPECT_EQ(out.size(), 3U);
    EXPECT_EQ(out.at("exp"), 42);
    EXPECT_EQ(out.at("sub"), "abc");
    EXPECT_EQ(out.at("email_verified"), true);
}

TEST(java_hash_order, makes_an_empty_object_of_no_claims)
{
    auto const out = java_hash_order({});
    EXPECT_TRUE(out.is_object());
    EXPECT_TRUE(out.empty());
}
