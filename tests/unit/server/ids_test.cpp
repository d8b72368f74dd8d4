#include "server/ids.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace
{

bool is_uuid_v4(std::string const& text)
{
    static std::regex const uuid{
        "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"};
    return std::regex_match(text, uuid);
}

} // namespace

TEST(counting_ids, pads_the_counter_to_the_requested_width)
{
    cognitod::counting_ids ids;
    EXPECT_EQ(ids.alphanumeric(9), "000000001");
    EXPECT_EQ(ids.lower_alphanumeric(26), std::string(25, '0') + "2");
}

TEST(counting_ids, renders_uuids_in_version_4_layout)
{
    cognitod::counting_ids ids;
    auto const id = ids.uuid();
    EXPECT_EQ(id, "00000000-0000-4000-8000-000000000001");
    EXPECT_TRUE(is_uuid_v4(id));
}

TEST(counting_ids, never_repeats_across_formats)
{
    cognitod::counting_ids ids;
    EXPECT_EQ(ids.uuid(), "00000000-0000-4000-8000-000000000001");
    EXPECT_EQ(ids.alphanumeric(3), "002");
    EXPECT_EQ(ids.bytes(2), std::string(2, '\x03'));
}

TEST(random_ids, makes_version_4_uuids)
{
    cognitod::random_ids ids;
    for (int i = 0; i < 20; ++i)
    {
        auto const id = ids.uuid();
        EXPECT_TRUE(is_uuid_v4(id)) << id;
    }
}

TEST(random_ids, draws_from_the_requested_alphabets)
{
    cognitod::random_ids ids;
    auto const mixed = ids.alphanumeric(200);
    auto const lower = ids.lower_alphanumeric(200);
    EXPECT_EQ(mixed.size(), 200U);
    EXPECT_EQ(lower.size(), 200U);
    EXPECT_TRUE(std::regex_match(mixed, std::regex{"[0-9a-zA-Z]+"})) << mixed;
    EXPECT_TRUE(std::regex_match(lower, std::regex{"[0-9a-z]+"})) << lower;
}

TEST(random_ids, does_not_repeat_itself)
{
    cognitod::random_ids ids;
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i)
    {
        seen.insert(ids.alphanumeric(9));
    }
    EXPECT_EQ(seen.size(), 100U);
    EXPECT_EQ(ids.bytes(16).size(), 16U);
}

TEST(random_ids, never_hands_out_the_same_bytes_twice_across_threads_and_sizes)
{
    // Small draws come from a per-thread block refilled from OpenSSL; large ones do not. Ids of
    // every size drawn on several threads at once must all differ (16 random bytes colliding by
    // chance is out of reach, so any repeat would be a buffer handed out twice).
    cognitod::random_ids ids;
    std::mutex mutex;
    std::set<std::string> seen;
    std::size_t drawn = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
    {
        threads.emplace_back(
            [&]
            {
                std::vector<std::string> mine;
                for (int i = 0; i < 2000; ++i)
                {
                    mine.push_back(ids.uuid());
                    mine.push_back(ids.bytes(16 + static_cast<std::size_t>(i % 3) * 100));
                }
                std::lock_guard const lock(mutex);
                drawn += mine.size();
                seen.insert(mine.begin(), mine.end());
            }
        );
    }
    for (auto& thread : threads)
    {
        thread.join();
    }
    EXPECT_EQ(seen.size(), drawn);
    EXPECT_EQ(ids.bytes(0).size(), 0U);
    EXPECT_EQ(ids.bytes(1000).size(), 1000U);
}
