#include "server/auth/srp.hpp"

#include "server/auth/encoding.hpp"

#include <openssl/bn.h>

#include <memory>
#include <stdexcept>

namespace cognitod::auth::srp
{

namespace
{

// RFC 5054 appendix A, 3072-bit group (the RFC 3526 MODP prime).
constexpr char const* n_hex = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020B"
                              "BEA63B139B22514A08798E3404DD"
                              "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C"
                              "42E9A637ED6B0BFF5CB6F406B7ED"
                              "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA"
                              "48361C55D39A69163FA8FD24CF5F"
                              "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F174"
                              "6C08CA18217C32905E462E36CE3B"
                              "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995"
                              "497CEA956AE515D2261898FA0510"
                              "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA"
                              "71575D060C7DB3970F85A6E1E4C7"
                              "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D876"
                              "02733EC86A64521F2B18177B200C"
                              "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82"
                              "D120A93AD2CAFFFFFFFFFFFFFFFF";

struct bn_deleter
{
    void operator()(BIGNUM* n) const noexcept { BN_clear_free(n); }
};
struct ctx_deleter
{
    void operator()(BN_CTX* c) const noexcept { BN_CTX_free(c); }
};
using bignum = std::unique_ptr<BIGNUM, bn_deleter>;

bignum from_bytes(std::string_view bytes)
{
    bignum n{BN_bin2bn(
        reinterpret_cast<unsigned char const*>(bytes.data()),
        static_cast<int>(bytes.size()),
        nullptr
    )};
    if (!n)
    {
        throw std::runtime_error("BN_bin2bn failed");
    }
    return n;
}

std::string to_bytes(BIGNUM const* n)
{
    std::string out(static_cast<std::size_t>(BN_num_bytes(n)), '\0');
    BN_bn2bin(n, reinterpret_cast<unsigned char*>(out.data()));
    return out;
}

// amazon-cognito-identity-js's padHex: the positive two's-complement form, so a leading byte with
// its high bit set gets a 0x00 in front.
std::string padded(std::string_view bytes)
{
    std::size_t start = 0;
    while (start + 1 < bytes.size() && bytes[start] == '\0')
    {
        ++start;
    }
    std::string out{bytes.substr(start)};
    if (!out.empty() && (static_cast<unsigned char>(out.front()) & 0x80U) != 0)
    {
        out.insert(out.begin(), '\0');
    }
    return out;
}

} // namespace

std::string_view pool_name(std::string_view pool_id)
{
    auto const underscore = pool_id.find('_');
    return underscore == std::string_view::npos ? pool_id : pool_id.substr(underscore + 1);
}

std::string private_key(
    std::string_view salt,
    std::string_view pool_name,
    std::string_view user_id,
    std::string_view password
)
{
    std::string inner{pool_name};
    inner += user_id;
    inner += ':';
    inner += password;
    // The library hashes padHex(salt) followed by the inner digest, both as bytes:
    // hexHash(padHex(salt) + hash(poolName + userId + ":" + password)).
    std::string outer = padded(salt);
    outer += sha256(inner);
    return sha256(outer);
}

std::string verifier(std::string_view x)
{
    BIGNUM* raw_n = nullptr;
    BN_hex2bn(&raw_n, n_hex);
    bignum n{raw_n};
    bignum g{BN_new()};
    BN_set_word(g.get(), 2);
    bignum exponent = from_bytes(x);
    bignum v{BN_new()};
    std::unique_ptr<BN_CTX, ctx_deleter> ctx{BN_CTX_new()};
    if (!n || !g || !v || !ctx ||
        BN_mod_exp(v.get(), g.get(), exponent.get(), n.get(), ctx.get()) != 1)
    {
        throw std::runtime_error("SRP verifier computation failed");
    }
    return to_bytes(v.get());
}

} // namespace cognitod::auth::srp
