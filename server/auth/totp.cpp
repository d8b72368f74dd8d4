#include "server/auth/totp.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstdio>

namespace cognitod::auth::totp
{

namespace
{

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

} // namespace

std::string base32_encode(std::string_view bytes)
{
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char c : bytes)
    {
        buffer = (buffer << 8U) | c;
        bits += 8;
        while (bits >= 5)
        {
            out.push_back(alphabet[(buffer >> static_cast<unsigned>(bits - 5)) & 0x1fU]);
            bits -= 5;
        }
    }
    if (bits > 0)
    {
        out.push_back(alphabet[(buffer << static_cast<unsigned>(5 - bits)) & 0x1fU]);
    }
    return out;
}

std::optional<std::string> base32_decode(std::string_view text)
{
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text)
    {
        if (c == '=')
        {
            break;
        }
        auto const upper = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
        auto const value = alphabet.find(upper);
        if (value == std::string_view::npos)
        {
            return std::nullopt;
        }
        buffer = (buffer << 5U) | static_cast<std::uint32_t>(value);
        bits += 5;
        if (bits >= 8)
        {
            out.push_back(static_cast<char>((buffer >> static_cast<unsigned>(bits - 8)) & 0xffU));
            bits -= 8;
        }
    }
    return out;
}

std::string code_at(std::string_view secret, std::int64_t unix_seconds)
{
    auto counter = static_cast<std::uint64_t>(unix_seconds / 30);
    std::array<unsigned char, 8> message{};
    for (int i = 7; i >= 0; --i)
    {
        message[static_cast<std::size_t>(i)] = static_cast<unsigned char>(counter & 0xffU);
        counter >>= 8U;
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    HMAC(
        EVP_sha1(),
        secret.data(),
        static_cast<int>(secret.size()),
        message.data(),
        message.size(),
        digest.data(),
        &size
    );
    // RFC 4226 dynamic truncation.
    auto const offset = static_cast<std::size_t>(digest[size - 1] & 0x0fU);
    std::uint32_t const binary = ((digest[offset] & 0x7fU) << 24U) | (digest[offset + 1] << 16U) |
                                 (digest[offset + 2] << 8U) | digest[offset + 3];
    std::array<char, 8> text{};
    std::snprintf(text.data(), text.size(), "%06u", binary % 1000000U);
    return {text.data(), 6};
}

bool verify(std::string_view secret, std::string_view code, std::int64_t unix_seconds)
{
    for (int drift = -1; drift <= 1; ++drift)
    {
        if (code_at(secret, unix_seconds + std::int64_t{drift} * 30) == code)
        {
            return true;
        }
    }
    return false;
}

} // namespace cognitod::auth::totp
