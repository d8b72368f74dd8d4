// Sources of time and identifiers, injected so that tests can fix them.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

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

// The time of cognitod's state: base's, moved forward by POST /_cognitod/clock, so that a test
// sees codes, sessions and tokens expire without waiting. Only what the state's rules read uses
// it; a request's signature date, the Date header and the rate buckets keep the real time.
// Thread-safe.
class shifted_clock final : public clock
{
    clock const& base_;
    std::atomic<std::int64_t> offset_ms_{0};

public:
    explicit shifted_clock(clock const& base) : base_(base) {}
    std::int64_t now_ms() const override { return base_.now_ms() + offset_ms_.load(); }
    std::int64_t offset_ms() const noexcept { return offset_ms_.load(); }
    void advance(std::int64_t ms) noexcept { offset_ms_ += ms; }
    // Back to base's time.
    void restore() noexcept { offset_ms_ = 0; }
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

// The ids of a call that runs again (the dispatcher runs it once more when a trigger's answer or a
// pool's signing keys have come): after rewind(), a run draws the ids the runs before it drew, in
// the same order, so what it builds from them (a new user's sub, and the events that carry it) is
// what they built; what it draws beyond them is new. One per call, on the call's thread.
class replayed_ids final : public id_source
{
    id_source& source_;
    std::vector<std::pair<std::string, std::string>> drawn_; // (what was asked, the id)
    std::size_t next_ = 0;

    template <class Make> std::string draw(std::string asked, Make&& make);

public:
    explicit replayed_ids(id_source& source) : source_(source) {}
    void rewind() { next_ = 0; }
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
