// Request-rate quotas as AWS applies them (--throttle aws): a token bucket per region and quota
// category (UserResourceRead, UserResourceUpdate, ...) at AWS's default rates, plus a read and a
// write bucket per user. Thread-safe: admit() and reset() take the limiter's own mutex, never the
// store's.
#pragma once

#include "server/ids.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cognitod
{

// The per-user buckets' names in the rate overrides, beside the AWS category names.
constexpr std::string_view per_user_read = "PerUserRead";
constexpr std::string_view per_user_write = "PerUserWrite";

// Every name --throttle-rates accepts, with its default requests per second.
std::vector<std::pair<std::string, double>> default_quota_rates();

// The quota category AWS files an operation under, or "" when it is in none.
std::string_view quota_category_of(std::string_view operation);

class throttle
{
    struct bucket
    {
        double tokens = 0;
        std::int64_t updated_ms = 0;
    };
    clock const& clock_;
    std::unordered_map<std::string, double> rates_; // category or per-user name → per second
    std::unordered_map<std::string, bucket> buckets_;
    std::mutex mutex_;

    double rate_of(std::string const& name) const;
    // The bucket, refilled up to now; a new one starts full.
    bucket& refilled(std::string const& key, double rate, std::int64_t now);

public:
    // overrides: (name, requests per second) pairs from the configuration; names are checked by
    // the caller against default_quota_rates().
    throttle(clock const& time, std::vector<std::pair<std::string, double>> const& overrides);

    // Takes one request from the operation's category bucket and its user's bucket, or throws
    // TooManyRequestsException `Rate exceeded` and takes nothing.
    void admit(std::string_view operation, std::string_view region, nlohmann::json const& input);

    // Refills every bucket (POST /_cognitod/reset).
    void reset();
};

} // namespace cognitod
