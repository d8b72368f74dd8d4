#include "server/json_read.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace cognitod
{

namespace
{

using nlohmann::json;

constexpr int max_depth = 64;
constexpr std::size_t max_digits = 18; // every 18-digit integer fits in 64 bits either way

// Recursive descent over the subset; any byte outside it makes the whole parse give up.
class reader
{
    std::string_view text_;
    std::size_t at_ = 0;

    [[nodiscard]] bool done() const { return at_ == text_.size(); }
    [[nodiscard]] char peek() const { return text_[at_]; }

    void skip_space()
    {
        while (!done() && (peek() == ' ' || peek() == '\n' || peek() == '\r' || peek() == '\t'))
        {
            ++at_;
        }
    }

    bool literal(std::string_view word)
    {
        if (text_.substr(at_, word.size()) != word)
        {
            return false;
        }
        at_ += word.size();
        return true;
    }

    bool string(std::string& out)
    {
        ++at_; // the opening quote
        std::size_t run = at_;
        while (!done())
        {
            auto const c = static_cast<unsigned char>(peek());
            if (c == '"')
            {
                out.append(text_.substr(run, at_ - run));
                ++at_;
                return true;
            }
            if (c < 0x20U || c >= 0x80U)
            {
                return false; // control characters are invalid; other UTF-8 is nlohmann's to check
            }
            if (c != '\\')
            {
                ++at_;
                continue;
            }
            out.append(text_.substr(run, at_ - run));
            if (at_ + 1 >= text_.size())
            {
                return false;
            }
            char unescaped = 0;
            switch (text_[at_ + 1])
            {
            case '"':
                unescaped = '"';
                break;
            case '\\':
                unescaped = '\\';
                break;
            case '/':
                unescaped = '/';
                break;
            case 'b':
                unescaped = '\b';
                break;
            case 'f':
                unescaped = '\f';
                break;
            case 'n':
                unescaped = '\n';
                break;
            case 'r':
                unescaped = '\r';
                break;
            case 't':
                unescaped = '\t';
                break;
            default:
                return false; // \u, or not an escape at all
            }
            out.push_back(unescaped);
            at_ += 2;
            run = at_;
        }
        return false;
    }

    bool number(json& out)
    {
        bool const negative = peek() == '-';
        std::size_t const start = negative ? at_ + 1 : at_;
        std::size_t end = start;
        while (end < text_.size() && text_[end] >= '0' && text_[end] <= '9')
        {
            ++end;
        }
        std::size_t const digits = end - start;
        if (digits == 0 || digits > max_digits || (digits > 1 && text_[start] == '0'))
        {
            return false;
        }
        if (end < text_.size() && (text_[end] == '.' || text_[end] == 'e' || text_[end] == 'E'))
        {
            return false; // a float: nlohmann's own conversion decides its exact value
        }
        std::uint64_t value = 0;
        for (std::size_t i = start; i < end; ++i)
        {
            value = value * 10 + static_cast<std::uint64_t>(text_[i] - '0');
        }
        if (negative)
        {
            out = -static_cast<std::int64_t>(value);
        }
        else
        {
            out = value;
        }
        at_ = end;
        return true;
    }

    enum class next
    {
        element, // a comma: another element follows
        closed,  // the closing bracket
        broken,  // anything else
    };

    // What follows an element of an object (close '}') or an array (close ']').
    next after_element(char close)
    {
        skip_space();
        if (done())
        {
            return next::broken;
        }
        if (peek() == close)
        {
            ++at_;
            return next::closed;
        }
        if (peek() != ',')
        {
            return next::broken;
        }
        ++at_;
        return next::element;
    }

    bool object(json& out, int depth)
    {
        ++at_; // {
        out = json::object();
        skip_space();
        if (!done() && peek() == '}')
        {
            ++at_;
            return true;
        }
        std::string key;
        while (true)
        {
            if (done() || peek() != '"')
            {
                return false;
            }
            key.clear();
            if (!string(key))
            {
                return false;
            }
            skip_space();
            if (done() || peek() != ':')
            {
                return false;
            }
            ++at_;
            // As nlohmann does: a repeated key keeps the last value given.
            if (!value(out[key], depth))
            {
                return false;
            }
            auto const after = after_element('}');
            if (after != next::element)
            {
                return after == next::closed;
            }
            skip_space();
        }
    }

    bool array(json& out, int depth)
    {
        ++at_; // [
        out = json::array();
        skip_space();
        if (!done() && peek() == ']')
        {
            ++at_;
            return true;
        }
        while (true)
        {
            out.push_back(nullptr);
            if (!value(out.back(), depth))
            {
                return false;
            }
            auto const after = after_element(']');
            if (after != next::element)
            {
                return after == next::closed;
            }
        }
    }

public:
    explicit reader(std::string_view text) : text_(text) {}

    bool value(json& out, int depth)
    {
        skip_space();
        if (done() || depth >= max_depth)
        {
            return false;
        }
        switch (peek())
        {
        case '{':
            return object(out, depth + 1);
        case '[':
            return array(out, depth + 1);
        case '"':
        {
            std::string text;
            if (!string(text))
            {
                return false;
            }
            out = std::move(text);
            return true;
        }
        case 't':
            out = true;
            return literal("true");
        case 'f':
            out = false;
            return literal("false");
        case 'n':
            out = nullptr;
            return literal("null");
        default:
            if (peek() == '-' || (peek() >= '0' && peek() <= '9'))
            {
                return number(out);
            }
            return false;
        }
    }

    [[nodiscard]] bool at_end()
    {
        skip_space();
        return done();
    }
};

} // namespace

std::optional<json> parse_common_json(std::string_view text)
{
    reader in{text};
    json out;
    if (!in.value(out, 0) || !in.at_end())
    {
        return std::nullopt;
    }
    return out;
}

// Anything the reader reads is within the bound, so only what it leaves needs the scan.
static_assert(static_cast<std::size_t>(max_depth) <= max_json_depth);

bool nested_deeper_than(std::string_view text, std::size_t limit)
{
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        char const c = text[i];
        if (in_string)
        {
            if (c == '\\')
            {
                ++i; // the escaped character, a quote included
            }
            else if (c == '"')
            {
                in_string = false;
            }
            continue;
        }
        switch (c)
        {
        case '"':
            in_string = true;
            break;
        case '[':
        case '{':
            if (++depth > limit)
            {
                return true;
            }
            break;
        case ']':
        case '}':
            // Unbalanced text is not JSON; the parser refuses it.
            depth = depth == 0 ? 0 : depth - 1;
            break;
        default:
            break;
        }
    }
    return false;
}

