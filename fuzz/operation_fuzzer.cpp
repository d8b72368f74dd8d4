// libFuzzer target: calls built from the model rather than bytes. The fuzz bytes steer a body
// writer (fuzz/model_requests.hpp) through one to three calls of implemented operations, each
// body made of valid-ish members, unknown members, nulls, empty containers, wrong types,
// arbitrary text and values nested up to 100,000 deep, sent through app::handle into the
// signed-in world of fuzz/harness.hpp (alice's tokens and new device, bob's open challenge).
// Where request_fuzzer has to find JSON and the member names itself, this one starts inside the
// operations. A crash, a 5xx or a broken response rule aborts.
// COGNITOD_FUZZ_TRACE=1 prints each call's operation, body and response.
#include "fuzz/harness.hpp"
#include "fuzz/model_requests.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <span>
#include <string>
#include <vector>

namespace
{

using namespace cognitod;
using namespace cognitod::fuzzing;

// Choices read from the fuzz bytes, a choice among n taking only the bits it needs: at a byte a
// choice, a call that puts an unknown member inside a structure member takes a dozen bytes, longer
// than libFuzzer lets its inputs grow for many minutes. Once the bytes run out every choice is the
// plausible one.
class fuzzed_choices final : public choices
{
    std::span<std::uint8_t const> bytes_;
    std::size_t bit_ = 0; // the next bit to read, counted from the first byte's lowest

    std::size_t bits(unsigned count)
    {
        std::size_t value = 0;
        for (unsigned i = 0; i < count && bit_ < bytes_.size() * 8; ++i, ++bit_)
        {
            value |= static_cast<std::size_t>((bytes_[bit_ / 8] >> (bit_ % 8)) & 1U) << i;
        }
        return value;
    }

public:
    explicit fuzzed_choices(std::span<std::uint8_t const> bytes) : bytes_(bytes) {}
    std::size_t pick(std::size_t n) override
    {
        return n <= 1 ? 0 : bits(static_cast<unsigned>(std::bit_width(n - 1))) % n;
    }
    std::string text(std::size_t max_bytes) override
    {
        // Whole bytes from the next byte boundary: a length, then that many bytes.
        bit_ = (bit_ + 7) / 8 * 8;
        auto const length = std::min(bits(8), max_bytes);
        auto const start = std::min(bit_ / 8, bytes_.size());
        auto const taken = std::min(length, bytes_.size() - start);
        bit_ = (start + taken) * 8;
        return {reinterpret_cast<char const*>(bytes_.data() + start), taken};
    }
};

struct operation_world
{
    harness h{world::signed_in};
    known_values values = world_values(h.signed_in);
    std::vector<schema::operation_model const*> operations; // the implemented ones, model order

    operation_world()
    {
        for (auto const& op : h.model.operations())
        {
            if (h.calls.implements(op.name))
            {
                operations.push_back(&op);
            }
        }
    }
};

operation_world& the_world()
{
    static operation_world w;
    return w;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/)
{
    the_world();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    auto& w = the_world();
    w.h.reset();
    fuzzed_choices choose{{data, size}};
    body_writer writer{w.values, choose};
    auto const calls = 1 + choose.pick(3);
    for (std::size_t i = 0; i < calls; ++i)
    {
        auto const& op = *w.operations.at(choose.pick(w.operations.size()));
        auto const req = aws_request(op.name, writer.body(op));
        auto const res = w.h.application.handle(req, peer, local);
        if (w.h.trace)
        {
            std::cerr << op.name << " " << req.body().substr(0, 2000) << "\n" << res << "\n\n";
        }
        check(req, res);
    }
    return 0;
}
