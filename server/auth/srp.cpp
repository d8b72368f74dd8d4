#include "server/auth/srp.hpp"

#include "server/auth/encoding.hpp"

#include <openssl/bn.h>
#include <openssl/evp.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <vector>

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

struct mont_deleter
{
    void operator()(BN_MONT_CTX* m) const noexcept { BN_MONT_CTX_free(m); }
};

// The 3072-bit group with its multiplier k = H(padHex(N) || padHex(g)), made once and only read
// after: N's Montgomery context, and for g^e a table of g^(d * 64^i) (in Montgomery form) for
// every 6-bit digit d of every position i of a 256-bit exponent. A password's verifier, sign-in's
// B and the device verifiers all raise g to a 256-bit exponent: 256 squarings of a 3072-bit
// number (0.4 ms) become at most 43 multiplications from the table (some 1.1 MB, made once in
// some 6 ms).
struct constants
{
    static constexpr int window_bits = 6;
    static constexpr int table_bits = 256;
    static constexpr int windows = (table_bits + window_bits - 1) / window_bits;
    static constexpr int digits = 1 << window_bits;

    static std::size_t at(int window, int digit)
    {
        return static_cast<std::size_t>(window) * digits + static_cast<std::size_t>(digit);
    }

    bignum n;
    bignum g{BN_new()};
    bignum k;
    std::unique_ptr<BN_MONT_CTX, mont_deleter> mont{BN_MONT_CTX_new()};
    std::vector<bignum> powers; // [i * digits + d]: g^(d * 64^i), Montgomery form; d = 0 unused
    bignum one;                 // 1 in Montgomery form

    constants()
    {
        std::unique_ptr<BN_CTX, ctx_deleter> ctx{BN_CTX_new()};
        BIGNUM* raw_n = nullptr;
        BN_hex2bn(&raw_n, n_hex);
        n.reset(raw_n);
        if (!n || !g || !ctx || !mont || BN_MONT_CTX_set(mont.get(), n.get(), ctx.get()) != 1)
        {
            throw std::runtime_error("SRP group setup failed");
        }
        BN_set_word(g.get(), 2);
        k = from_bytes(sha256(padded(to_bytes(n.get())) + padded(to_bytes(g.get()))));

        one = fresh();
        BN_one(one.get());
        BN_to_montgomery(one.get(), one.get(), mont.get(), ctx.get());
        auto base = fresh(); // g^(64^i)
        BN_to_montgomery(base.get(), g.get(), mont.get(), ctx.get());
        powers.resize(at(windows, 0));
        for (int i = 0; i < windows; ++i)
        {
            powers[at(i, 1)] = fresh();
            BN_copy(powers[at(i, 1)].get(), base.get());
            for (int d = 2; d < digits; ++d)
            {
                powers[at(i, d)] = fresh();
                multiply(powers[at(i, d)].get(), powers[at(i, d - 1)].get(), base.get(), ctx.get());
            }
            multiply(base.get(), powers[at(i, digits - 1)].get(), base.get(), ctx.get());
        }
    }

    static bignum fresh()
    {
        bignum out{BN_new()};
        if (!out)
        {
            throw std::runtime_error("BN_new failed");
        }
        return out;
    }

    void multiply(BIGNUM* out, BIGNUM const* a, BIGNUM const* b, BN_CTX* ctx) const
    {
        if (BN_mod_mul_montgomery(out, a, b, mont.get(), ctx) != 1)
        {
            throw std::runtime_error("SRP modular multiplication failed");
        }
    }
};

constants const& shared()
{
    static constants const c;
    return c;
}

// The group's constants and a BN context of this computation's own (a context is not shared
// between threads).
struct group
{
    constants const& c = shared();
    std::unique_ptr<BN_CTX, ctx_deleter> ctx{BN_CTX_new()};

    group()
    {
        if (!ctx)
        {
            throw std::runtime_error("SRP group setup failed");
        }
    }

    BIGNUM const* n() const noexcept { return c.n.get(); }
    BIGNUM const* k() const noexcept { return c.k.get(); }

