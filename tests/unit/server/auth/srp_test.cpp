#include "server/auth/encoding.hpp"
#include "server/auth/passwords.hpp"
#include "server/auth/srp.hpp"
#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/evp.h>

#include <array>
#include <memory>
#include <string>
#include <string_view>

namespace
{

using namespace cognitod::testing;
namespace auth = cognitod::auth;
namespace srp = cognitod::auth::srp;

// RFC 5054 appendix A, 3072-bit group: the RFC 3526 prime
// 2^3072 - 2^3008 - 1 + 2^64 * (floor(2^2942 * pi) + 1690314), written out independently.
constexpr char const* rfc_5054_n_hex =
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33"
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864"
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2"
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

struct bn_deleter
{
    void operator()(BIGNUM* n) const noexcept { BN_free(n); }
};
using bignum = std::unique_ptr<BIGNUM, bn_deleter>;

bignum from_bytes(std::string_view bytes)
{
    return bignum{BN_bin2bn(
        reinterpret_cast<unsigned char const*>(bytes.data()),
        static_cast<int>(bytes.size()),
        nullptr
    )};
}

std::string to_bytes(BIGNUM const* n)
{
    std::string out(static_cast<std::size_t>(BN_num_bytes(n)), '\0');
    BN_bn2bin(n, reinterpret_cast<unsigned char*>(out.data()));
    return out;
}

std::string from_hex(std::string_view hex)
{
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    {
        out.push_back(static_cast<char>(std::stoi(std::string{hex.substr(i, 2)}, nullptr, 16)));
    }
    return out;
}

std::string digest(std::string_view bytes)
{
    std::array<unsigned char, 32> out{};
    unsigned int size = 0;
    EVP_Digest(bytes.data(), bytes.size(), out.data(), &size, EVP_sha256(), nullptr);
    return {reinterpret_cast<char const*>(out.data()), size};
}

// amazon-cognito-identity-js's padHex: the BigInteger's hex, with "0" when the length is odd and
// "00" when the first digit has its high bit set, so the number stays positive.
std::string pad_hex(std::string_view salt)
{
    auto const n = from_bytes(salt);
    char* text = BN_bn2hex(n.get());
    std::string hex{text};
    OPENSSL_free(text);
    if (hex.size() % 2 == 1)
    {
        hex.insert(0, "0");
    }
    else if (std::string_view{"89ABCDEFabcdef"}.find(hex.front()) != std::string_view::npos)
    {
        hex.insert(0, "00");
    }
    return hex;
}

// x = SHA256(padHex(salt) || SHA256(poolName + userId + ":" + password)), as the library hashes
// the concatenated hex strings' bytes.
std::string expected_x(
    std::string_view salt, std::string_view pool, std::string_view user, std::string_view password
)
{
    std::string inner{pool};
    inner += user;
    inner += ':';
    inner += password;
    return digest(from_hex(pad_hex(salt)) + digest(inner));
}

// v = g^x mod N with g = 2.
std::string expected_v(std::string_view x)
{
    BIGNUM* raw_n = nullptr;
    BN_hex2bn(&raw_n, rfc_5054_n_hex);
    bignum const n{raw_n};
    bignum const g{BN_new()};
    BN_set_word(g.get(), 2);
    auto const exponent = from_bytes(x);
    bignum const v{BN_new()};
    std::unique_ptr<BN_CTX, decltype(&BN_CTX_free)> ctx{BN_CTX_new(), &BN_CTX_free};
    BN_mod_exp(v.get(), g.get(), exponent.get(), n.get(), ctx.get());
    return to_bytes(v.get());
}

std::string const low_salt = from_hex("0102030405060708090a0b0c0d0e0f10");
std::string const high_salt = from_hex("9a0102030405060708090a0b0c0d0e0f");

} // namespace

TEST(srp, private_key_follows_the_amazon_cognito_identity_js_formula)
{
    EXPECT_EQ(
        auth::hex_encode(srp::private_key(low_salt, "AbCdEfGhI", "alice", "Passw0rd!")),
        auth::hex_encode(expected_x(low_salt, "AbCdEfGhI", "alice", "Passw0rd!"))
    );
}

