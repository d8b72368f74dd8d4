#include "server/json_read.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <string>

namespace
{

using cognitod::identical;
using cognitod::parse_common_json;
using nlohmann::json;

// Whatever the fast reader returns must be what nlohmann::json::parse returns.
void expect_agrees_with_nlohmann(std::string const& text)
{
    auto const common = parse_common_json(text);
    if (!common)
    {
        return;
    }
    auto const full = json::parse(text, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(full.is_discarded()) << "read text nlohmann refuses: " << text;
    EXPECT_TRUE(identical(*common, full)) << text << "\nread as " << common->dump();
}

TEST(json_read, reads_request_bodies_as_nlohmann_does)
{
    std::string const texts[] = {
        R"({"UserPoolId":"us-east-1_BenchPool1","Username":"user00000001",)"
        R"("DeviceKey":"us-east-1_d0000000-0000-4000-8000-000000000059"})",
        R"({})",
        " \r\n\t{ \"a\" : [ 1 , -2 , 0 , -0 , true , false , null , { } , [ ] ] } \n",
        R"({"Limit":60,"PaginationToken":null,"Attrs":[{"Name":"email","Value":"a@b.c"}]})",
        R"({"escapes":"q\" b\\ s\/ \b\f\n\r\t end","":""})",
        R"({"a":1,"b":2,"a":3})",
        R"({"big":999999999999999999,"small":-999999999999999999})",
        R"(["top", "level", "array"])",
        R"("a string")",
        "7",
        "null",
        std::string(64, '[') + std::string(64, ']'),
    };
    for (auto const& text : texts)
    {
        auto const common = parse_common_json(text);
        ASSERT_TRUE(common) << "not read: " << text;
        EXPECT_TRUE(identical(*common, json::parse(text)))
            << text << "\nread as " << common->dump();
    }
    EXPECT_EQ(parse_common_json(R"({"a":1,"b":2,"a":3})")->at("a"), 3);
    EXPECT_TRUE(parse_common_json("5")->is_number_unsigned());
    EXPECT_TRUE(parse_common_json("-5")->is_number_integer());
    EXPECT_FALSE(parse_common_json("-5")->is_number_unsigned());
}

TEST(json_read, leaves_everything_outside_its_subset_to_nlohmann)
{
    std::string const texts[] = {
        // Valid JSON it does not read.
        R"({"a":1.5})",
        R"({"a":1e3})",
        R"({"a":1E3})",
        R"({"a":1234567890123456789})",
        R"({"a":"\u00e9"})",
        "{\"a\":\"\xc3\xa9\"}",
        "{\"\xc3\xa9\":1}",
        "\xef\xbb\xbf{}",
        std::string(65, '[') + std::string(65, ']'),
        // Not JSON at all.
        "",
        " ",
        "{",
        "}",
        R"({"a":})",
        R"({"a":1,})",
        R"([1,])",
        R"({"a" 1})",
        R"({a:1})",
        R"({"a":1}})",
        R"({"a":1} x)",
        R"({"a":01})",
        R"({"a":-})",
        R"({"a":tru})",
        R"({"a":nul})",
        R"({"a":"\x"})",
        R"({"a":"unterminated})",
        R"({"a":"ends in a backslash\)",
        "{\"a\":\"tab\there\"}",
        std::string("{\"a\":\"nul\0\"}", 11),
        R"({'a':1})",
    };
    for (auto const& text : texts)
    {
        EXPECT_FALSE(parse_common_json(text)) << "read: " << text;
    }
}

// Random texts from a small JSON grammar, then the same texts with one byte inserted, removed or
// changed: the reader must either give up or agree with nlohmann exactly.
class text_maker
{
    std::mt19937 random_;

    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(random_); }

    std::string string()
    {
        static std::string const pieces[] = {
            "a",
            "Z",
            "0",
            " ",
            "_",
            "-",
            "\\\"",
            "\\\\",
            "\\/",
            "\\n",
            "\\t",
            "\\u0041",
            "\xc3\xa9",
            "\x7f",
            ":",
            ",",
            "{",
            "]",
        };
        std::string out = "\"";
        for (int i = pick(6); i > 0; --i)
        {
            out += pieces[pick(std::size(pieces))];
        }
        return out + "\"";
    }

    std::string number()
    {
        static std::string const numbers[] = {
            "0",
            "-0",
            "7",
            "-7",
            "123456789012345678",
            "-123456789012345678",
            "1234567890123456789",
            "18446744073709551615",
            "18446744073709551616",
            "1.5",
            "-2e3",
            "00",
            "-",
            "1.",
            ".5",
        };
        return numbers[pick(std::size(numbers))];
    }

    std::string space()
    {
        static std::string const spaces[] = {"", "", "", " ", "\n", "\t", "\r\n "};
        return spaces[pick(std::size(spaces))];
    }

