#include "schema/pattern.hpp"
#include "unit/schema/schema_helpers.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace
{

using cognitod::schema::pattern;

constexpr char const* user_pool_id = R"([\w-]+_[0-9a-zA-Z]+)";
constexpr char const* printable = R"([\p{L}\p{M}\p{S}\p{N}\p{P}]+)";

// Every distinct pattern in the embedded model, read straight from the JSON so a pattern the
// parser skipped would still be caught.
std::set<std::string> model_patterns()
{
    auto const model = nlohmann::json::parse(cognitod::schema::embedded_model_json());
    std::set<std::string> patterns;
    for (auto const& [name, shape] : model.at("shapes").items())
    {
        if (shape.contains("pattern"))
        {
            patterns.insert(shape.at("pattern").get<std::string>());
        }
    }
    return patterns;
}

} // namespace

TEST(pattern, compiles_every_distinct_pattern_in_the_model)
{
    auto const patterns = model_patterns();
    EXPECT_GE(patterns.size(), 35u);
    for (auto const& text : patterns)
    {
        EXPECT_NO_THROW(pattern{text}) << text;
    }
}

TEST(pattern, keeps_the_text_as_the_model_spells_it)
{
    EXPECT_EQ(pattern(user_pool_id).text(), R"([\w-]+_[0-9a-zA-Z]+)");
}

TEST(pattern, accepts_a_real_user_pool_id)
{
    EXPECT_TRUE(pattern(user_pool_id).matches("us-east-1_aB3dE5gH7"));
}

TEST(pattern, rejects_a_user_pool_id_with_a_space)
{
    EXPECT_FALSE(pattern(user_pool_id).matches("x y"));
}

TEST(pattern, rejects_an_embedded_or_trailing_newline)
{
    pattern const id(user_pool_id);
    EXPECT_FALSE(id.matches("us-east-1_ab\ncd"));
    EXPECT_FALSE(id.matches("us-east-1_abcd\n"));
}

TEST(pattern, requires_the_match_to_reach_the_end_of_the_value)
{
    // PCRE2 10.42's DFA matcher reports "0_e" here despite end-anchoring.
    pattern const device_key(R"([\w-]+_[0-9a-f-]+)");
    EXPECT_FALSE(device_key.matches("0_english"));
    EXPECT_FALSE(device_key.matches("-_f-x"));
    EXPECT_TRUE(device_key.matches("us-east-1_0f3c-5b8e"));
}

TEST(pattern, rejects_a_pathological_value_without_catastrophic_backtracking)
{
    // A backtracking matcher needs over a minute for this; a linear one a few milliseconds.
    // EmailVerificationMessageByLinkType's pattern, 20,000 characters allowed.
    std::string const text_class = R"([\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*)";
    pattern const template_text(text_class + R"(\{##)" + text_class + R"(##\})" + text_class);
    std::string value;
    while (value.size() < 19990)
    {
        value += "{##a##}";
    }
    auto const start = std::chrono::steady_clock::now();
    EXPECT_TRUE(template_text.matches(value));
    EXPECT_FALSE(template_text.matches(value + "\x01"));
    // Generous: backtracking over 20,000 characters would take far longer than any slow machine.
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
}

TEST(pattern, matches_the_whole_value_only)
{
    pattern const digits("[0-9]+");
    EXPECT_TRUE(digits.matches("123"));
    EXPECT_FALSE(digits.matches("123a"));
    EXPECT_FALSE(digits.matches("a123"));
    EXPECT_FALSE(digits.matches(""));
}

TEST(pattern, dollar_does_not_accept_a_final_newline)
{
    // PCRE's $ also matches before a final newline; end-anchoring must still refuse it.
    EXPECT_FALSE(pattern("^[0-9a-fA-F]+$").matches("abc\n"));
}

TEST(pattern, unicode_letters_match_property_classes)
{
    pattern const letters(printable);
    EXPECT_TRUE(letters.matches("José"));
    EXPECT_TRUE(letters.matches("Jose\xCC\x81")); // e + combining acute accent (\p{M})
    EXPECT_TRUE(letters.matches("山田"));
    EXPECT_FALSE(letters.matches("José Ramos")); // a space is \p{Z}, not in the class
}