TEST(srp, private_key_matches_a_fixed_vector)
{
    // Computed outside this code base (Python hashlib) from the same formula.
    EXPECT_EQ(
        auth::hex_encode(srp::private_key(low_salt, "AbCdEfGhI", "alice", "Passw0rd!")),
        "0fe68ee1c46866ffaa551458110c90820b64707f3676564332da208287407f5a"
    );
    EXPECT_EQ(
        auth::hex_encode(srp::private_key(high_salt, "AbCdEfGhI", "alice", "Passw0rd!")),
        "0e204f57ef169168908bbf5a05b2dcf0a713ea5e63f72facc20b0826b5d02a4c"
    );
}

TEST(srp, a_salt_without_the_high_bit_is_hashed_as_it_is)
{
    auto const inner = digest("AbCdEfGhIalice:Passw0rd!");
    EXPECT_EQ(
        srp::private_key(low_salt, "AbCdEfGhI", "alice", "Passw0rd!"), digest(low_salt + inner)
    );
}

TEST(srp, a_salt_with_the_high_bit_set_is_hashed_after_a_zero_byte)
{
    auto const inner = digest("AbCdEfGhIalice:Passw0rd!");
    auto const x = srp::private_key(high_salt, "AbCdEfGhI", "alice", "Passw0rd!");
    EXPECT_EQ(x, digest(std::string(1, '\0') + high_salt + inner));
    EXPECT_NE(x, digest(high_salt + inner));
    EXPECT_EQ(x, expected_x(high_salt, "AbCdEfGhI", "alice", "Passw0rd!"));
}

TEST(srp, leading_zero_bytes_of_the_salt_are_dropped_as_a_big_integer_drops_them)
{
    auto const salt = from_hex("00007f0102030405060708090a0b0c0d");
    auto const inner = digest("AbCdEfGhIalice:Passw0rd!");
    auto const x = srp::private_key(salt, "AbCdEfGhI", "alice", "Passw0rd!");
    EXPECT_EQ(x, digest(salt.substr(2) + inner));
    EXPECT_EQ(x, expected_x(salt, "AbCdEfGhI", "alice", "Passw0rd!"));
}

TEST(srp, private_key_depends_on_pool_user_and_password)
{
    auto const x = srp::private_key(low_salt, "AbCdEfGhI", "alice", "Passw0rd!");
    EXPECT_NE(x, srp::private_key(low_salt, "AbCdEfGhJ", "alice", "Passw0rd!"));
    EXPECT_NE(x, srp::private_key(low_salt, "AbCdEfGhI", "alicf", "Passw0rd!"));
    EXPECT_NE(x, srp::private_key(low_salt, "AbCdEfGhI", "alice", "Passw0rd?"));
    EXPECT_NE(x, srp::private_key(high_salt, "AbCdEfGhI", "alice", "Passw0rd!"));
}

TEST(srp, verifier_is_two_to_the_x_mod_the_rfc_5054_3072_bit_prime)
{
    auto const x = expected_x(low_salt, "AbCdEfGhI", "alice", "Passw0rd!");
    EXPECT_EQ(auth::hex_encode(srp::verifier(x)), auth::hex_encode(expected_v(x)));
}

TEST(srp, verifier_matches_a_fixed_vector)
{
    // SHA-256 of the 384-byte verifier, from the same Python computation as the x vectors.
    auto const x = srp::private_key(low_salt, "AbCdEfGhI", "alice", "Passw0rd!");
    auto const v = srp::verifier(x);
    EXPECT_EQ(v.size(), 384U);
    EXPECT_EQ(
        auth::hex_encode(digest(v)),
        "cde769e94f103f571e21e142c18cae2c8549bb50955e526dac75c2efb27636ba"
    );
}

TEST(srp, verifier_of_small_exponents_is_a_power_of_two)
{
    EXPECT_EQ(srp::verifier(std::string(1, '\0')), std::string(1, '\x01'));
    EXPECT_EQ(srp::verifier(std::string(1, '\x03')), std::string(1, '\x08'));
    EXPECT_EQ(srp::verifier(std::string{"\x01\x00", 2}), "\x01" + std::string(32, '\0'));
}

TEST(srp, pool_name_is_the_part_of_the_pool_id_after_the_underscore)
{
    EXPECT_EQ(srp::pool_name("us-east-1_AbCdEfGhI"), "AbCdEfGhI");
    EXPECT_EQ(srp::pool_name("eu-west-2_000000001"), "000000001");
}

TEST(srp, pool_name_of_an_id_without_underscore_is_the_whole_id)
{
    EXPECT_EQ(srp::pool_name("AbCdEfGhI"), "AbCdEfGhI");
}

// Passwords stored as salt and verifier

