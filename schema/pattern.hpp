// A compiled PCRE2 pattern that matches whole values (UTF, Unicode properties).
// Immutable after construction; match() is safe to call from several threads at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>

struct pcre2_real_code_8;

namespace cognitod::schema
{

class pattern
{
    struct code_deleter
    {
        void operator()(pcre2_real_code_8* code) const noexcept;
    };
    std::unique_ptr<pcre2_real_code_8, code_deleter> code_;
    std::string text_;

public:
    // Throws std::invalid_argument with PCRE2's message when the pattern does not compile.
    explicit pattern(std::string text);

    // True when the whole of value (UTF-8) matches. Invalid UTF-8 never matches.
    bool matches(std::string_view value) const;
    std::string const& text() const noexcept { return text_; }
};

} // namespace cognitod::schema
