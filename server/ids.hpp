// Sources of time and identifiers, injected so that tests can fix them.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace cognitod
{

class clock
{
public:
    virtual ~clock() = default;
    // Milliseconds since the Unix epoch.
    virtual std::int64_t now_ms() const = 0;
};

class system_clock final : public clock
{
public:
    std::int64_t now_ms() const override;
};

// Thread-safe: one instance serves every connection.
class id_source
{
public:
    virtual ~id_source() = default;
    // A random (version 4) UUID in lower-case 8-4-4-4-12 form.
    virtual std::string uuid() = 0;
    // n characters from [0-9a-zA-Z] (pool id suffixes).
    virtual std::string alphanumeric(std::size_t n) = 0;
    // n characters from [0-9a-z] (app client ids).
    virtual std::string lower_alphanumeric(std::size_t n) = 0;
    // n random bytes (salts, keys).
    virtual std::string bytes(std::size_t n) = 0;
};

// Cryptographically random ids from OpenSSL.
class random_ids final : public id_source
{
public:
    std::string uuid() override;
    std::string alphanumeric(std::size_t n) override;
    std::string lower_alphanumeric(std::size_t n) override;
    std::string bytes(std::size_t n) override;
};

// Predictable ids for tests: counters rendered in each format.
class counting_ids final : public id_source
{
    std::atomic<std::uint64_t> next_{1};

public:
    std::string uuid() override;
    std::string alphanumeric(std::size_t n) override;
    std::string lower_alphanumeric(std::size_t n) override;
    std::string bytes(std::size_t n) override;
};

} // namespace cognitod