TEST(store_password, keeps_16_random_bytes_of_salt_and_the_srp_verifier)
{
    cognitod::counting_ids ids;
    auto const stored = auth::store_password("us-east-1_AbCdEfGhI", "alice", "Passw0rd!", ids);
    EXPECT_EQ(stored.salt, std::string(16, '\x01')); // the first id the source hands out
    EXPECT_EQ(
        auth::hex_encode(stored.verifier),
        auth::hex_encode(expected_v(expected_x(stored.salt, "AbCdEfGhI", "alice", "Passw0rd!")))
    );
}

TEST(password_matches, accepts_the_password_that_was_stored)
{
    cognitod::counting_ids ids;
    auto const stored = auth::store_password("us-east-1_AbCdEfGhI", "alice", "Passw0rd!", ids);
    EXPECT_TRUE(auth::password_matches(stored, "us-east-1_AbCdEfGhI", "alice", "Passw0rd!"));
}

TEST(password_matches, rejects_another_password)
{
    cognitod::counting_ids ids;
    auto const stored = auth::store_password("us-east-1_AbCdEfGhI", "alice", "Passw0rd!", ids);
    EXPECT_FALSE(auth::password_matches(stored, "us-east-1_AbCdEfGhI", "alice", "passw0rd!"));
    EXPECT_FALSE(auth::password_matches(stored, "us-east-1_AbCdEfGhI", "alice", ""));
}

TEST(password_matches, rejects_the_password_under_another_username_or_pool)
{
    cognitod::counting_ids ids;
    auto const stored = auth::store_password("us-east-1_AbCdEfGhI", "alice", "Passw0rd!", ids);
    EXPECT_FALSE(auth::password_matches(stored, "us-east-1_AbCdEfGhI", "bob", "Passw0rd!"));
    EXPECT_FALSE(auth::password_matches(stored, "us-east-1_ZZZZZZZZZ", "alice", "Passw0rd!"));
}

TEST(password_matches, rejects_every_password_when_none_is_stored)
{
    auth::stored_password const none{};
    EXPECT_FALSE(auth::password_matches(none, "us-east-1_AbCdEfGhI", "alice", ""));
    EXPECT_FALSE(auth::password_matches(none, "us-east-1_AbCdEfGhI", "alice", "Passw0rd!"));
}

// What the users table holds after a user is given a password.

TEST(store_password, the_users_row_holds_salt_and_verifier_only)
{
    fixture f;
    auto const pool = make_pool().insert(f);
    auto const alice = make_user("alice").with_password("Sup3r-Secret!").insert(f, pool);
    auto const reader = f.store.read();
    cognitod::storage::statement st{
        reader->db().handle(), "SELECT password_salt, password_verifier FROM users WHERE id = ?1"};
    st.bind(1, alice.id);
    ASSERT_TRUE(st.step());
    auto const salt = st.column_blob(0);
    auto const verifier = st.column_blob(1);
    EXPECT_EQ(salt.size(), 16U);
    EXPECT_EQ(
        auth::hex_encode(verifier),
        auth::hex_encode(expected_v(expected_x(salt, srp::pool_name(pool), "alice", "Sup3r-Secret!")
        ))
    );
}

TEST(store_password, no_table_holds_the_password_in_any_column)
{
    fixture f;
    auto const pool = make_pool().insert(f);
    make_user("alice").with_password("Sup3r-Secret!").insert(f, pool);
    make_user("bob").with_temporary_password("Tmp-Secret-42").insert(f, pool);
    auto const reader = f.store.read();
    auto* db = reader->db().handle();
    cognitod::storage::statement tables{db, "SELECT name FROM sqlite_master WHERE type = 'table'"};
    int scanned = 0;
    while (tables.step())
    {
        auto const table = tables.column_text(0);
        cognitod::storage::statement columns{db, "SELECT count(*) FROM pragma_table_info(?1)"};
        columns.bind(1, table);
        columns.step();
        auto const width = static_cast<int>(columns.column_int64(0));
        cognitod::storage::statement rows{db, "SELECT * FROM \"" + table + "\""};
        while (rows.step())
        {
            for (int i = 0; i < width; ++i)
            {
                auto const value = rows.column_blob(i);
                EXPECT_EQ(value.find("Sup3r-Secret!"), std::string::npos) << table;
                EXPECT_EQ(value.find("Tmp-Secret-42"), std::string::npos) << table;
                ++scanned;
            }
        }
    }
    EXPECT_GT(scanned, 0);
}
