#include "server/auth/encoding.hpp"

#include <gtest/gtest.h>

#include <string>

namespace
{

using namespace cognitod::auth;

} // namespace

TEST(base64, encodes_the_rfc_4648_vectors_with_padding)
{
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode("foo"), "Zm9v");
    EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(base64, encodes_62_and_63_as_plus_and_slash)
{
    EXPECT_EQ(base64_encode("\xfb\xff"), "+/8=");
}

TEST(base64, decodes_the_rfc_4648_vectors)
{
    EXPECT_EQ(base64_decode(""), std::string{});
    EXPECT_EQ(base64_decode("Zg=="), "f");
    EXPECT_EQ(base64_decode("Zm8="), "fo");
    EXPECT_EQ(base64_decode("Zm9v"), "foo");
    EXPECT_EQ(base64_decode("Zm9vYmFy"), "foobar");
    EXPECT_EQ(base64_decode("+/8="), "\xfb\xff");
}

TEST(base64, decode_keeps_zero_bytes)
{
    EXPECT_EQ(base64_decode("AAAA"), std::string(3, '\0'));
    EXPECT_EQ(base64_decode("AA=="), std::string(1, '\0'));
}

TEST(base64, decodes_what_it_encodes)
{
    std::string all;
    for (int i = 0; i < 256; ++i)
    {
        all.push_back(static_cast<char>(i));
    }
    for (std::size_t n = 0; n <= 5; ++n)
    {
        auto const bytes = all.substr(256 - n) + all;
        EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes) << n;
    }
}

TEST(base64, decode_rejects_text_without_its_padding)
{
    EXPECT_FALSE(base64_decode("Zg"));
    EXPECT_FALSE(base64_decode("Zm8"));
}

TEST(base64, decode_rejects_the_url_alphabet)
{
    EXPECT_FALSE(base64_decode("-_8="));
}

TEST(base64, decode_rejects_characters_outside_the_alphabet)
{
    EXPECT_FALSE(base64_decode("Zm9v YmFy"));
    EXPECT_FALSE(base64_decode("not base64!"));
    EXPECT_FALSE(base64_decode(std::string{"Zm\0v", 4}));
}

TEST(base64, decode_rejects_padding_that_is_not_at_the_end)
{
    EXPECT_FALSE(base64_decode("=AAA"));
    EXPECT_FALSE(base64_decode("A=AA"));
    EXPECT_FALSE(base64_decode("AB=C"));
    EXPECT_FALSE(base64_decode("Zg==Zg=="));
}

TEST(base64, decode_rejects_more_than_two_padding_characters)
{
    EXPECT_FALSE(base64_decode("A==="));
    EXPECT_FALSE(base64_decode("===="));
}

TEST(hex_encode, writes_two_lower_case_digits_a_byte)
{
    EXPECT_EQ(hex_encode(""), "");
    EXPECT_EQ(hex_encode(std::string{"\x00\x0f\xa0\xff", 4}), "000fa0ff");
}

TEST(sha256, matches_the_fips_180_vectors)
{
    EXPECT_EQ(
        hex_encode(sha256("abc")),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    EXPECT_EQ(
        hex_encode(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

TEST(constant_time_equal, accepts_equal_bytes_only)
{
    EXPECT_TRUE(constant_time_equal("", ""));
    EXPECT_TRUE(constant_time_equal(std::string{"a\0b", 3}, std::string{"a\0b", 3}));
    EXPECT_FALSE(constant_time_equal("secret", "secreT"));
    EXPECT_FALSE(constant_time_equal(std::string{"a\0b", 3}, std::string{"a\0c", 3}));
}

TEST(constant_time_equal, rejects_a_prefix)
{
    EXPECT_FALSE(constant_time_equal("secret", "secre"));
    EXPECT_FALSE(constant_time_equal("", "s"));
}

TEST(append_hex, writes_the_byte_in_the_case_asked)
{
    std::string out = "%";
    append_hex(out, 0xaf, hex_case::upper);
    append_hex(out, 0x0a, hex_case::lower);
    EXPECT_EQ(out, "%AF0a");
}

TEST(hex_digit_value, reads_either_case_and_refuses_the_rest)
{
    EXPECT_EQ(hex_digit_value('0'), 0);
    EXPECT_EQ(hex_digit_value('9'), 9);
    EXPECT_EQ(hex_digit_value('a'), 10);
    EXPECT_EQ(hex_digit_value('F'), 15);
    EXPECT_EQ(hex_digit_value('g'), -1);
    EXPECT_EQ(hex_digit_value('%'), -1);
}

TEST(ascii_lower, folds_ascii_letters_only)
{
    EXPECT_EQ(ascii_lower("Host-NAME_09"), "host-name_09");
    // UTF-8 bytes, É here, pass through untouched.
    EXPECT_EQ(ascii_lower("\xC3\x89T\xC3\x89"), "\xC3\x89t\xC3\x89");
}
