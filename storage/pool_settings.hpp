// A user pool's settings (the rest of the UserPool shape), parsed once and shared by its readers.
// Every request reads its pool; sharing the parsed value costs a pointer copy where copying the
// JSON (some 4 KB of it) and destroying it again was a fifth of a device read's work.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <utility>

namespace cognitod::storage
{

// Copies share one value, which nothing changes once it is shared: edit() gives the object a
// value of its own first. Thread-safe as std::shared_ptr<T const> is: each object is used by one
// thread at a time, and copies on other threads may keep reading the value after it is replaced.
class pool_settings
{
    // Empty stands for an empty object, so that a default pool allocates nothing.
    std::shared_ptr<nlohmann::json const> value_;

    static nlohmann::json const& empty_object()
    {
        static nlohmann::json const empty = nlohmann::json::object(); // NOLINT(cert-err58-cpp): {}
        return empty;
    }

public:
    pool_settings() = default;
    explicit pool_settings(nlohmann::json value)
        : value_(std::make_shared<nlohmann::json const>(std::move(value)))
    {
    }
    explicit pool_settings(std::shared_ptr<nlohmann::json const> value) noexcept
        : value_(std::move(value))
    {
    }

    // Replaces the whole value, as writers and tests build it.
    pool_settings& operator=(nlohmann::json value)
    {
        value_ = std::make_shared<nlohmann::json const>(std::move(value));
        return *this;
    }

    // Not noexcept: the first call makes the shared empty object, which allocates.
    nlohmann::json const& operator*() const { return value_ ? *value_ : empty_object(); }
    nlohmann::json const* operator->() const { return &**this; }

    // A value of this object's own to change, copied from the shared one on every call: take the
    // reference once for a batch of changes, and finish them before the object is copied. Other
    // copies keep the value they had.
    nlohmann::json& edit()
    {
        auto own = std::make_shared<nlohmann::json>(**this);
        auto& value = *own;
        value_ = std::move(own);
        return value;
    }
};

} // namespace cognitod::storage
