#include "server/auth/totp.hpp"

#include <gtest/gtest.h>

using namespace cognitod::auth::totp;

namespace
{
// RFC 6238 appendix B uses this ASCII secret for SHA-1.
constexpr std::string_view rfc_secret = "12345678901234567890";
} // namespace

TEST(totp, matches_the_rfc_6238_sha1_vectors_in_six_digits)
{
    // The RFC prints 8 digits; the last 6 are what a 6-digit authenticator shows.
    EXPECT_EQ(code_at(rfc_secret, 59), "287082");
    EXPECT_EQ(code_at(rfc_secret, 1111111109), "081804");
    EXPECT_EQ(code_at(rfc_secret, 1234567890), "005924");
    EXPECT_EQ(code_at(rfc_secret, 2000000000), "279037");
}

TEST(totp, accepts_the_neighbouring_steps_and_nothing_further)
{
    auto const now = std::int64_t{1234567890};
    EXPECT_TRUE(verify(rfc_secret, code_at(rfc_secret, now), now));
    EXPECT_TRUE(verify(rfc_secret, code_at(rfc_secret, now - 30), now));
    EXPECT_TRUE(verify(rfc_secret, code_at(rfc_secret, now + 30), now));
    EXPECT_FALSE(verify(rfc_secret, code_at(rfc_secret, now - 90), now));
    EXPECT_FALSE(verify(rfc_secret, "000000x", now));
}

TEST(totp, base32_round_trips_and_matches_rfc_4648)
{
    EXPECT_EQ(base32_encode("foobar"), "MZXW6YTBOI");
    EXPECT_EQ(base32_decode("MZXW6YTBOI"), std::optional<std::string>{"foobar"});
    EXPECT_EQ(base32_decode("mzxw6ytboi"), std::optional<std::string>{"foobar"});
    EXPECT_EQ(base32_decode("MZXW6YTB0I"), std::nullopt); // 0 is not in the alphabet
}