TEST(pattern, word_class_is_ascii_as_in_java)
{
    // Java's default \w is [a-zA-Z_0-9]; \p{L} is what takes other letters.
    EXPECT_FALSE(pattern(R"([\w]+)").matches("Ñandú"));
    EXPECT_TRUE(pattern(R"([\w]+)").matches("Nandu_42"));
    EXPECT_FALSE(pattern(R"([\w-]+_[0-9a-zA-Z]+)").matches("Café_abc"));
}

TEST(pattern, matches_a_null_byte_inside_the_value_as_a_character)
{
    EXPECT_FALSE(pattern("[0-9]+").matches(std::string_view(
        "12\0"
        "3",
        4
    )));
    EXPECT_TRUE(pattern("(?s).*").matches(std::string_view("a\0b", 3)));
}

TEST(pattern, empty_value_matches_a_pattern_that_allows_it)
{
    EXPECT_TRUE(pattern("(?s).*").matches(""));
    EXPECT_TRUE(pattern("(?s).*").matches(std::string_view()));
}

TEST(pattern, invalid_utf8_never_matches)
{
    pattern const anything("(?s).*");
    EXPECT_FALSE(anything.matches("\xFF"));
    EXPECT_FALSE(anything.matches("abc\xC3"));      // truncated sequence
    EXPECT_FALSE(anything.matches("\xC0\xAF"));     // overlong '/'
    EXPECT_FALSE(anything.matches("\xED\xA0\x80")); // UTF-16 surrogate
    EXPECT_FALSE(pattern(printable).matches("Jos\xE9"));
}

TEST(pattern, throws_invalid_argument_naming_an_invalid_pattern)
{
    try
    {
        pattern const broken("[a-");
        FAIL() << "compiled an invalid pattern";
    }
    catch (std::invalid_argument const& e)
    {
        EXPECT_NE(std::string(e.what()).find("[a-"), std::string::npos) << e.what();
    }
}

TEST(pattern, matches_from_several_threads_at_once)
{
    pattern const id(user_pool_id);
    std::atomic<int> wrong{0};
    constexpr int thread_count = 4;
    std::vector<std::thread> threads;
    threads.reserve(thread_count);
    for (int t = 0; t < thread_count; ++t)
    {
        threads.emplace_back(
            [&]
            {
                for (int i = 0; i < 2000; ++i)
                {
                    if (!id.matches("us-east-1_abc") || id.matches("x y"))
                    {
                        ++wrong;
                    }
                }
            }
        );
    }
    for (auto& thread : threads)
    {
        thread.join();
    }
    EXPECT_EQ(wrong.load(), 0);
}

TEST(pattern, both_matchers_agree_on_every_model_pattern)
{
    // matches() answers with the JIT when it can and falls back to the linear-time matcher; the
    // answer must never depend on which one ran. Values mix the characters the model's patterns
    // care about: word characters, separators, property classes, whitespace, braces, invalid UTF-8.
    std::vector<std::string> const pieces{
        "a",  "Z",    "0",    "9",         "_",  "-",   ".",   "@",          ":",      "/",
        "+",  "=",    " ",    "\t",        "\n", "{##", "##}", "{username}", "{####}", "é",
        "日", "🙂", "\xff", "us-east-1", "f",  "[",   "*",   "%",          "\\",
    };
    std::mt19937 random(11);
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
    std::uniform_int_distribution<int> length(0, 12);
    std::size_t matched = 0;
    for (auto const& text : model_patterns())
    {
        pattern const p(text);
        for (int i = 0; i < 400; ++i)
        {
            std::string value;
            for (int n = length(random); n > 0; --n)
            {
                value += pieces[pick(random)];
            }
            bool const answer = p.matches(value);
            ASSERT_EQ(answer, p.matches_linearly(value)) << text << " on '" << value << "'";
            matched += answer ? 1 : 0;
        }
    }
    // The values are not all refused: both answers are exercised.
    EXPECT_GT(matched, 1000u);
}