    bignum mod_exp(BIGNUM const* base, BIGNUM const* exponent) const
    {
        auto out = constants::fresh();
        if (BN_mod_exp_mont(out.get(), base, exponent, c.n.get(), ctx.get(), c.mont.get()) != 1)
        {
            throw std::runtime_error("SRP modular exponentiation failed");
        }
        return out;
    }
    bignum pow_g(BIGNUM const* exponent) const
    {
        if (BN_is_negative(exponent) != 0 || BN_num_bits(exponent) > constants::table_bits)
        {
            return mod_exp(c.g.get(), exponent);
        }
        auto acc = constants::fresh();
        BN_copy(acc.get(), c.one.get());
        for (int i = 0; i < constants::windows; ++i)
        {
            int digit = 0;
            for (int b = constants::window_bits - 1; b >= 0; --b)
            {
                digit = digit * 2 + BN_is_bit_set(exponent, i * constants::window_bits + b);
            }
            if (digit != 0)
            {
                c.multiply(
                    acc.get(), acc.get(), c.powers[constants::at(i, digit)].get(), ctx.get()
                );
            }
        }
        auto out = constants::fresh();
        if (BN_from_montgomery(out.get(), acc.get(), c.mont.get(), ctx.get()) != 1)
        {
            throw std::runtime_error("SRP modular exponentiation failed");
        }
        return out;
    }
    bignum mod_mul(BIGNUM const* a, BIGNUM const* b) const
    {
        auto out = constants::fresh();
        if (BN_mod_mul(out.get(), a, b, c.n.get(), ctx.get()) != 1)
        {
            throw std::runtime_error("SRP modular multiplication failed");
        }
        return out;
    }
};

// u = H(padHex(A) || padHex(B))
bignum scrambler(std::string_view A, std::string_view B)
{
    return from_bytes(sha256(padded(A) + padded(B)));
}

// HKDF-SHA256 as the Cognito clients compute it: one block, info "Caldera Derived Key", 16 bytes.
std::string derive_key(std::string_view S, std::string_view u)
{
    auto const prk = hmac_sha256(padded(u), padded(S));
    std::string info = "Caldera Derived Key";
    info.push_back('\x01');
    return hmac_sha256(prk, info).substr(0, 16);
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
    group const grp;
    return to_bytes(grp.pow_g(from_bytes(x).get()).get());
}

server_exchange start_exchange(std::string_view v, std::string_view random_bytes)
{
    group const grp;
    auto const b = from_bytes(random_bytes);
    // B = (k*v + g^b) mod N
    auto const kv = grp.mod_mul(grp.k(), from_bytes(v).get());
    auto const gb = grp.pow_g(b.get());
    bignum b_pub{BN_new()};
    if (!b_pub || BN_mod_add(b_pub.get(), kv.get(), gb.get(), grp.n(), grp.ctx.get()) != 1)
    {
        throw std::runtime_error("SRP B computation failed");
    }
    return {to_bytes(b.get()), to_bytes(b_pub.get())};
}

std::optional<std::string>
session_key(std::string_view A, std::string_view B, std::string_view b, std::string_view v)
{
    group const grp;
    auto const a_pub = from_bytes(A);
    bignum rem{BN_new()};
    if (!rem || BN_nnmod(rem.get(), a_pub.get(), grp.n(), grp.ctx.get()) != 1 ||
        BN_is_zero(rem.get()) == 1)
    {
        return std::nullopt;
    }
    auto const u = scrambler(A, B);
    // S = (A * v^u)^b mod N
    auto const vu = grp.mod_exp(from_bytes(v).get(), u.get());
    auto const base = grp.mod_mul(a_pub.get(), vu.get());
    auto const premaster = grp.mod_exp(base.get(), from_bytes(b).get()); // S
    return derive_key(to_bytes(premaster.get()), to_bytes(u.get()));
}

std::string claim_signature(
    std::string_view key,
    std::string_view pool_name,
    std::string_view user_id,
    std::string_view secret_block,
    std::string_view timestamp
)
{
    std::string message{pool_name};
    message += user_id;
    message += secret_block;
    message += timestamp;
    return base64_encode(hmac_sha256(key, message));
}

std::string client_public(std::string_view a)
{
    group const grp;
    return to_bytes(grp.pow_g(from_bytes(a).get()).get());
}

std::string client_session_key(
    std::string_view a,
    std::string_view B,
    std::string_view salt,
    std::string_view pool_name,
    std::string_view user_id,
    std::string_view password
)
{
    group const grp;
    auto const a_pub = client_public(a); // A
    auto const u = scrambler(a_pub, B);
    auto const x = from_bytes(private_key(salt, pool_name, user_id, password));
    // S = (B - k*g^x)^(a + u*x) mod N
    auto const kgx = grp.mod_mul(grp.k(), grp.pow_g(x.get()).get());
    bignum base{BN_new()};
    BN_mod_sub(base.get(), from_bytes(B).get(), kgx.get(), grp.n(), grp.ctx.get());
    bignum ux{BN_new()};
    BN_mul(ux.get(), u.get(), x.get(), grp.ctx.get());
    bignum exponent{BN_new()};
    BN_add(exponent.get(), from_bytes(a).get(), ux.get());
    auto const premaster = grp.mod_exp(base.get(), exponent.get()); // S
    return derive_key(to_bytes(premaster.get()), to_bytes(u.get()));
}

} // namespace cognitod::auth::srp