public:
    explicit text_maker(unsigned seed) : random_(seed) {}

    std::string value(int depth)
    {
        switch (depth > 4 ? pick(5) : pick(7))
        {
        case 0:
            return string();
        case 1:
            return number();
        case 2:
            return "true";
        case 3:
            return "false";
        case 4:
            return "null";
        case 5:
        {
            std::string out = "{" + space();
            for (int i = pick(4); i > 0; --i)
            {
                out += string() + space() + ":" + space() + value(depth + 1) + space();
                out += i > 1 ? "," + space() : "";
            }
            return out + "}";
        }
        default:
        {
            std::string out = "[" + space();
            for (int i = pick(4); i > 0; --i)
            {
                out += value(depth + 1) + space() + (i > 1 ? "," + space() : "");
            }
            return out + "]";
        }
        }
    }

    std::string mutate(std::string text)
    {
        static std::string const bytes = "{}[],:\" \\0-1.eatfn\x01\x80";
        auto const at = static_cast<std::size_t>(pick(static_cast<int>(text.size()) + 1));
        char const c = bytes[pick(static_cast<int>(bytes.size()))];
        switch (pick(3))
        {
        case 0:
            text.insert(at, 1, c);
            break;
        case 1:
            if (at < text.size())
            {
                text.erase(at, 1);
            }
            break;
        default:
            if (at < text.size())
            {
                text[at] = c;
            }
        }
        return text;
    }
};

TEST(json_read, agrees_with_nlohmann_on_random_and_broken_texts)
{
    text_maker make{11};
    int read = 0;
    for (int i = 0; i < 4000; ++i)
    {
        auto const text = make.value(0);
        expect_agrees_with_nlohmann(text);
        read += parse_common_json(text) ? 1 : 0;
        for (int m = 0; m < 4; ++m)
        {
            expect_agrees_with_nlohmann(make.mutate(text));
        }
    }
    // The grammar mostly stays inside the subset, so most texts take the fast path.
    EXPECT_GT(read, 1000);
}

} // namespace

// The bound counts the brackets of arrays and objects, never those inside strings.
TEST(json_read, counts_nesting_outside_strings_only)
{
    using cognitod::nested_deeper_than;
    EXPECT_FALSE(nested_deeper_than(R"({"a":[1,{"b":[]}]})", 4));
    EXPECT_TRUE(nested_deeper_than(R"({"a":[1,{"b":[]}]})", 3));
    EXPECT_FALSE(nested_deeper_than(R"({"a":"[[[[{{{{"})", 1));
    EXPECT_FALSE(nested_deeper_than(R"({"a":"\"[[[[", "b":"\\"})", 1));
    EXPECT_TRUE(nested_deeper_than(R"({"a":"\\", "b":[[]]})", 2));
    EXPECT_FALSE(nested_deeper_than("[]]]][]", 1));
    EXPECT_FALSE(nested_deeper_than("", 0));
}

TEST(json_read, reads_client_json_nested_to_the_limit_and_no_deeper)
{
    using cognitod::client_json;
    using cognitod::max_json_depth;
    using cognitod::read_client_json;
    auto const arrays = [](std::size_t depth)
    { return std::string(depth, '[') + std::string(depth, ']'); };
    auto const objects = [](std::size_t depth)
    {
        std::string text = "{}";
        for (std::size_t i = 1; i < depth; ++i)
        {
            text = R"({"a":)" + text + "}";
        }
        return text;
    };
    for (auto const& nested : {std::function<std::string(std::size_t)>{arrays}, {objects}})
    {
        auto const at_limit = nested(max_json_depth);
        auto const read = read_client_json(at_limit);
        EXPECT_EQ(read.result, client_json::outcome::read) << at_limit;
        EXPECT_TRUE(identical(read.value, json::parse(at_limit))) << at_limit;
        auto const over = read_client_json(nested(max_json_depth + 1));
        EXPECT_EQ(over.result, client_json::outcome::too_deep) << at_limit;
        EXPECT_TRUE(over.value.is_discarded());
    }
    EXPECT_EQ(read_client_json(R"({"a":)").result, client_json::outcome::not_json);
    EXPECT_EQ(read_client_json(R"({"a":1.5})").value, json({{"a", 1.5}}));
    // Deep text is refused whether or not it is JSON.
    EXPECT_EQ(read_client_json(std::string(200'000, '[')).result, client_json::outcome::too_deep);
}

TEST(json_read, drops_null_members_at_every_depth_and_keeps_null_elements)
{
    auto value = json::parse(R"({"a":null,"b":{"c":null,"d":1,"e":{"f":null}},)"
                             R"("g":[null,{"h":null,"i":[null]}],"j":"null"})");
    cognitod::drop_null_members(value);
    EXPECT_EQ(value, json::parse(R"({"b":{"d":1,"e":{}},"g":[null,{"i":[null]}],"j":"null"})"));
    json top = nullptr;
    cognitod::drop_null_members(top);
    EXPECT_TRUE(top.is_null());
}
