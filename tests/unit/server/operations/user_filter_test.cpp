#include "server/aws_error.hpp"
#include "server/operations/users/user_filter.hpp"

#include <gtest/gtest.h>

#include <string>

namespace
{

using cognitod::aws_error;
using cognitod::parse_user_filter;
using field = cognitod::storage::user_filter::field;

std::string parse_error_of(std::string const& text)
{
    try
    {
        parse_user_filter(text);
        ADD_FAILURE() << "parsed: " << text;
    }
    catch (aws_error const& e)
    {
        EXPECT_EQ(e.code(), "InvalidParameterException");
        return e.what();
    }
    return {};
}

} // namespace

TEST(parse_user_filter, an_empty_filter_means_no_filter)
{
    EXPECT_FALSE(parse_user_filter(""));
    EXPECT_FALSE(parse_user_filter("   "));
}

TEST(parse_user_filter, reads_an_exact_attribute_match)
{
    auto const f = parse_user_filter(R"(email = "alice@example.com")");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->what, field::attribute);
    EXPECT_EQ(f->attribute_name, "email");
    EXPECT_EQ(f->value, "alice@example.com");
    EXPECT_FALSE(f->prefix);
}

TEST(parse_user_filter, reads_a_prefix_match_without_spaces)
{
    auto const f = parse_user_filter(R"(family_name^="Red")");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->attribute_name, "family_name");
    EXPECT_EQ(f->value, "Red");
    EXPECT_TRUE(f->prefix);
}

TEST(parse_user_filter, unescapes_quotes_in_the_value)
{
    auto const f = parse_user_filter(R"(name = "say \"hi\"")");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->value, R"(say "hi")");
}

TEST(parse_user_filter, maps_the_special_names_to_their_fields)
{
    EXPECT_EQ(parse_user_filter(R"(username = "a")")->what, field::username);
    EXPECT_EQ(parse_user_filter(R"(sub = "a")")->what, field::sub);
    EXPECT_EQ(parse_user_filter(R"(status = "Enabled")")->what, field::enabled);
    EXPECT_EQ(parse_user_filter(R"(cognito:user_status = "a")")->what, field::user_status);
}

TEST(parse_user_filter, upper_cases_a_user_status_value)
{
    EXPECT_EQ(
        parse_user_filter(R"(cognito:user_status = "force_change_password")")->value,
        "FORCE_CHANGE_PASSWORD"
    );
}

TEST(parse_user_filter, refuses_an_unquoted_value)
{
    EXPECT_EQ(parse_error_of("email = bob"), "Error while parsing filter.");
}

TEST(parse_user_filter, refuses_an_unclosed_quote)
{
    EXPECT_EQ(parse_error_of(R"(email = "bob)"), "Error while parsing filter.");
}

TEST(parse_user_filter, refuses_text_after_the_value)
{
    EXPECT_EQ(parse_error_of(R"(email = "a" and name = "b")"), "Error while parsing filter.");
}

TEST(parse_user_filter, refuses_an_unknown_operator)
{
    EXPECT_EQ(parse_error_of(R"(email != "a")"), "Error while parsing filter.");
}

TEST(parse_user_filter, refuses_an_attribute_that_cannot_be_searched)
{
    EXPECT_EQ(parse_error_of(R"(custom:tier = "gold")"), "Error while parsing filter.");
}
