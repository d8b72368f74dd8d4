// --auth sigv4's credentials: the set looked up by access key id, and the two forms it is read
// from (JSON, or AKID:SECRET[:SESSION_TOKEN] entries). Messages never repeat a secret.
#include "server/auth/sigv4.hpp"
#include "server/auth/sigv4_detail.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

namespace cognitod::auth::sigv4
{

namespace
{

using detail::split;
using detail::trim;
using detail::whitespace;

std::invalid_argument bad_credentials(std::string const& problem)
{
    return std::invalid_argument("credentials: " + problem);
}

enum class presence
{
    required,
    optional
};

std::string json_string(
    nlohmann::json const& entry,
    std::string const& where,
    std::string const& member,
    presence needed
)
{
    auto const value = entry.find(member);
    if (value == entry.end())
    {
        if (needed == presence::required)
        {
            throw bad_credentials(where + ": missing " + member);
        }
        return {};
    }
    if (!value->is_string() || value->get_ref<std::string const&>().empty())
    {
        throw bad_credentials(where + ": " + member + " must be a non-empty string");
    }
    return value->get<std::string>();
}

std::vector<credential> credentials_from_json(std::string_view text)
{
    nlohmann::json document;
    try
    {
        document = nlohmann::json::parse(text);
    }
    catch (nlohmann::json::parse_error const& e)
    {
        // Only the offset: the parser's message quotes the text, secrets included.
        throw bad_credentials("not valid JSON (error at byte " + std::to_string(e.byte) + ")");
    }
    if (!document.is_object())
    {
        throw bad_credentials("expected an object with a Credentials array");
    }
    for (auto const& item : document.items())
    {
        if (item.key() != "Credentials")
        {
            throw bad_credentials("unknown member '" + item.key() + "'");
        }
    }
    auto const list = document.find("Credentials");
    if (list == document.end())
    {
        throw bad_credentials("missing Credentials");
    }
    if (!list->is_array() || list->empty())
    {
        throw bad_credentials("Credentials must be a non-empty array");
    }

    constexpr std::array<std::string_view, 5> members = {
        "AccessKeyId", "SecretAccessKey", "SessionToken", "AllowedOperations", "Name"};
    std::vector<credential> out;
    for (std::size_t i = 0; i < list->size(); ++i)
    {
        auto const& entry = (*list)[i];
        auto const where = "Credentials[" + std::to_string(i) + "]";
        if (!entry.is_object())
        {
            throw bad_credentials(where + " must be an object");
        }
        for (auto const& item : entry.items())
        {
            if (std::find(members.begin(), members.end(), item.key()) == members.end())
            {
                throw bad_credentials(where + ": unknown member '" + item.key() + "'");
            }
        }
        credential c;
        c.access_key_id = json_string(entry, where, "AccessKeyId", presence::required);
        c.secret_access_key = json_string(entry, where, "SecretAccessKey", presence::required);
        c.session_token = json_string(entry, where, "SessionToken", presence::optional);
        c.name = json_string(entry, where, "Name", presence::optional);
        if (auto const operations = entry.find("AllowedOperations"); operations != entry.end())
        {
            auto const not_names =
                bad_credentials(where + ": AllowedOperations must be an array of operation names");
            if (!operations->is_array())
            {
                throw not_names;
            }
            c.allowed_operations.emplace();
            for (auto const& operation : *operations)
            {
                if (!operation.is_string() || operation.get_ref<std::string const&>().empty())
                {
                    throw not_names;
                }
                c.allowed_operations->push_back(operation.get<std::string>());
            }
        }
        out.push_back(std::move(c));
    }
    return out;
}

// AKID:SECRET[:SESSION_TOKEN], entries separated by commas or newlines. Messages name the entry
// by its number, never by its text, which holds the secret.
std::vector<credential> credentials_from_short_form(std::string_view text)
{
    std::vector<credential> out;
    for (auto const piece : split(text, ",\n"))
    {
        auto const entry = trim(piece);
        if (entry.empty())
        {
            continue;
        }
        auto const where = "entry " + std::to_string(out.size() + 1);
        auto const first = entry.find(':');
        auto const second = first == std::string_view::npos ? first : entry.find(':', first + 1);
        if (first == std::string_view::npos ||
            (second != std::string_view::npos &&
             entry.find(':', second + 1) != std::string_view::npos))
        {
            throw bad_credentials(where + " is not AKID:SECRET[:SESSION_TOKEN]");
        }
        credential c;
        c.access_key_id = std::string{entry.substr(0, first)};
        if (c.access_key_id.empty())
        {
            throw bad_credentials(where + " has an empty access key id");
        }
        c.secret_access_key = std::string{
            second == std::string_view::npos ? entry.substr(first + 1)
                                             : entry.substr(first + 1, second - first - 1)};
        if (c.secret_access_key.empty())
        {
            throw bad_credentials(where + " ('" + c.access_key_id + "') has an empty secret");
        }
        if (second != std::string_view::npos)
        {
            c.session_token = std::string{entry.substr(second + 1)};
            if (c.session_token.empty())
            {
                throw bad_credentials(
                    where + " ('" + c.access_key_id + "') has an empty session token"
                );
            }
        }
        out.push_back(std::move(c));
    }
    if (out.empty())
    {
        throw bad_credentials("none given");
    }
    return out;
}

} // namespace

credential_set::credential_set(std::vector<credential> credentials)
{
    for (auto& c : credentials)
    {
        auto key_id = c.access_key_id;
        if (key_id.empty())
        {
            throw bad_credentials("an AccessKeyId is empty");
        }
        if (key_id.find_first_of("/," + std::string{whitespace}) != std::string::npos)
        {
            throw bad_credentials(
                "AccessKeyId '" + key_id +
                "' has '/', ',' or whitespace, which no signature can carry"
            );
        }
        if (c.secret_access_key.empty())
        {
            throw bad_credentials("the SecretAccessKey of '" + key_id + "' is empty");
        }
        if (c.name.empty())
        {
            c.name = key_id;
        }
        if (!by_key_id_.emplace(key_id, std::move(c)).second)
        {
            throw bad_credentials("AccessKeyId '" + key_id + "' is given twice");
        }
    }
}

credential const* credential_set::find(std::string_view access_key_id) const
{
    auto const found = by_key_id_.find(access_key_id);
    return found == by_key_id_.end() ? nullptr : &found->second;
}

credential_set parse_credentials(std::string_view text)
{
    auto const content = trim(text);
    return credential_set{
        content.starts_with('{') ? credentials_from_json(content)
                                 : credentials_from_short_form(content)};
}

} // namespace cognitod::auth::sigv4
