#include "schema/pattern.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace cognitod::schema
{

namespace
{

struct match_data_deleter
{
    void operator()(pcre2_match_data* data) const noexcept { pcre2_match_data_free(data); }
};

std::string error_text(int error_code)
{
    // PCRE2 messages are short; 256 bytes is what its own pcre2test uses.
    std::array<PCRE2_UCHAR, 256> buffer{};
    int const length = pcre2_get_error_message(error_code, buffer.data(), buffer.size());
    if (length < 0)
    {
        return "PCRE2 error " + std::to_string(error_code);
    }
    return std::string(
        reinterpret_cast<char const*>(buffer.data()), static_cast<std::size_t>(length)
    );
}

// Workspace ints for the DFA matcher: 1,000 serve every model pattern; pathological ones may grow
// it up to a bound rather than exhaust memory.
constexpr std::size_t initial_workspace = 1000;
constexpr std::size_t max_workspace = 1000000;

// How much backtracking the JIT may do before the linear-time matcher takes over. The values
// the model allows are short, and the model's patterns match them in a few hundred steps; the
// pathological value that took a backtracking matcher 75 s stops here in about a millisecond.
constexpr std::uint32_t jit_match_limit = 100000;

// Match data holds one match's state, so each thread owns its own, kept from one call to the
// next and used by each matcher in turn; only the whole match's span is read from it. The compiled
// code is shared read-only between threads, which PCRE2 documents as safe.
pcre2_match_data* thread_match_data()
{
    thread_local std::unique_ptr<pcre2_match_data, match_data_deleter> const data(
        pcre2_match_data_create(1, nullptr)
    );
    if (!data)
    {
        throw std::bad_alloc();
    }
    return data.get();
}

// PCRE2 before 10.43 rejects a null subject even when its length is 0.
PCRE2_SPTR subject_of(std::string_view value)
{
    return reinterpret_cast<PCRE2_SPTR>(value.empty() ? "" : value.data());
}

// True when the match that result reports spans the whole value.
bool whole_match(int result, std::string_view value)
{
    return result >= 0 && pcre2_get_ovector_pointer(thread_match_data())[1] == value.size();
}

} // namespace

void pattern::code_deleter::operator()(pcre2_real_code_8* code) const noexcept
{
    pcre2_code_free(code);
}

void pattern::context_deleter::operator()(pcre2_real_match_context_8* context) const noexcept
{
    pcre2_match_context_free(context);
}

pattern::pattern(std::string text) : text_(std::move(text))
{
    // AWS matches the whole value and the model spells patterns without anchors. AWS's validator
    // is Java's: \p{L} and friends are Unicode, but \w, \d and \s stay ASCII, so no PCRE2_UCP.
    std::uint32_t const options = PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED;
    int error_code = 0;
    PCRE2_SIZE error_offset = 0;
    code_.reset(pcre2_compile(
        reinterpret_cast<PCRE2_SPTR>(text_.data()),
        text_.size(),
        options,
        &error_code,
        &error_offset,
        nullptr
    ));
    if (!code_)
    {
        throw std::invalid_argument(
            "pattern '" + text_ + "' does not compile at offset " + std::to_string(error_offset) +
            ": " + error_text(error_code)
        );
    }
    // Where this PCRE2 has no JIT (or the pattern does not compile for it), the linear-time
    // matcher does all the work.
    if (pcre2_jit_compile(code_.get(), PCRE2_JIT_COMPLETE) == 0)
    {
        jit_limits_.reset(pcre2_match_context_create(nullptr));
        if (jit_limits_)
        {
            pcre2_set_match_limit(jit_limits_.get(), jit_match_limit);
        }
    }
}

bool pattern::matches(std::string_view value) const
{
    if (jit_limits_)
    {
        // pcre2_jit_match skips pcre2_match's checks, the UTF-8 one among them, so it runs only on
        // ASCII values (always valid UTF-8); the rest go through pcre2_match, which checks first.
        bool const ascii = std::all_of(
            value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80U; }
        );
        auto* const match = ascii ? &pcre2_jit_match : &pcre2_match;
        int const result = match(
            code_.get(),
            subject_of(value),
            value.size(),
            0,
            0,
            thread_match_data(),
            jit_limits_.get()
        );
        if (result >= 0)
        {
            return whole_match(result, value);
        }
        bool const invalid_utf8 =
            result <= PCRE2_ERROR_UTF8_ERR1 && result >= PCRE2_ERROR_UTF8_ERR21;
        if (result == PCRE2_ERROR_NOMATCH || invalid_utf8)
        {
            return false;
        }
        // The limit was reached (or the JIT's stack): let the linear-time matcher decide.
    }
    return matches_linearly(value);
}

bool pattern::matches_linearly(std::string_view value) const
{
    // The workspace, like the match data, is per thread and kept (every request validates several
    // values; allocating and clearing 4 KB of it each time cost more than the match).
    thread_local std::vector<int> workspace(initial_workspace);

    // The DFA matcher never backtracks, so its time grows linearly with the value. The backtracking
    // one took 75 s on a 20,000-character EmailMessageByLink (EmailVerificationMessageByLinkType)
    // of repeated "{##a##}" and one bad character; the DFA one takes 2 ms. Both agree on every
    // model pattern (1.9 million random values compared).
    int result = PCRE2_ERROR_DFA_WSSIZE;
    for (std::size_t size = workspace.size();
         result == PCRE2_ERROR_DFA_WSSIZE && size <= max_workspace;
         size *= 4)
    {
        workspace.resize(size);
        result = pcre2_dfa_match(
            code_.get(),
            subject_of(value),
            value.size(),
            0,
            0,
            thread_match_data(),
            nullptr,
            workspace.data(),
            workspace.size()
        );
    }
    if (workspace.size() > initial_workspace)
    {
        // A value that needed more is rare: give the memory back rather than keep it per thread.
        workspace.resize(initial_workspace);
        workspace.shrink_to_fit();
    }
    if (result == PCRE2_ERROR_DFA_UITEM || result == PCRE2_ERROR_DFA_UCOND ||
        result == PCRE2_ERROR_DFA_UFUNC)
    {
        // A construct the DFA matcher lacks (a back reference, say): none in today's model.
        // Unbounded backtracking; hitting PCRE2's default match limit counts as no match.
        result = pcre2_match(
            code_.get(), subject_of(value), value.size(), 0, 0, thread_match_data(), nullptr
        );
        return whole_match(result, value);
    }
    // Invalid UTF-8 comes back as a negative PCRE2_ERROR_UTF8_* code, so it never matches. The DFA
    // matcher puts the longest match first; PCRE2 10.42 can report one that stops short of the end
    // despite ENDANCHORED ("0_english" against [\w-]+_[0-9a-f-]+ gives "0_e"), so check the end.
    return whole_match(result, value);
}

} // namespace cognitod::schema
