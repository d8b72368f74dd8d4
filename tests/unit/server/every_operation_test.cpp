// Every implemented operation, its members taken from the model, sent through app::handle into the
// fuzzers' signed-in world (fuzz/harness.hpp): what no operation may answer with a server error,
// and what every operation answers alike. Each call starts from the same database.
#include "fuzz/harness.hpp"
#include "fuzz/model_requests.hpp"
#include "schema/value_text.hpp"
#include "server/json_read.hpp"
#include "server/operations/operations.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace
{

using namespace cognitod::fuzzing;
using cognitod::schema::operation_model;
using cognitod::schema::shape;
using nlohmann::json;

struct model_world
{
    harness h{world::signed_in};
    known_values values = world_values(h.signed_in);
    std::vector<operation_model const*> operations; // implemented, with an input shape

    model_world()
    {
        for (auto const& op : h.model.operations())
        {
            if (h.calls.implements(op.name) && op.input != nullptr)
            {
                operations.push_back(&op);
            }
        }
    }
};

// Built once per test binary: seeding and signing in take a moment.
model_world& the_world()
{
    static model_world w;
    return w;
}

struct answer
{
    unsigned status = 0;
    std::string type;
    std::string message;
};

std::ostream& operator<<(std::ostream& out, answer const& a)
{
    return out << a.status << " " << a.type << ": " << a.message;
}

answer call(std::string_view operation, std::string body)
{
    auto& w = the_world();
    w.h.reset();
    auto const res = w.h.application.handle(aws_request(operation, std::move(body)), peer, local);
    answer out{res.result_int(), {}, {}};
    auto const parsed = json::parse(res.body(), nullptr, /*allow_exceptions=*/false);
    if (parsed.is_object() && res.result_int() >= 400)
    {
        out.type = parsed.value("__type", "");
        out.message = parsed.value("message", parsed.value("Message", ""));
    }
    return out;
}

answer call(std::string_view operation, json const& input)
{
    return call(operation, input.dump());
}

bool is_required(shape const& at, std::string const& member)
{
    return std::find(at.required.begin(), at.required.end(), member) != at.required.end();
}

// The required members, each with the world's plausible value.
json required_input(operation_model const& op)
{
    first_choices first;
    body_writer writer{the_world().values, first};
    return json::parse(writer.body(op));
}

// The required members and every optional one, each with its plausible value.
json full_input(operation_model const& op)
{
    first_choices first;
    body_writer writer{the_world().values, first};
    auto input = required_input(op);
    for (auto const& [name, member] : op.input->members)
    {
        if (!is_required(*op.input, name))
        {
            input[name] = json::parse(writer.value(op, name));
        }
    }
    return input;
}

// The values that must count as absent, or be refused as a client's mistake, wherever an optional
// member takes them: null, empty containers, and the member's shape with nothing but nulls in it.
std::vector<json> null_and_empty_values(shape const& at)
{
    first_choices first;
    body_writer writer{the_world().values, first};
    return {nullptr, json::object(), json::array(), json::parse(writer.nulls(at))};
}

bool is_validation_error(answer const& a)
{
    return a.type == "InvalidParameterException" &&
           a.message.find("validation error") != std::string::npos &&
           a.message.find("detected: ") != std::string::npos;
}

// Arrays nested this deep: about 120 KB, enough to overflow the stack of a recursive copy.
std::string deep_arrays(std::size_t depth = 60'000)
{
    return std::string(depth, '[') + std::string(depth, ']');
}

// input's text with "Unknown": <deep> as the last member of the object at member (the top when
// empty), which becomes an object if it is not one.
std::string with_deep_unknown(json input, std::string const& member)
{
    constexpr std::string_view mark = R"("@deep@")";
    auto& target = member.empty() ? input : input[member];
    if (!target.is_object())
    {
        target = json::object();
    }
    target["Unknown"] = "@deep@";
    auto text = input.dump();
    text.replace(text.find(mark), mark.size(), deep_arrays());
    return text;
}

} // namespace

// A plausible input made to succeed: with the signed-in user's access token where the operation
// takes one (GetDevice refuses a call without it), and without a paging token (the world's
// plausible one is no marker an earlier page handed out).
json succeeding(operation_model const& op, json input)
{
    auto const& members = op.input->members;
    bool const takes_token = std::any_of(
        members.begin(), members.end(), [](auto const& m) { return m.first == "AccessToken"; }
    );
    if (takes_token && !input.contains("AccessToken"))
    {
        input["AccessToken"] = the_world().h.signed_in.access_token;
    }
    input.erase("NextToken");
    input.erase("PaginationToken");
    return input;
}

// The operation table declares each operation a read or a write, and a read runs where a write
// fails: on a reader connection (PRAGMA query_only), or, on the world's in-memory database, on the
// writer switched to query_only for the read. So a read operation that writes answers 500 here.
TEST(every_operation, declared_a_read_answers_its_plausible_inputs_without_writing)
{
    auto& w = the_world();
    std::vector<std::string_view> reads;
    for (auto const& entry : cognitod::make_operations())
    {
        if (entry.mode != cognitod::access::read)
        {
            continue;
        }
        reads.push_back(entry.name);
        auto const* op = w.h.model.find_operation(entry.name);
        ASSERT_NE(op, nullptr) << entry.name;
        for (auto const& input :
             {succeeding(*op, required_input(*op)), succeeding(*op, full_input(*op))})
        {
            auto const a = call(op->name, input);
            EXPECT_EQ(a.status, 200U) << op->name << " " << input.dump() << "\n" << a;
        }
    }
    EXPECT_GE(reads.size(), 12U);
}

// Unless the world's plausible inputs get past validation, the tests below would test the
// validator alone and never reach a handler.
TEST(every_operation, takes_the_plausible_inputs_past_validation)
{
    auto& w = the_world();
    ASSERT_GE(w.operations.size(), 40U);
    for (auto const* op : w.operations)
    {
        auto const required = call(op->name, required_input(*op));
        EXPECT_FALSE(is_validation_error(required)) << op->name << " " << required;
        auto const full = call(op->name, full_input(*op));
        EXPECT_FALSE(is_validation_error(full)) << op->name << " " << full;
    }
}

// A JSON null, {}, [] or a structure of nulls in an optional member counts as absent or is
// refused with a 400; 29 members answered InternalErrorException, which SDKs retry.
TEST(every_operation, answers_null_and_empty_optional_members_without_a_server_error)
{
    auto& w = the_world();
    std::size_t calls = 0;
    for (auto const* op : w.operations)
    {
        for (auto const& base : {required_input(*op), full_input(*op)})
        {
            for (auto const& [name, member] : op->input->members)
            {
                if (is_required(*op->input, name))
                {
                    continue;
                }
                for (auto const& value : null_and_empty_values(*member))
                {
                    auto input = base;
                    input[name] = value;
                    auto const a = call(op->name, input);
                    ++calls;
                    // 501 is the answer for what cognitod does not implement yet, never a fault.
                    EXPECT_TRUE(a.status < 500 || a.type == "NotImplementedException")
                        << op->name << " " << input.dump() << "\n"
                        << a;
                }
            }
        }
    }
    EXPECT_GT(calls, 1000U);
}

// A null member is absent: with the rest plausible, an optional member given as null is
// answered as if it were left out.
TEST(every_operation, answers_a_null_optional_member_as_its_absence)
{
    auto& w = the_world();
    for (auto const* op : w.operations)
    {
        auto const base = required_input(*op);
        auto const absent = call(op->name, base);
        for (auto const& [name, member] : op->input->members)
        {
            if (is_required(*op->input, name))
            {
                continue;
            }
            auto input = base;
            input[name] = nullptr;
            auto const a = call(op->name, input);
            EXPECT_EQ(a.status, absent.status) << op->name << "." << name << "\n" << a;
            EXPECT_EQ(a.type, absent.type) << op->name << "." << name << "\n" << a;
        }
    }
}

TEST(every_operation, answers_null_in_a_required_member_with_must_not_be_null)
{
    auto& w = the_world();
    for (auto const* op : w.operations)
    {
        auto const base = required_input(*op);
        for (auto const& name : op->input->required)
        {
            auto input = base;
            input[name] = nullptr;
            auto const a = call(op->name, input);
            EXPECT_EQ(a.status, 400U) << op->name << "." << name;
            EXPECT_EQ(a.type, "InvalidParameterException") << op->name << "." << name;
            auto const expected = "Value null at '" + cognitod::schema::detail::lower_camel(name) +
                                  "' failed to satisfy constraint: Member must not be null";
            EXPECT_NE(a.message.find(expected), std::string::npos) << op->name << "\n" << a;
        }
    }
}

// 120 KB of nested arrays in an unknown member ended the process: the handlers of CreateUserPool,
// UpdateUserPool, CreateUserPoolClient, SetUserPoolMfaConfig and ConfirmDevice copy structure
// members whole, unknown members included, and nlohmann's copy recurses once per level.
TEST(every_operation, refuses_an_unknown_member_nested_60000_deep_with_a_serialization_error)
{
    auto& w = the_world();
    std::string const expected = "The body nests arrays and objects more than " +
                                 std::to_string(cognitod::max_json_depth) + " levels deep.";
    for (auto const* op : w.operations)
    {
        auto const base = full_input(*op);
        std::vector<std::string> places{""};
        for (auto const& [name, member] : op->input->members)
        {
            if (member->type == "structure" || member->type == "map")
            {
                places.push_back(name);
            }
        }
        for (auto const& place : places)
        {
            auto const a = call(op->name, with_deep_unknown(base, place));
            EXPECT_EQ(a.status, 400U) << op->name << " " << place << "\n" << a;
            EXPECT_EQ(a.type, "SerializationException") << op->name << " " << place;
            EXPECT_EQ(a.message, expected) << op->name << " " << place;
        }
    }
}

// ConfirmDevice takes no signature, even with --auth sigv4: any user who can sign in could end the
// process with this call.
TEST(every_operation, refuses_a_confirm_device_verifier_config_nested_60000_deep)
{
    auto& w = the_world();
    json const input{
        {"AccessToken", w.h.signed_in.access_token},
        {"DeviceKey", w.h.signed_in.device_key},
        {"DeviceSecretVerifierConfig",
         {{"PasswordVerifier", "AAAA"}, {"Salt", "AAAA"}, {"Unknown", "@deep@"}}}};
    auto text = input.dump();
    text.replace(text.find(R"("@deep@")"), 8, deep_arrays());
    auto const a = call("ConfirmDevice", text);
    EXPECT_EQ(a.status, 400U) << a;
    EXPECT_EQ(a.type, "SerializationException");
}

TEST(every_operation, reads_a_body_nested_to_the_limit_and_refuses_one_level_more)
{
    // The body and UserPoolTags are 2 levels; the tag's value, arrays, makes up the rest.
    auto const body = [](std::size_t depth)
    {
        return std::string{R"({"PoolName":"p","UserPoolTags":{"k":)"} +
               std::string(depth - 2, '[') + std::string(depth - 2, ']') + "}}";
    };
    auto const at_limit = call("CreateUserPool", body(cognitod::max_json_depth));
    // Read, then refused as a list where the model has a string.
    EXPECT_EQ(at_limit.message, "Start of list found where not expected") << at_limit;
    auto const over = call("CreateUserPool", body(cognitod::max_json_depth + 1));
    EXPECT_EQ(over.type, "SerializationException");
    EXPECT_EQ(
        over.message,
        "The body nests arrays and objects more than " + std::to_string(cognitod::max_json_depth) +
            " levels deep."
    );
}
