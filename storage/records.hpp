// Plain rows as the store reads and writes them. Times are milliseconds since the epoch.
#pragma once

#include "storage/pool_settings.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cognitod::storage
{

struct user_pool
{
    std::int64_t seq = 0; // creation order; the key users hang under
    std::string id;
    std::string name;
    std::int64_t created = 0;
    std::int64_t last_modified = 0;
    pool_settings settings; // the rest of the UserPool shape
};

struct attribute
{
    std::string name;
    std::string value;
    bool operator==(attribute const&) const = default;
};

// Who owns a device, as the device operations need it: the user's id and username as created.
struct device_owner
{
    std::int64_t id = 0;
    std::string username;
};

struct user
{
    std::int64_t id = 0;
    std::int64_t pool_seq = 0;
    std::string username;
    std::string username_key; // username as looked up (folded when the pool ignores case)
    std::string sub;
    std::string status; // UNCONFIRMED, CONFIRMED, FORCE_CHANGE_PASSWORD, ...
    bool enabled = true;
    std::int64_t created = 0;
    std::int64_t last_modified = 0;
    std::string password_salt; // raw bytes; empty when the user has no password
    std::string password_verifier;
    std::int64_t revoked_before = 0; // epoch seconds: tokens issued up to then are revoked
    nlohmann::json mfa = nlohmann::json::object(); // {"sms": {...}, "totp": {...}}
    std::vector<attribute> attributes;             // in the order they were given; sub first

    std::optional<std::string> attribute_value(std::string_view name) const
    {
        for (auto const& a : attributes)
        {
            if (a.name == name)
            {
                return a.value;
            }
        }
        return std::nullopt;
    }
};

struct device
{
    std::int64_t seq = 0; // creation order, for stable paging
    std::string key;
    std::int64_t user_id = 0;
    std::string group_key;
    std::string name;
    std::string status = "valid";
    bool remembered = false;
    bool confirmed = false;
    std::string last_ip;
    std::int64_t created = 0;
    std::int64_t last_modified = 0;
    std::optional<std::int64_t> last_authenticated;
    std::string verifier; // raw bytes from ConfirmDevice
    std::string salt;
};

struct app_client
{
    std::int64_t seq = 0; // creation order; the key sessions hang under
    std::string id;
    std::int64_t pool_seq = 0;
    std::string name;
    std::string secret; // empty when the client has no secret
    std::int64_t created = 0;
    std::int64_t last_modified = 0;
    nlohmann::json settings = nlohmann::json::object(); // the rest of the UserPoolClient shape
};

// A pool's group (GroupType without its pool id).
struct group
{
    std::int64_t seq = 0; // creation order
    std::int64_t pool_seq = 0;
    std::string name;     // as created
    std::string name_key; // ASCII letters folded: the name it is found and kept unique by
    std::optional<std::string> description;
    std::optional<std::string> role_arn;
    std::optional<std::int64_t> precedence;
    std::int64_t created = 0;
    std::int64_t last_modified = 0;
};

// One sign-in: its refresh token (kept as a hash) and every token minted from it share
// origin_jti.
struct auth_session
{
    std::string origin_jti;
    std::int64_t user_id = 0;
    std::int64_t client_seq = 0;
    std::string refresh_hash;
    std::string device_key;           // empty when the sign-in was bound to no device
    std::int64_t auth_time = 0;       // epoch seconds
    std::int64_t refresh_expires = 0; // epoch seconds
    bool revoked = false;
    std::string scope; // granted through OAuth 2.0, space-separated; empty: the API's admin scope
};

// A challenge waiting for its answer (RespondToAuthChallenge), found by the Session's hash.
struct challenge
{
    std::string session_hash;
    std::int64_t user_id = 0;
    std::int64_t client_seq = 0;
    std::string name;
    std::int64_t expires = 0; // epoch milliseconds
    nlohmann::json state = nlohmann::json::object();
};

// A message cognitod would have delivered (an SMS code), kept for tests and demos to read.
struct message
{
    std::int64_t seq = 0;
    std::string pool_id;
    std::string username;
    std::string medium;
    std::string destination;
    std::string purpose;
    std::string code;
    std::string text;
    std::int64_t created = 0;
    std::string subject; // emails only
    std::string sender;  // emails only, not kept: the pool's EmailConfiguration.From, if any
};

// A code waiting to be given back (migration 011), or a temporary password's expiry.
struct user_code
{
    std::int64_t user_id = 0;
    std::string purpose; // SIGN_UP, FORGOT_PASSWORD, VERIFY:<attribute>, TEMPORARY_PASSWORD
    std::string code;
    std::int64_t expires = 0; // epoch milliseconds
    std::int64_t failures = 0;
    std::optional<std::string> pending_value;
};

// A pool's domain (migration 012).
struct pool_domain
{
    std::string domain; // the prefix, or the custom domain's host name
    std::int64_t pool_seq = 0;
    bool custom = false;
    std::optional<std::string> certificate_arn;
    std::int64_t managed_login_version = 1;
    std::int64_t created = 0;
};

// A resource server, identity provider or UI customization (migration 012): its API shape as JSON.
struct pool_object
{
    std::int64_t seq = 0; // creation order
    std::int64_t pool_seq = 0;
    std::string kind; // resource_server, identity_provider, ui_customization
    std::string name; // Identifier, ProviderName, or ClientId / ALL
    std::string body; // JSON
    std::int64_t created = 0;
    std::int64_t last_modified = 0;
};

// An authorization code waiting for the token endpoint (migration 013).
struct authorization_code
{
    std::string code_hash;
    std::int64_t client_seq = 0;
    std::int64_t user_id = 0;
    std::string redirect_uri;
    std::string scope;
    std::optional<std::string> nonce;
    std::optional<std::string> code_challenge;
    std::int64_t auth_time = 0; // epoch seconds
    std::int64_t expires = 0;   // epoch milliseconds
};

// A hosted login's signed-in session, named by its cookie (migration 013).
struct login_session
{
    std::string cookie_hash;
    std::int64_t pool_seq = 0;
    std::int64_t user_id = 0;
    std::int64_t auth_time = 0; // epoch seconds
    std::int64_t expires = 0;   // epoch milliseconds
};

// A ListUsers filter: one attribute (or user column) compared exactly or by prefix.
struct user_filter
{
    enum class field
    {
        username,
        sub,
        user_status, // cognito:user_status
        enabled,     // status: "Enabled" / "Disabled"
        attribute,   // any other attribute, by name
    } what = field::attribute;
    std::string attribute_name;
    std::string value;
    bool prefix = false; // ^= rather than =
};

} // namespace cognitod::storage
