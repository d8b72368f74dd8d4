// Lookups and shapes that several operation families share.
#pragma once

#include "server/aws_error.hpp"
#include "server/operations/operations.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace cognitod
{

// Epoch seconds with a millisecond fraction, as AWS JSON 1.1 prints timestamps.
json epoch_seconds(std::int64_t ms);

// The region a pool id was created in: "us-east-1" for "us-east-1_AbC".
std::string_view pool_region(std::string_view pool_id);

// ResourceNotFoundException "User pool <id> does not exist." when missing.
storage::user_pool require_pool(request_context& ctx, std::string const& pool_id);

// The pool's Policies.PasswordPolicy, or null when its settings lack one (only a pool not made by
// CreateUserPool can), which the password checks then refuse as an internal error.
json const& password_policy(storage::user_pool const& pool);

// The settings' array member holds value: a pool's AliasAttributes, a client's AllowedOAuthFlows.
bool lists(json const& settings, std::string_view member, std::string_view value);

// Usernames compare case-insensitively unless the pool's UsernameConfiguration says otherwise.
bool usernames_case_sensitive(storage::user_pool const& pool);
std::string username_key(storage::user_pool const& pool, std::string_view username);

// Users of the pool holding attribute name = value; values compare without regard to ASCII case
// when the pool ignores case.
std::vector<storage::user> users_with_attribute(
    request_context& ctx,
    storage::user_pool const& pool,
    std::string_view name,
    std::string_view value
);

// Finds a user the way the Admin* operations do: by username, then (where the pool allows) by a
// verified alias or username attribute, then by sub.
std::optional<storage::user>
find_user(request_context& ctx, storage::user_pool const& pool, std::string_view name);
// find_user's steps after the username: for callers that have looked the username up already.
std::optional<storage::user> find_user_by_other_name(
    request_context& ctx, storage::user_pool const& pool, std::string_view name
);
// UserNotFoundException "User does not exist." when missing.
storage::user
require_user(request_context& ctx, storage::user_pool const& pool, std::string_view name);

// {"Name": name, "Value": value}, the element of every attribute list. Built member by member:
// nlohmann's initializer lists copy every value they are given, and answers hold many of these.
json name_value(std::string name, std::string value);

// [{Name, Value}, ...] in stored order.
json attributes_json(std::vector<storage::attribute> const& attributes);

// Opaque paging tokens: base64 of the kind and the last position served, so a token from one list
// is refused by another. read_page_token throws InvalidParameterException for a foreign token.
std::string make_page_token(std::string_view kind, std::int64_t last);
std::int64_t read_page_token(
    request_context const& ctx, json const& input, std::string_view member, std::string_view kind
);

// A page size member: absent or 0 means default_size.
std::size_t page_size(json const& input, std::string_view member, std::size_t default_size);

// Which list a page is of, and how its request sizes pages.
struct page_request
{
    std::string kind;             // the paging tokens' kind: a token of another list is refused
    std::string_view size_member; // "Limit", "MaxResults"
    std::size_t default_size = 60;
};

// A page of a list that fetch(after, count) reads, as the size member and NextToken ask: the items
// as shape(item) makes them, under member, and a NextToken holding position(last) when more follow.
template <class Fetch, class Position, class Shape>
json one_page(
    request_context const& ctx,
    json const& input,
    page_request const& request,
    char const* member,
    Fetch fetch,
    Position position,
    Shape shape
)
{
    auto const after = read_page_token(ctx, input, "NextToken", request.kind);
    auto const limit = page_size(input, request.size_member, request.default_size);
    auto items = fetch(after, limit + 1);
    json out = json::object();
    if (items.size() > limit)
    {
        items.pop_back();
        out["NextToken"] = make_page_token(request.kind, position(items.back()));
    }
    json list = json::array();
    for (auto const& item : items)
    {
        list.push_back(shape(item));
    }
    out[member] = std::move(list);
    return out;
}

// The list's JSON array member of input, or an empty array.
json const& list_member(json const& input, std::string_view member);

} // namespace cognitod
