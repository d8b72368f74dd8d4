#include "server/logger.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace cognitod
{

void logger::write(log_level level, std::string_view line) const
{
    if (!enabled(level))
    {
        return;
    }
    auto const now = std::chrono::system_clock::now();
    auto const seconds = std::chrono::system_clock::to_time_t(now);
    auto const millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::array<char, 32> stamp{};
    auto const n = std::strftime(stamp.data(), stamp.size(), "%Y-%m-%dT%H:%M:%S", &utc);
    std::string text;
    text.reserve(line.size() + 48);
    text.append(stamp.data(), n);
    text += '.';
    text += static_cast<char>('0' + millis / 100);
    text += static_cast<char>('0' + millis / 10 % 10);
    text += static_cast<char>('0' + millis % 10);
    text += "Z ";
    text += to_string(level);
    text += ' ';
    text += line;
    text += '\n';
    // One fwrite per line keeps lines from different threads whole.
    std::fwrite(text.data(), 1, text.size(), stderr);
}

} // namespace cognitod