client_json read_client_json(std::string_view text)
{
    if (auto common = parse_common_json(text))
    {
        return {std::move(*common), client_json::outcome::read};
    }
    // Refused before nlohmann builds it: what is read is copied, compared and dumped recursively.
    if (nested_deeper_than(text, max_json_depth))
    {
        return {json(json::value_t::discarded), client_json::outcome::too_deep};
    }
    auto value = json::parse(text, nullptr, /*allow_exceptions=*/false);
    auto const result =
        value.is_discarded() ? client_json::outcome::not_json : client_json::outcome::read;
    return {std::move(value), result};
}

void drop_null_members(json& value)
{
    std::vector<json*> pending{&value};
    while (!pending.empty())
    {
        json& node = *pending.back();
        pending.pop_back();
        if (node.is_object())
        {
            for (auto it = node.begin(); it != node.end();)
            {
                if (it->is_null())
                {
                    it = node.erase(it);
                    continue;
                }
                if (it->is_structured())
                {
                    pending.push_back(&*it);
                }
                ++it;
            }
        }
        else if (node.is_array())
        {
            for (auto& element : node)
            {
                if (element.is_structured())
                {
                    pending.push_back(&element);
                }
            }
        }
    }
}

bool identical(json const& a, json const& b)
{
    if (a.type() != b.type())
    {
        return false;
    }
    if (a.is_object())
    {
        return a.size() == b.size() &&
               std::equal(
                   a.items().begin(),
                   a.items().end(),
                   b.items().begin(),
                   [](auto x, auto y)
                   { return x.key() == y.key() && identical(x.value(), y.value()); }
               );
    }
    if (a.is_array())
    {
        return a.size() == b.size() &&
               std::equal(
                   a.begin(),
                   a.end(),
                   b.begin(),
                   [](json const& x, json const& y) { return identical(x, y); }
               );
    }
    return a == b;
}

} // namespace cognitod
