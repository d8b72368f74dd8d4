// One line per event on stderr. Thread-safe: each line is written with a single call.
#pragma once

#include "server/config.hpp"

#include <string_view>

namespace cognitod
{

class logger
{
    log_level level_;

public:
    explicit logger(log_level level) : level_(level) {}

    bool enabled(log_level level) const noexcept { return level >= level_; }
    void write(log_level level, std::string_view line) const;
};

} // namespace cognitod
