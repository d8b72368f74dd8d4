#include "server/auth/encoding.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

namespace cognitod::auth
{

void append_hex(std::string& out, unsigned char byte, hex_case letters)
{
    std::string_view const digits =
        letters == hex_case::lower ? "0123456789abcdef" : "0123456789ABCDEF";
    out.push_back(digits[byte >> 4U]);
    out.push_back(digits[byte & 0x0fU]);
}

int hex_digit_value(char c)
{
    if (c >= '0' && c <= '9')
    {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f')
    {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F')
    {
        return c - 'A' + 10;
    }
    return -1;
}

std::string ascii_lower(std::string_view text)
{
    std::string out{text};
    for (char& c : out)
    {
        if (c >= 'A' && c <= 'Z')
        {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

std::string base64_encode(std::string_view bytes)
{
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    int const n = EVP_EncodeBlock(
        reinterpret_cast<unsigned char*>(out.data()),
        reinterpret_cast<unsigned char const*>(bytes.data()),
        static_cast<int>(bytes.size())
    );
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::optional<std::string> base64_decode(std::string_view text)
{
    if (text.size() % 4 != 0)
    {
        return std::nullopt;
    }
    if (text.empty())
    {
        return std::string{};
    }
    // Letters, digits, + and /, then at most two '=' and nothing after them.
    auto const last = text.find_last_not_of('=');
    auto const padding = last == std::string_view::npos ? text.size() : text.size() - last - 1;
    if (padding > 2)
    {
        return std::nullopt;
    }
    for (char const c : text.substr(0, text.size() - padding))
    {
        bool const alnum =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && c != '+' && c != '/')
        {
            return std::nullopt;
        }
    }
    std::string out(3 * (text.size() / 4), '\0');
    int const n = EVP_DecodeBlock(
        reinterpret_cast<unsigned char*>(out.data()),
        reinterpret_cast<unsigned char const*>(text.data()),
        static_cast<int>(text.size())
    );
    if (n < 0)
    {
        return std::nullopt;
    }
    // EVP_DecodeBlock counts padding as zero bytes; drop them.
    std::size_t size = static_cast<std::size_t>(n);
    for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i)
    {
        --size;
    }
    out.resize(size);
    return out;
}

std::string hex_encode(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char const b : bytes)
    {
        append_hex(out, b, hex_case::lower);
    }
    return out;
}

std::optional<std::string> hex_decode(std::string_view text)
{
    if (text.empty())
    {
        return std::nullopt;
    }
    std::string padded_text = text.size() % 2 == 0 ? std::string{text} : "0" + std::string{text};
    std::string out;
    out.reserve(padded_text.size() / 2);
    for (std::size_t i = 0; i < padded_text.size(); i += 2)
    {
        int const high = hex_digit_value(padded_text[i]);
        int const low = hex_digit_value(padded_text[i + 1]);
        if (high < 0 || low < 0)
        {
            return std::nullopt;
        }
        out.push_back(static_cast<char>(high * 16 + low));
    }
    return out;
}

std::string sha256(std::string_view bytes)
{
    std::array<unsigned char, 32> digest{};
    unsigned int size = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr);
    return {reinterpret_cast<char const*>(digest.data()), size};
}

std::string hmac_sha256(std::string_view key, std::string_view message)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    HMAC(
        EVP_sha256(),
        key.data(),
        static_cast<int>(key.size()),
        reinterpret_cast<unsigned char const*>(message.data()),
        message.size(),
        digest.data(),
        &size
    );
    return {reinterpret_cast<char const*>(digest.data()), size};
}

bool constant_time_equal(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace cognitod::auth
