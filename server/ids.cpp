#include "server/ids.hpp"

#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string_view>

namespace cognitod
{

namespace
{

std::string random_bytes(std::size_t n)
{
    std::string out(n, '\0');
    if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
    {
        throw std::runtime_error("RAND_bytes failed");
    }
    return out;
}

// Maps random bytes onto an alphabet without modulo bias (rejection sampling).
std::string random_from(std::string_view alphabet, std::size_t n)
{
    auto const limit = 256 - (256 % alphabet.size());
    std::string out;
    out.reserve(n);
    while (out.size() < n)
    {
        for (unsigned char byte : random_bytes(n * 2))
        {
            if (byte < limit && out.size() < n)
            {
                out.push_back(alphabet[byte % alphabet.size()]);
            }
        }
    }
    return out;
}

std::string format_uuid(std::array<unsigned char, 16> b)
{
    std::array<char, 37> text{};
    std::snprintf(
        text.data(),
        text.size(),
        "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
        b[0],
        b[1],
        b[2],
        b[3],
        b[4],
        b[5],
        b[6],
        b[7],
        b[8],
        b[9],
        b[10],
        b[11],
        b[12],
        b[13],
        b[14],
        b[15]
    );
    return {text.data(), 36};
}

constexpr std::string_view alnum = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::string_view lower_alnum = "0123456789abcdefghijklmnopqrstuvwxyz";

std::string padded(std::uint64_t value, std::size_t n)
{
    std::string digits = std::to_string(value);
    if (digits.size() >= n)
    {
        return digits.substr(digits.size() - n);
    }
    return std::string(n - digits.size(), '0') + digits;
}

} // namespace

std::int64_t system_clock::now_ms() const
{
    using std::chrono::duration_cast;
    using std::chrono::milliseconds;
    return duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string random_ids::uuid()
{
    std::array<unsigned char, 16> b{};
    auto const raw = random_bytes(b.size());
    std::copy(raw.begin(), raw.end(), b.begin());
    b[6] = static_cast<unsigned char>((b[6] & 0x0fU) | 0x40U); // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3fU) | 0x80U); // RFC 4122 variant
    return format_uuid(b);
}

std::string random_ids::alphanumeric(std::size_t n)
{
    return random_from(alnum, n);
}
std::string random_ids::lower_alphanumeric(std::size_t n)
{
    return random_from(lower_alnum, n);
}
std::string random_ids::bytes(std::size_t n)
{
    return random_bytes(n);
}

std::string counting_ids::uuid()
{
    // A valid version 4 layout whose last group counts: 00000000-0000-4000-8000-000000000001.
    return "00000000-0000-4000-8000-" + padded(next_++, 12);
}

std::string counting_ids::alphanumeric(std::size_t n)
{
    return padded(next_++, n);
}
std::string counting_ids::lower_alphanumeric(std::size_t n)
{
    return padded(next_++, n);
}
std::string counting_ids::bytes(std::size_t n)
{
    return std::string(n, static_cast<char>(next_++));
}

} // namespace cognitod
