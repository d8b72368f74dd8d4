// Request bodies built from the model: any operation's input, with every choice taken from a
// `choices` source. operation_fuzzer steers the choices with its bytes, among valid-ish members,
// unknown members, nulls, empty containers, wrong types, arbitrary text and values nested up to
// 100,000 deep; a test that takes the first option everywhere gets a plausible body instead: the
// required members, filled from the world where it names them (pool ids, usernames, tokens) and
// from their shapes elsewhere. Each body is mostly plausible, with one value in 16 to one in 2
// odd, so that the odd ones reach the handler past the others. The body is written as text, never
// built as a nlohmann::json: a deep value would overflow the stack in the writer itself.
// Any change to the order or number of choices changes what operation_fuzzer's corpus inputs mean.
#pragma once

#include "schema/service_model.hpp"
#include "server/auth/encoding.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cognitod::fuzzing
{

// Where the writer's choices come from.
class choices
{
public:
    choices() = default;
    choices(choices const&) = delete;
    choices& operator=(choices const&) = delete;
    choices(choices&&) = delete;
    choices& operator=(choices&&) = delete;
    virtual ~choices() = default;

    // A number in [0, n), n > 0. 0 is always the plausible option.
    virtual std::size_t pick(std::size_t n) = 0;
    // Arbitrary bytes, at most max_bytes of them (invalid UTF-8 included).
    virtual std::string text(std::size_t max_bytes) = 0;
};

// The plausible option everywhere: required members only, each with its plausible value.
class first_choices final : public choices
{
public:
    std::size_t pick(std::size_t /*n*/) override { return 0; }
    std::string text(std::size_t /*max_bytes*/) override { return {}; }
};

// Values the world holds, by member name: "Operation.Member" is looked up before "Member", and
// then the name of the member's shape ("ArnType"). The first of each list is the plausible one.
using known_values = std::map<std::string, std::vector<nlohmann::json>, std::less<>>;

// What a member's value is made of; plausible first.
enum class value_kind : std::size_t
{
    plausible,
    null,
    empty_object,
    empty_array,
    nulls, // the shape with every member, element or entry null
    wrong_type,
    deep, // arrays or objects nested 1 to 100,000 deep
    text, // a string of arbitrary bytes
    count,
};

class body_writer
{
    known_values const& known_;
    choices& choose_;
    std::string operation_;
    std::string out_;
    // One value in this many is not plausible. A call refused for one member never reaches the
    // handler with the others, so each call picks how strange it is: 1 in 16 to 1 in 2.
    std::size_t odd_one_in_ = 16;

    // Past this many structures, lists and maps the model's shapes are not followed further (the
    // model's deepest input nests 4).
    static constexpr int max_shape_depth = 8;

    // A value the world holds for the member (or, failing that, for its shape), or null: then
    // the value is built from the shape, as it is now and then anyway, as often as values are odd.
    nlohmann::json const* known(std::string_view member, schema::shape const& at)
    {
        auto found = known_.end();
        if (!member.empty())
        {
            found = known_.find(operation_ + "." + std::string{member});
            if (found == known_.end())
            {
                found = known_.find(member);
            }
        }
        if (found == known_.end())
        {
            found = known_.find(at.name);
        }
        if (found == known_.end() || found->second.empty() || choose_.pick(odd_one_in_) == 1)
        {
            return nullptr;
        }
        return &found->second.at(choose_.pick(found->second.size()));
    }

    void write_string(std::string_view text)
    {
        out_ += '"';
        for (char const c : text)
        {
            auto const byte = static_cast<unsigned char>(c);
            if (c == '"' || c == '\\')
            {
                out_ += '\\';
                out_ += c;
            }
            else if (byte < 0x20U)
            {
                out_ += "\\u00";
                auth::append_hex(out_, byte, auth::hex_case::lower);
            }
            else
            {
                out_ += c; // bytes over 0x7F as they are: invalid UTF-8 is the parser's to refuse
            }
        }
        out_ += '"';
    }

    void write_deep()
    {
        // Around the readers' limits (the fast reader's 64, the bound's 100) and far past them.
        static constexpr std::array<std::size_t, 16> depths{
            2,
            1,
            10,
            63,
            64,
            65,
            99,
            100,
            101,
            1'000,
            10'000,
            30'000,
            60'000,
            100'000,
            100'000,
            100'000};
        auto const depth = depths.at(choose_.pick(depths.size()));
        bool const arrays = choose_.pick(2) == 0;
        out_.reserve(out_.size() + depth * 6 + 2);
        for (std::size_t i = 0; i < depth; ++i)
        {
            out_ += arrays ? "[" : R"({"a":)";
        }
        out_ += arrays ? "" : "1";
        out_.append(depth, arrays ? ']' : '}');
    }

    void write_nulls(schema::shape const& at, int depth)
    {
        if (depth > max_shape_depth)
        {
            out_ += "null";
        }
        else if (at.type == "structure")
        {
            out_ += '{';
            bool first = true;
            for (auto const& [name, member] : at.members)
            {
                out_ += first ? "" : ",";
                first = false;
                write_string(name);
                out_ += ":null";
            }
            out_ += '}';
        }
        else if (at.type == "list")
        {
            out_ += '[';
            write_nulls(*at.member, depth + 1);
            out_ += ']';
        }
        else if (at.type == "map")
        {
            out_ += R"({"key":)";
            write_nulls(*at.value, depth + 1);
            out_ += '}';
        }
        else
        {
            out_ += "null";
        }
    }

    void write_wrong_type(schema::shape const& at)
    {
        if (at.type == "structure" || at.type == "map")
        {
            out_ += "[1]";
        }
        else if (at.type == "list")
        {
            out_ += R"({"a":1})";
        }
        else if (at.type == "string" || at.type == "blob")
        {
            out_ += choose_.pick(2) == 0 ? "1" : "true";
        }
        else
        {
            out_ += choose_.pick(2) == 0 ? R"("1")" : "{}";
        }
    }

    // A member no shape has: what a newer SDK or a hostile client may send. Its value is anything.
    void write_unknown_member(bool& first, int depth)
    {
        static constexpr std::array<std::string_view, 4> names{"Unknown", "", "__type", "Extra"};
        out_ += first ? "" : ",";
        first = false;
        write_string(names.at(choose_.pick(names.size())));
        out_ += ':';
        switch (choose_.pick(6))
        {
        case 0:
            write_deep();
            break;
        case 1:
            out_ += "null";
            break;
        case 2:
            write_string(choose_.text(64));
            break;
        case 3:
            out_ += "12345678901234567890.5e3";
            break;
        case 4:
            if (depth < max_shape_depth)
            {
                // An object of unknown members, each with its own choices.
                out_ += '{';
                bool inner_first = true;
                write_unknown_member(inner_first, depth + 1);
                out_ += '}';
                break;
            }
            [[fallthrough]];
        default:
            out_ += "[]";
            break;
        }
    }

    void write_structure(schema::shape const& at, int depth)
    {
        out_ += '{';
        bool first = true;
        for (auto const& [name, member] : at.members)
        {
            bool const required =
                std::find(at.required.begin(), at.required.end(), name) != at.required.end();
            if (!required && choose_.pick(2) == 0)
            {
                continue;
            }
            out_ += first ? "" : ",";
            first = false;
            write_string(name);
            out_ += ':';
            write_value(*member, name, depth + 1);
        }
        while (choose_.pick(4) == 1)
        {
            write_unknown_member(first, depth + 1);
        }
        out_ += '}';
    }

    void write_scalar(schema::shape const& at)
    {
        if (at.type == "string")
        {
            if (!at.enum_values.empty())
            {
                write_string(at.enum_values.at(choose_.pick(at.enum_values.size())));
                return;
            }
            auto const length =
                static_cast<std::size_t>(std::max<std::int64_t>(at.min.value_or(1), 1));
            write_string(std::string(length, 'x'));
        }
        else if (at.type == "integer" || at.type == "long")
        {
            std::array<std::int64_t, 4> const candidates{
                at.min.value_or(1), at.max.value_or(1), 0, -1};
            out_ += std::to_string(candidates.at(choose_.pick(candidates.size())));
        }
        else if (at.type == "boolean")
        {
            out_ += choose_.pick(2) == 0 ? "true" : "false";
        }
        else if (at.type == "blob")
        {
            out_ += R"("AAAA")";
        }
        else // timestamp, double
        {
            out_ += choose_.pick(2) == 0 ? "1715100742.022" : "-1e309";
        }
    }

    void write_plausible(schema::shape const& at, std::string_view member, int depth)
    {
        if (auto const* value = known(member, at))
        {
            out_ += value->dump();
            return;
        }
        if (depth > max_shape_depth)
        {
            out_ += "null";
        }
        else if (at.type == "structure")
        {
            write_structure(at, depth);
        }
        else if (at.type == "list")
        {
            auto count = static_cast<std::size_t>(at.min.value_or(0)) + choose_.pick(3);
            count = std::min(count, static_cast<std::size_t>(at.max.value_or(2)));
            out_ += '[';
            for (std::size_t i = 0; i < count; ++i)
            {
                out_ += i == 0 ? "" : ",";
                write_value(*at.member, {}, depth + 1);
            }
            out_ += ']';
        }
        else if (at.type == "map")
        {
            auto const count = choose_.pick(3);
            out_ += '{';
            for (std::size_t i = 0; i < count; ++i)
            {
                out_ += i == 0 ? "" : ",";
                auto const key_start = out_.size();
                write_scalar(*at.key);
                if (out_[key_start] != '"')
                {
                    out_.resize(key_start); // a key is a string whatever its shape says
                    write_string("key");
                }
                out_ += ':';
                write_value(*at.value, {}, depth + 1);
            }
            out_ += '}';
        }
        else
        {
            write_scalar(at);
        }
    }

public:
    body_writer(known_values const& known, choices& choose) : known_(known), choose_(choose) {}

    // A value of at, for the member of that name ("" for list elements and map values).
    void write_value(schema::shape const& at, std::string_view member, int depth = 0)
    {
        constexpr auto kinds = static_cast<std::size_t>(value_kind::count);
        auto const kind = choose_.pick(odd_one_in_) == 1 ? 1 + choose_.pick(kinds - 1) : 0;
        switch (static_cast<value_kind>(kind))
        {
        case value_kind::plausible:
        case value_kind::count:
            write_plausible(at, member, depth);
            break;
        case value_kind::null:
            out_ += "null";
            break;
        case value_kind::empty_object:
            out_ += "{}";
            break;
        case value_kind::empty_array:
            out_ += "[]";
            break;
        case value_kind::nulls:
            write_nulls(at, depth);
            break;
        case value_kind::wrong_type:
            write_wrong_type(at);
            break;
        case value_kind::deep:
            write_deep();
            break;
        case value_kind::text:
            write_string(choose_.text(256));
            break;
        }
    }

    // The body of a call to op.
    std::string body(schema::operation_model const& op)
    {
        operation_ = op.name;
        odd_one_in_ = std::size_t{16} >> choose_.pick(4);
        out_.clear();
        if (op.input == nullptr)
        {
            out_ = "{}";
        }
        else
        {
            write_structure(*op.input, 0);
        }
        return std::move(out_);
    }

    // A plausible value (with the choices' say) of the member of op's input named member.
    std::string value(schema::operation_model const& op, std::string_view member)
    {
        operation_ = op.name;
        out_.clear();
        auto const* at = op.input == nullptr ? nullptr : op.input->find_member(member);
        if (at == nullptr)
        {
            return "null";
        }
        write_plausible(*at, member, 1);
        return std::move(out_);
    }

    // The text of a value of at in which every member, element or entry is null.
    std::string nulls(schema::shape const& at)
    {
        out_.clear();
        write_nulls(at, 1);
        return std::move(out_);
    }
};

} // namespace cognitod::fuzzing
