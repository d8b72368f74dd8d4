#include "server/auth/jwt.hpp"

#include "server/auth/encoding.hpp"
#include "server/json_read.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <exception>
#include <stdexcept>
#include <thread>

namespace cognitod::auth
{

namespace
{

struct bio_deleter
{
    void operator()(BIO* bio) const noexcept { BIO_free(bio); }
};
struct md_ctx_deleter
{
    void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
struct pkey_ctx_deleter
{
    void operator()(EVP_PKEY_CTX* ctx) const noexcept { EVP_PKEY_CTX_free(ctx); }
};
struct bn_deleter
{
    void operator()(BIGNUM* n) const noexcept { BN_free(n); }
};

std::string bignum_param(EVP_PKEY const* key, char const* name)
{
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &raw) != 1)
    {
        throw std::runtime_error("RSA key lacks a parameter");
    }
    std::unique_ptr<BIGNUM, bn_deleter> n{raw};
    std::string bytes(static_cast<std::size_t>(BN_num_bytes(n.get())), '\0');
    BN_bn2bin(n.get(), reinterpret_cast<unsigned char*>(bytes.data()));
    return bytes;
}

std::string derive_kid(EVP_PKEY* key)
{
    int const size = i2d_PUBKEY(key, nullptr);
    if (size <= 0)
    {
        throw std::runtime_error("cannot encode the public key");
    }
    std::string der(static_cast<std::size_t>(size), '\0');
    auto* out = reinterpret_cast<unsigned char*>(der.data());
    i2d_PUBKEY(key, &out);
    return base64_encode(sha256(der));
}

// Java's String.hashCode for ASCII names (claim names are ASCII), then HashMap's spread.
std::uint32_t java_hash(std::string_view name)
{
    std::uint32_t h = 0;
    for (unsigned char c : name)
    {
        h = 31 * h + c;
    }
    return h ^ (h >> 16U);
}

} // namespace

void rsa_key::deleter::operator()(evp_pkey_st* key) const noexcept
{
    EVP_PKEY_free(key);
}

rsa_key::rsa_key(evp_pkey_st* key) : key_(key, deleter{}), kid_(derive_kid(key)) {}

rsa_key rsa_key::generate(std::atomic<bool> const* cancel)
{
    std::unique_ptr<EVP_PKEY_CTX, pkey_ctx_deleter> ctx{
        EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr)};
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), 2048) != 1)
    {
        throw std::runtime_error("RSA key generation failed");
    }
    if (cancel != nullptr)
    {
        // OpenSSL calls back as it searches for primes, every few milliseconds; 0 stops it.
        EVP_PKEY_CTX_set_app_data(ctx.get(), const_cast<std::atomic<bool>*>(cancel));
        EVP_PKEY_CTX_set_cb(
            ctx.get(),
            [](EVP_PKEY_CTX* c) -> int
            {
                auto const* stop =
                    static_cast<std::atomic<bool> const*>(EVP_PKEY_CTX_get_app_data(c));
                return stop->load(std::memory_order_relaxed) ? 0 : 1;
            }
        );
    }
    EVP_PKEY* key = nullptr;
    if (EVP_PKEY_generate(ctx.get(), &key) != 1 || key == nullptr)
    {
        if (cancel != nullptr && cancel->load())
        {
            throw generation_cancelled("RSA key generation cancelled");
        }
        throw std::runtime_error("RSA key generation failed");
    }
    return rsa_key{key};
}

rsa_key rsa_key::from_pem(std::string_view private_pem)
{
    std::unique_ptr<BIO, bio_deleter> bio{
        BIO_new_mem_buf(private_pem.data(), static_cast<int>(private_pem.size()))};
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
    if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA)
    {
        EVP_PKEY_free(key);
        throw std::runtime_error("not an RSA private key");
    }
    return rsa_key{key};
}

std::string rsa_key::private_pem() const
{
    std::unique_ptr<BIO, bio_deleter> bio{BIO_new(BIO_s_mem())};
    if (PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    {
        throw std::runtime_error("cannot write the private key");
    }
    char* data = nullptr;
    long const size = BIO_get_mem_data(bio.get(), &data);
    return {data, static_cast<std::size_t>(size)};
}

nlohmann::ordered_json rsa_key::jwk() const
{
    return {
        {"alg", "RS256"},
        {"e", base64url_encode(bignum_param(key_.get(), OSSL_PKEY_PARAM_RSA_E))},
        {"kid", kid_},
        {"kty", "RSA"},
        {"n", base64url_encode(bignum_param(key_.get(), OSSL_PKEY_PARAM_RSA_N))},
        {"use", "sig"},
    };
}

std::string rsa_key::sign(std::string_view data) const
{
    std::unique_ptr<EVP_MD_CTX, md_ctx_deleter> ctx{EVP_MD_CTX_new()};
    std::size_t size = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
        EVP_DigestSign(
            ctx.get(),
            nullptr,
            &size,
            reinterpret_cast<unsigned char const*>(data.data()),
            data.size()
        ) != 1)
    {
        throw std::runtime_error("RS256 signing failed");
    }
    std::string signature(size, '\0');
    if (EVP_DigestSign(
            ctx.get(),
            reinterpret_cast<unsigned char*>(signature.data()),
            &size,
            reinterpret_cast<unsigned char const*>(data.data()),
            data.size()
        ) != 1)
    {
        throw std::runtime_error("RS256 signing failed");
    }
    signature.resize(size);
    return signature;
}

