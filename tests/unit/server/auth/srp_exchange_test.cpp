#include "server/auth/encoding.hpp"
#include "server/auth/srp.hpp"

#include <gtest/gtest.h>

using namespace cognitod::auth;

namespace
{

std::string bytes_of(std::string_view hex)
{
    return *hex_decode(hex);
}

struct exchange_fixture
{
    std::string salt = bytes_of("8f1c2a3b4c5d6e7f8091a2b3c4d5e6f7"); // high bit set: padded path
    std::string a = bytes_of(std::string(64, '7'));
    std::string b = bytes_of(std::string(64, '3'));
    std::string v = srp::verifier(srp::private_key(salt, "AbC123xyz", "alice", "Passw0rd!"));
};

} // namespace

TEST(srp_exchange, server_and_client_derive_the_same_key)
{
    exchange_fixture const f;
    auto const A = srp::client_public(f.a);
    auto const server = srp::start_exchange(f.v, f.b);
    auto const server_key = srp::session_key(A, server.B, server.b, f.v);
    auto const client_key =
        srp::client_session_key(f.a, server.B, f.salt, "AbC123xyz", "alice", "Passw0rd!");
    ASSERT_TRUE(server_key);
    EXPECT_EQ(server_key->size(), 16u);
    EXPECT_EQ(*server_key, client_key);
}

TEST(srp_exchange, a_wrong_password_gives_another_key)
{
    exchange_fixture const f;
    auto const server = srp::start_exchange(f.v, f.b);
    auto const server_key = srp::session_key(srp::client_public(f.a), server.B, server.b, f.v);
    auto const wrong =
        srp::client_session_key(f.a, server.B, f.salt, "AbC123xyz", "alice", "passw0rd!");
    EXPECT_NE(*server_key, wrong);
}

TEST(srp_exchange, refuses_an_a_that_is_zero_modulo_n)
{
    exchange_fixture const f;
    auto const server = srp::start_exchange(f.v, f.b);
    EXPECT_FALSE(srp::session_key(std::string(1, '\0'), server.B, server.b, f.v));
    // N itself is 0 mod N.
    auto const n = bytes_of("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBE"
                            "A63B139B22514A08798E3404DD"
                            "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42"
                            "E9A637ED6B0BFF5CB6F406B7ED"
                            "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48"
                            "361C55D39A69163FA8FD24CF5F"
                            "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C"
                            "08CA18217C32905E462E36CE3B"
                            "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718399549"
                            "7CEA956AE515D2261898FA0510"
                            "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71"
                            "575D060C7DB3970F85A6E1E4C7"
                            "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602"
                            "733EC86A64521F2B18177B200C"
                            "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D1"
                            "20A93AD2CAFFFFFFFFFFFFFFFF");
    EXPECT_FALSE(srp::session_key(n, server.B, server.b, f.v));
}

TEST(srp_exchange, signs_the_claim_as_the_cognito_clients_do)
{
    // HMAC-SHA256(key, pool name || user id || secret block || timestamp), base64.
    auto const key = std::string(16, '\x01');
    auto const signature =
        srp::claim_signature(key, "AbC", "alice", "\x02\x03", "Wed Nov 26 04:30:32 UTC 2026");
    EXPECT_EQ(base64_decode(signature)->size(), 32u);
    EXPECT_NE(
        signature,
        srp::claim_signature(key, "AbC", "alice", "\x02\x03", "Wed Nov 26 04:30:33 UTC 2026")
    );
}
