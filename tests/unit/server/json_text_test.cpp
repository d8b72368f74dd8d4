#include "server/json_text.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <string>

namespace
{

using nlohmann::json;

std::string dumped(json const& value)
{
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

TEST(json_text, writes_what_dump_writes_for_every_kind_of_value)
{
    json const values[] = {
        json::object(),
        json::array(),
        nullptr,
        true,
        false,
        0,
        -1,
        std::numeric_limits<std::int64_t>::min(),
        std::numeric_limits<std::uint64_t>::max(),
        1.7e9,
        1700000000.123,
        0.1,
        -0.0,
        "",
        "plain ascii",
        "quote \" and backslash \\",
        "controls \n\t\r\b\f \x01 \x1f and DEL \x7f",
        "UTF-8: é ü 日本 🙂",
        "invalid UTF-8: \xff\xfe and a cut sequence \xe6\x97",
        json::binary({1, 2, 3}),
        {{"b", 1}, {"a", {{"z", nullptr}, {"y", json::array({1, "x", 2.5})}}}, {"é", "\x80"}},
        json::parse(R"({"Device":{"DeviceKey":"us-east-1_d0","DeviceAttributes":[)"
                    R"({"Name":"device_status","Value":"valid"}],"DeviceCreateDate":1.7e9}})"),
    };
    for (auto const& value : values)
    {
        EXPECT_EQ(cognitod::json_text(value), dumped(value)) << dumped(value);
    }
}

TEST(json_text, agrees_with_dump_on_random_strings_and_keys)
{
    // Random bytes exercise every path: plain ASCII copied whole, escapes, UTF-8 and invalid
    // sequences left to nlohmann.
    std::mt19937 random(7);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> ascii(0x20, 0x7e);
    for (int i = 0; i < 2000; ++i)
    {
        std::string text;
        int const length = i % 40;
        for (int j = 0; j < length; ++j)
        {
            text.push_back(static_cast<char>(i % 2 == 0 ? ascii(random) : byte(random)));
        }
        json const value{{text, text}, {"list", json::array({text, i, -i})}};
        ASSERT_EQ(cognitod::json_text(value), dumped(value)) << dumped(value);
    }
}

TEST(json_text, writes_times_as_dump_does)
{
    // Answers carry times as epoch seconds with a millisecond fraction; they are written without
    // nlohmann's float path, so they are checked against it here: every millisecond of a few
    // stretches, random ones from 1970 to 5138, and values that are not whole milliseconds.
    auto check = [](double value)
    {
        json const v = value;
        ASSERT_EQ(cognitod::json_text(v), dumped(v)) << dumped(v);
    };
    for (std::int64_t start :
         {std::int64_t{0}, std::int64_t{1'715'100'742'000}, std::int64_t{99'999'999'990'000}})
    {
        for (std::int64_t ms = start; ms < start + 20'000; ++ms)
        {
            check(static_cast<double>(ms) / 1000.0);
        }
    }
    std::mt19937_64 random(11);
    std::uniform_int_distribution<std::int64_t> any_ms(0, 99'999'999'999'999);
    for (int i = 0; i < 200'000; ++i)
    {
        check(static_cast<double>(any_ms(random)) / 1000.0);
    }
    for (double value :
         {-0.0,
          -1.5,
          1e11,
          1e11 + 0.5,
          1.0000001,
          0.0001,
          1.5e-7,
          123.4567,
          1e300,
          std::numeric_limits<double>::denorm_min()})
    {
        check(value);
    }
}

} // namespace
