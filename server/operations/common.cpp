#include "server/operations/common.hpp"

#include "server/auth/encoding.hpp"

#include <algorithm>
#include <charconv>

namespace cognitod
{

json epoch_seconds(std::int64_t ms)
{
    return static_cast<double>(ms) / 1000.0;
}

std::string_view pool_region(std::string_view pool_id)
{
    return pool_id.substr(0, pool_id.find('_'));
}

storage::user_pool require_pool(request_context& ctx, std::string const& pool_id)
{
    auto pool = ctx.store.find_user_pool(pool_id);
    if (!pool)
    {
        throw errors::resource_not_found("User pool " + pool_id + " does not exist.");
    }
    return std::move(*pool);
}

json const& password_policy(storage::user_pool const& pool)
{
    // Looked up with find(): a const json's operator[] is undefined for a missing member.
    static json const none; // NOLINT(cert-err58-cpp): constructing null cannot throw
    auto const policies = pool.settings->find("Policies");
    if (policies == pool.settings->end())
    {
        return none;
    }
    auto const policy = policies->find("PasswordPolicy");
    return policy == policies->end() ? none : *policy;
}

bool lists(json const& settings, std::string_view member, std::string_view value)
{
    auto const list = settings.find(member);
    return list != settings.end() && list->is_array() &&
           std::find(list->begin(), list->end(), value) != list->end();
}

bool usernames_case_sensitive(storage::user_pool const& pool)
{
    auto const config = pool.settings->find("UsernameConfiguration");
    if (config == pool.settings->end())
    {
        // Pools created without UsernameConfiguration keep the old, case-sensitive behaviour.
        return true;
    }
    return config->value("CaseSensitive", true);
}

namespace
{

// The user of the pool holding attribute name = value (verified where required), if exactly one.
std::optional<storage::user> find_by_attribute(
    request_context& ctx,
    storage::user_pool const& pool,
    std::string_view name,
    std::string_view value,
    bool must_be_verified
)
{
    auto candidates = users_with_attribute(ctx, pool, name, value);
    std::string const verified = std::string{name} + "_verified";
    for (auto& u : candidates)
    {
        if (!must_be_verified || u.attribute_value(verified) == "true")
        {
            return std::move(u);
        }
    }
    return std::nullopt;
}

} // namespace

std::vector<storage::user> users_with_attribute(
    request_context& ctx,
    storage::user_pool const& pool,
    std::string_view name,
    std::string_view value
)
{
    return usernames_case_sensitive(pool)
               ? ctx.store.find_users_by_attribute(pool.seq, name, value)
               : ctx.store.find_users_by_folded_attribute(pool.seq, name, value);
}

std::string username_key(storage::user_pool const& pool, std::string_view username)
{
    return usernames_case_sensitive(pool) ? std::string{username} : auth::ascii_lower(username);
}

std::optional<storage::user>
find_user(request_context& ctx, storage::user_pool const& pool, std::string_view name)
{
    if (auto u = ctx.store.find_user(pool.seq, username_key(pool, name)))
    {
        return u;
    }
    return find_user_by_other_name(ctx, pool, name);
}

std::optional<storage::user>
find_user_by_other_name(request_context& ctx, storage::user_pool const& pool, std::string_view name)
{
    // UsernameAttributes: the email or phone number is the sign-in name (no verification needed).
    for (std::string_view attr : {"email", "phone_number"})
    {
        if (lists(*pool.settings, "UsernameAttributes", attr))
        {
            if (auto u = find_by_attribute(ctx, pool, attr, name, /*must_be_verified=*/false))
            {
                return u;
            }
        }
    }
    // AliasAttributes: an email or phone alias counts only once verified.
    for (std::string_view attr : {"email", "phone_number", "preferred_username"})
    {
        if (lists(*pool.settings, "AliasAttributes", attr))
        {
            bool const verify = attr != "preferred_username";
            if (auto u = find_by_attribute(ctx, pool, attr, name, verify))
            {
                return u;
            }
        }
    }
    return ctx.store.find_user_by_sub(pool.seq, name);
}

storage::user
require_user(request_context& ctx, storage::user_pool const& pool, std::string_view name)
{
    auto u = find_user(ctx, pool, name);
    if (!u)
    {
        throw errors::user_not_found();
    }
    return std::move(*u);
}

json name_value(std::string name, std::string value)
{
    json entry = json::object();
    auto& members = entry.get_ref<json::object_t&>();
    members.emplace("Name", std::move(name));
    members.emplace("Value", std::move(value));
    return entry;
}

json attributes_json(std::vector<storage::attribute> const& attributes)
{
    json list = json::array();
    auto& items = list.get_ref<json::array_t&>();
    items.reserve(attributes.size());
    for (auto const& a : attributes)
    {
        items.push_back(name_value(a.name, a.value));
    }
    return list;
}

std::string make_page_token(std::string_view kind, std::int64_t last)
{
    return auth::base64_encode(std::string{kind} + ":" + std::to_string(last));
}

std::int64_t read_page_token(
    request_context const& ctx, json const& input, std::string_view member, std::string_view kind
)
{
    auto const it = input.find(member);
    if (it == input.end() || it->is_null())
    {
        return 0;
    }
    auto const token = it->get<std::string>();
    auto const invalid = [&]
    {
        return errors::invalid_parameter(
            "Paging marker " + token + " is invalid for request " + ctx.request_id
        );
    };
    auto const decoded = auth::base64_decode(token);
    std::string const prefix = std::string{kind} + ":";
    if (!decoded || !decoded->starts_with(prefix))
    {
        throw invalid();
    }
    std::int64_t last = 0;
    auto const* begin = decoded->data() + prefix.size();
    auto const* end = decoded->data() + decoded->size();
    auto [ptr, ec] = std::from_chars(begin, end, last);
    if (ec != std::errc{} || ptr != end || last < 0)
    {
        throw invalid();
    }
    return last;
}

std::size_t page_size(json const& input, std::string_view member, std::size_t default_size)
{
    auto const it = input.find(member);
    if (it == input.end() || it->is_null())
    {
        return default_size;
    }
    auto const n = it->get<std::int64_t>();
    return n <= 0 ? default_size : static_cast<std::size_t>(n);
}

json const& list_member(json const& input, std::string_view member)
{
    static json const empty = json::array(); // NOLINT(cert-err58-cpp): constructing [] cannot throw
    auto const it = input.find(member);
    return it == input.end() || !it->is_array() ? empty : *it;
}

} // namespace cognitod