// OpenSSL sets a key's Montgomery values and its blinding up on the key's first signature, for the
// thread that makes it; every other thread shares a second blinding, set up on the first signature
// one of them makes. Each set-up costs 0.3-0.5 ms over the 0.2 ms of a signature, and a pool's two
// keys sign once each in a fixture's sign-in, so that sign-in would pay for both (issue 16).
void rsa_key::prepare() const
{
    static_cast<void>(sign("prepare"));
    std::exception_ptr failed;
    std::thread other{[&]
                      {
                          try
                          {
                              static_cast<void>(sign("prepare"));
                          }
                          catch (...)
                          {
                              failed = std::current_exception();
                          }
                      }};
    other.join();
    if (failed)
    {
        std::rethrow_exception(failed);
    }
}

bool rsa_key::verify(std::string_view data, std::string_view signature) const
{
    std::unique_ptr<EVP_MD_CTX, md_ctx_deleter> ctx{EVP_MD_CTX_new()};
    return ctx &&
           EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) == 1 &&
           EVP_DigestVerify(
               ctx.get(),
               reinterpret_cast<unsigned char const*>(signature.data()),
               signature.size(),
               reinterpret_cast<unsigned char const*>(data.data()),
               data.size()
           ) == 1;
}

std::string base64url_encode(std::string_view bytes)
{
    std::string text = base64_encode(bytes);
    while (!text.empty() && text.back() == '=')
    {
        text.pop_back();
    }
    std::replace(text.begin(), text.end(), '+', '-');
    std::replace(text.begin(), text.end(), '/', '_');
    return text;
}

std::optional<std::string> base64url_decode(std::string_view text)
{
    if (text.find_first_of("+/=") != std::string_view::npos)
    {
        return std::nullopt;
    }
    std::string standard{text};
    std::replace(standard.begin(), standard.end(), '-', '+');
    std::replace(standard.begin(), standard.end(), '_', '/');
    standard.append((4 - standard.size() % 4) % 4, '=');
    return base64_decode(standard);
}

nlohmann::ordered_json java_hash_order(std::vector<std::pair<std::string, nlohmann::json>> claims)
{
    // new HashMap(map) sizes its table to the power of two at or above n / 0.75 + 1; iteration
    // walks the buckets in order, and a bucket's entries in insertion order.
    auto const wanted =
        static_cast<std::uint32_t>(static_cast<float>(claims.size()) / 0.75F + 1.0F);
    std::uint32_t const capacity = std::bit_ceil(std::max<std::uint32_t>(wanted, 1));
    std::stable_sort(
        claims.begin(),
        claims.end(),
        [&](auto const& a, auto const& b)
        { return (java_hash(a.first) & (capacity - 1)) < (java_hash(b.first) & (capacity - 1)); }
    );
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (auto const& [name, value] : claims)
    {
        out[name] = value; // converted into ordered_json: a copy either way
    }
    return out;
}

std::string jwt_signing_input(rsa_key const& key, nlohmann::ordered_json const& payload)
{
    auto const compact = [](nlohmann::ordered_json const& j)
    {
        std::string text =
            j.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
        // json-smart escapes '/'; a '/' can only stand inside a string, so this is exact.
        std::string out;
        out.reserve(text.size() + 8);
        for (char c : text)
        {
            if (c == '/')
            {
                out += '\\';
            }
            out += c;
        }
        return out;
    };
    nlohmann::ordered_json const header{{"kid", key.kid()}, {"alg", "RS256"}};
    std::string input = base64url_encode(compact(header));
    input += '.';
    input += base64url_encode(compact(payload));
    return input;
}

std::string sign_jwt(rsa_key const& key, std::string signing_input)
{
    auto const signature = key.sign(signing_input);
    signing_input += '.';
    signing_input += base64url_encode(signature);
    return signing_input;
}

std::string encode_jwt(rsa_key const& key, nlohmann::ordered_json const& payload)
{
    return sign_jwt(key, jwt_signing_input(key, payload));
}

std::optional<decoded_jwt> decode_jwt(std::string_view token)
{
    auto const first = token.find('.');
    auto const second = first == std::string_view::npos ? first : token.find('.', first + 1);
    if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    {
        return std::nullopt;
    }
    auto const header = base64url_decode(token.substr(0, first));
    auto const payload = base64url_decode(token.substr(first + 1, second - first - 1));
    auto const signature = base64url_decode(token.substr(second + 1));
    if (!header || !payload || !signature)
    {
        return std::nullopt;
    }
    decoded_jwt out;
    // A client's token is read before its signature is checked: bounded as a request body is.
    out.header = read_client_json(*header).value;
    out.payload = read_client_json(*payload).value;
    if (!out.header.is_object() || !out.payload.is_object())
    {
        return std::nullopt;
    }
    out.signing_input = std::string{token.substr(0, second)};
    out.signature = *signature;
    return out;
}

} // namespace cognitod::auth
