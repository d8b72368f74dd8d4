// A compiled PCRE2 pattern that matches whole values (UTF, Unicode properties).
// Immutable after construction; match() is safe to call from several threads at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>

struct pcre2_real_code_8;
struct pcre2_real_match_context_8;

namespace cognitod::schema
{

class pattern
{
    struct code_deleter
    {
        void operator()(pcre2_real_code_8* code) const noexcept;
    };
    struct context_deleter
    {
        void operator()(pcre2_real_match_context_8* context) const noexcept;
    };
    std::unique_ptr<pcre2_real_code_8, code_deleter> code_;
    // The JIT's limit on backtracking (shared read-only); null when the JIT is unavailable.
    std::unique_ptr<pcre2_real_match_context_8, context_deleter> jit_limits_;
    std::string text_;

public:
    // Throws std::invalid_argument with PCRE2's message when the pattern does not compile.
    explicit pattern(std::string text);

    // True when the whole of value (UTF-8) matches. Invalid UTF-8 never matches.
    // Tries the JIT-compiled backtracking matcher first, with a bound on its work; past that
    // bound (pathological values), the linear-time matcher decides.
    bool matches(std::string_view value) const;
    // The linear-time (DFA) matcher alone. Both give the same answer; tests compare them.
    bool matches_linearly(std::string_view value) const;
    std::string const& text() const noexcept { return text_; }
};

} // namespace cognitod::schema
