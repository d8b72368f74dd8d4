// libFuzzer target: schema::validate and format_violations on any input for any operation. The
// first byte picks an operation of the embedded model, the rest is read as JSON and validated
// against that operation's input shape. When the rest is not a JSON object, the bytes also go in
// as a string, the value of a member (the second byte picks which), so that patterns, lengths and
// enums see arbitrary text. type_mismatch is the validator's answer to wrongly typed JSON; any
// other exception escaping is a finding. The same bytes check the request path's fast JSON reader
// against nlohmann's parser.
#include "schema/service_model.hpp"
#include "schema/validator.hpp"
#include "server/json_read.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace
{

using namespace cognitod::schema;
using nlohmann::json;

struct model_inputs
{
    service_model model = service_model::parse(embedded_model_json());
    std::vector<shape const*> inputs; // the input shape of each operation that has one

    model_inputs()
    {
        for (auto const& op : model.operations())
        {
            if (op.input != nullptr)
            {
                inputs.push_back(op.input);
            }
        }
    }
};

model_inputs const& the_model()
{
    static model_inputs const m;
    return m;
}

void validate_and_format(shape const& input_shape, json const& input)
{
    try
    {
        auto const violations = validate(input_shape, input);
        auto const text = format_violations(violations);
        // Every violation is reported, and reported in the text.
        if (violations.empty() != text.empty())
        {
            std::abort();
        }
    }
    catch (type_mismatch const&) // NOLINT(bugprone-empty-catch): the expected refusal
    {
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/)
{
    the_model();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if (size < 2)
    {
        return 0;
    }
    auto const& m = the_model();
    shape const& input_shape = *m.inputs[data[0] % m.inputs.size()];
    std::string_view const text{reinterpret_cast<char const*>(data) + 2, size - 2};

    auto const input = json::parse(text, nullptr, /*allow_exceptions=*/false);
    // Request bodies are read by parse_common_json first: what it reads must be what nlohmann does.
    if (auto const common = cognitod::parse_common_json(text))
    {
        if (input.is_discarded() || !cognitod::identical(*common, input))
        {
            std::abort();
        }
    }
    if (!input.is_discarded())
    {
        validate_and_format(input_shape, input);
    }
    if (!input.is_object() && !input_shape.members.empty())
    {
        auto const& name = input_shape.members[data[1] % input_shape.members.size()].first;
        validate_and_format(input_shape, json{{name, std::string{text}}});
    }
    return 0;
}
