// AdminCreateUser, AdminGetUser, AdminDeleteUser, AdminSetUserPassword, AdminDisableUser,
// AdminEnableUser, AdminUpdateUserAttributes, ListUsers.
#include "server/operations/users/users.hpp"

#include "server/auth/passwords.hpp"
#include "server/operations/common.hpp"
#include "server/operations/mfa/mfa.hpp"
#include "server/operations/pools/pool_schema.hpp"
#include "server/operations/triggers/triggers.hpp"
#include "server/operations/users/delivery.hpp"
#include "server/operations/users/user_filter.hpp"

#include <algorithm>
#include <set>
#include <string>

namespace cognitod
{

namespace
{

// Cognito's own format tests are loose: an email has one @ with text on both sides, a phone
// number is + followed by digits.
bool looks_like_email(std::string_view text)
{
    auto const at = text.find('@');
    return at != std::string_view::npos && at > 0 && at + 1 < text.size() &&
           text.find('@', at + 1) == std::string_view::npos;
}

bool looks_like_phone(std::string_view text)
{
    return text.size() > 1 && text.front() == '+' &&
           text.find_first_not_of("0123456789", 1) == std::string_view::npos;
}

void set_attribute(
    std::vector<storage::attribute>& attributes, std::string const& name, std::string const& value
)
{
    for (auto& a : attributes)
    {
        if (a.name == name)
        {
            a.value = value;
            return;
        }
    }
    attributes.push_back({name, value});
}

} // namespace

void check_alias_free(
    request_context& ctx,
    storage::user_pool const& pool,
    std::vector<storage::attribute> const& attributes,
    std::int64_t self_id
)
{
    for (std::string_view alias : {"email", "phone_number"})
    {
        bool const by_alias = lists(*pool.settings, "AliasAttributes", alias);
        bool const by_username = lists(*pool.settings, "UsernameAttributes", alias);
        if (!by_alias && !by_username)
        {
            continue;
        }
        std::string const name{alias};
        auto const value = std::find_if(
            attributes.begin(), attributes.end(), [&](auto const& a) { return a.name == name; }
        );
        if (value == attributes.end())
        {
            continue;
        }
        // An unverified email or phone number is no one's alias: only a verified one takes it.
        auto const self_verified = std::find_if(
            attributes.begin(),
            attributes.end(),
            [&](auto const& a) { return a.name == name + "_verified" && a.value == "true"; }
        );
        if (!by_username && self_verified == attributes.end())
        {
            continue;
        }
        for (auto const& other : users_with_attribute(ctx, pool, name, value->value))
        {
            bool const verified = other.attribute_value(name + "_verified") == "true";
            if (other.id != self_id && (by_username || verified))
            {
                std::string const what = alias == "email" ? "email" : "phone_number";
                throw errors::alias_exists(
                    "An account with the given " + what + " already exists."
                );
            }
        }
    }
}

// The invitation: the temporary password through each of DesiredDeliveryMediums (SMS when none
// are given) that the user has an address for.
void invite(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user const& u,
    std::string const& password,
    json const& input
)
{
    json mediums = json::array({"SMS"});
    if (auto it = input.find("DesiredDeliveryMediums"); it != input.end() && it->is_array())
    {
        mediums = *it;
    }
    for (auto const& medium : mediums)
    {
        auto const name = medium.get<std::string>();
        if (auto to = attribute_channel(u, name == "EMAIL" ? "email" : "phone_number"))
        {
            deliver(ctx, pool, u, *to, invitation_text(pool, name), password);
        }
    }
}

// The temporary password lasts the policy's TemporaryPasswordValidityDays from now.
void start_temporary_password(
    request_context& ctx, storage::user_pool const& pool, storage::user const& u
)
{
    auto const days = password_policy(pool).value("TemporaryPasswordValidityDays", 7);
    ctx.store.put_code(
        {u.id, "TEMPORARY_PASSWORD", "", ctx.now_ms + std::int64_t{days} * 86400 * 1000, 0, {}}
    );
}

json admin_create_user(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const username = input.at("Username").get<std::string>();
    auto const action = input.value("MessageAction", "");
    std::optional<std::string> given_password;
    if (auto it = input.find("TemporaryPassword"); it != input.end() && it->is_string())
    {
        given_password = it->get<std::string>();
    }
    auto const password =
        given_password ? *given_password : auth::generate_password(password_policy(pool), ctx.ids);
    if (action == "RESEND")
    {
        // RESEND invites an existing user again, with a new temporary password and its full
        // validity.
        auto u = require_user(ctx, pool, username);
        if (u.status != "FORCE_CHANGE_PASSWORD")
        {
            throw errors::unsupported_user_state(
                "Resend not possible. " + u.username + " status is not FORCE_CHANGE_PASSWORD."
            );
        }
        if (auto why = auth::policy_violation(password_policy(pool), password))
        {
            throw errors::invalid_password(
                "Password did not conform with password policy: " + *why
            );
        }
        auto const stored = auth::store_password(pool.id, u.username, password, ctx.ids);
        u.password_salt = stored.salt;
        u.password_verifier = stored.verifier;
        u.last_modified = ctx.now_ms;
        ctx.store.update_user(u);
        start_temporary_password(ctx, pool, u);
        invite(ctx, pool, u, password, input);
        return {{"User", user_type(u)}};
    }
    // PreSignUp may refuse; an administrator's user starts as AdminCreateUser makes it whatever
    // the function answers.
    call_trigger(
        ctx,
        pool,
        pre_sign_up_event("PreSignUp_AdminCreateUser", username, std::string{no_client}, input)
    );
    new_user spec;
    spec.username = username;
    spec.attributes = list_member(input, "UserAttributes");
    spec.password = password;
    spec.force_alias_creation = input.value("ForceAliasCreation", false);
    auto const u = create_user(ctx, pool, spec);
    start_temporary_password(ctx, pool, u);
    if (action != "SUPPRESS")
    {
        invite(ctx, pool, u, password, input);
    }
    return {{"User", user_type(u)}};
}

json admin_get_user(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const u = require_user(ctx, pool, input.at("Username").get<std::string>());
    auto out = user_type(u, "UserAttributes");
    add_mfa_settings(out, u);
    return out;
}

json admin_delete_user(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const u = require_user(ctx, pool, input.at("Username").get<std::string>());
    ctx.store.delete_user(u.id);
    return json::object();
}

json admin_set_user_password(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto u = require_user(ctx, pool, input.at("Username").get<std::string>());
    auto const password = input.at("Password").get<std::string>();
    if (auto why = auth::policy_violation(password_policy(pool), password))
    {
        throw errors::invalid_password("Password does not conform to policy: " + *why);
    }
    auto const stored = auth::store_password(pool.id, u.username, password, ctx.ids);
    u.password_salt = stored.salt;
    u.password_verifier = stored.verifier;
    bool const permanent = input.value("Permanent", false);
    u.status = permanent ? "CONFIRMED" : "FORCE_CHANGE_PASSWORD";
    u.last_modified = ctx.now_ms;
    ctx.store.update_user(u);
    if (permanent)
    {
        ctx.store.delete_code(u.id, "TEMPORARY_PASSWORD");
    }
    else
    {
        start_temporary_password(ctx, pool, u);
    }
    return json::object();
}

json set_enabled(request_context& ctx, json const& input, bool enabled)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto u = require_user(ctx, pool, input.at("Username").get<std::string>());
    if (u.enabled != enabled)
    {
        u.enabled = enabled;
        u.last_modified = ctx.now_ms;
        if (!enabled)
        {
            // Disabling revokes every token issued so far; enabling does not bring them back.
            ctx.store.revoke_user_sessions(u.id);
            u.revoked_before = ctx.now_ms / 1000;
        }
        ctx.store.update_user(u);
    }
    return json::object();
}

json admin_disable_user(request_context& ctx, json const& input)
{
    return set_enabled(ctx, input, false);
}
json admin_enable_user(request_context& ctx, json const& input)
{
    return set_enabled(ctx, input, true);
}

json admin_update_user_attributes(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const u = require_user(ctx, pool, input.at("Username").get<std::string>());
    update_attributes(ctx, pool, u, list_member(input, "UserAttributes"));
    return json::object();
}

json list_users(request_context& ctx, json const& input)
{
    auto const pool = require_pool(ctx, input.at("UserPoolId").get<std::string>());
    auto const after = read_page_token(ctx, input, "PaginationToken", "users");
    auto const limit = page_size(input, "Limit", 60);
    auto const filter = parse_user_filter(input.value("Filter", std::string{}));
    auto users = ctx.store.list_users(pool.seq, after, limit + 1, filter);
    json out = json::object();
    if (users.size() > limit)
    {
        users.pop_back();
        out["PaginationToken"] = make_page_token("users", users.back().id);
    }
    auto const& wanted = list_member(input, "AttributesToGet");
    json list = json::array();
    for (auto& u : users)
    {
        if (!wanted.empty())
        {
            std::erase_if(
                u.attributes,
                [&](storage::attribute const& a)
                { return std::find(wanted.begin(), wanted.end(), a.name) == wanted.end(); }
            );
        }
        list.push_back(user_type(u));
    }
    out["Users"] = std::move(list);
    return out;
}

json update_attributes(
    request_context& ctx, storage::user_pool const& pool, storage::user u, json const& given
)
{
    check_attributes(*pool.settings, given, attribute_use::update);
    // The names given, collected once: searching the whole list for each attribute's partner was
    // quadratic (27 s for 2,000 attributes under ASan; a 1 MiB request holds 25,000), all under
    // the store's lock.
    std::set<std::string> given_names;
    for (auto const& attr : given)
    {
        given_names.insert(attr.at("Name").get<std::string>());
    }
    auto const update_settings =
        pool.settings->value("UserAttributeUpdateSettings", json::object());
    struct pending_code
    {
        channel to;
        std::optional<std::string> value; // kept aside until verified
    };
    std::vector<pending_code> codes;
    auto attributes = u.attributes;
    for (auto const& attr : given)
    {
        auto const name = attr.at("Name").get<std::string>();
        auto const value = stored_value(*pool.settings, attr);
        bool const changed = u.attribute_value(name) != value;
        bool const verifiable = name == "email" || name == "phone_number";
        if (!verifiable || !changed || given_names.contains(name + "_verified"))
        {
            set_attribute(attributes, name, value);
            continue;
        }
        channel const to{name == "email" ? "EMAIL" : "SMS", name, value};
        bool const was_verified = u.attribute_value(name + "_verified") == "true";
        if (was_verified &&
            lists(update_settings, "AttributesRequireVerificationBeforeUpdate", name))
        {
            // The verified value stays until the new one is verified (VerifyUserAttribute).
            codes.push_back({to, value});
            continue;
        }
        set_attribute(attributes, name, value);
        // A new email or phone number is unverified until the request says otherwise.
        if (u.attribute_value(name + "_verified"))
        {
            set_attribute(attributes, name + "_verified", "false");
        }
        if (lists(*pool.settings, "AutoVerifiedAttributes", name))
        {
            codes.push_back({to, std::nullopt});
        }
    }
    check_alias_free(ctx, pool, attributes, u.id);
    ctx.store.replace_attributes(u.id, attributes);
    u.last_modified = ctx.now_ms;
    ctx.store.update_user(u);
    json sent = json::array();
    for (auto const& c : codes)
    {
        sent.push_back(send_code(
            ctx,
            pool,
            u,
            c.to,
            "VERIFY:" + c.to.attribute,
            "UPDATE_USER_ATTRIBUTE",
            attribute_code_ms,
            c.value
        ));
    }
    return sent;
}

storage::user
create_user(request_context& ctx, storage::user_pool const& pool, new_user const& spec)
{
    check_attributes(*pool.settings, spec.attributes, attribute_use::create);
    std::vector<storage::attribute> attributes;
    for (auto const& attr : spec.attributes)
    {
        set_attribute(
            attributes, attr.at("Name").get<std::string>(), stored_value(*pool.settings, attr)
        );
    }

    storage::user u;
    u.pool_seq = pool.seq;
    u.sub = ctx.ids.uuid();
    u.username = spec.username;
    bool const email_name = lists(*pool.settings, "UsernameAttributes", "email");
    bool const phone_name = lists(*pool.settings, "UsernameAttributes", "phone_number");
    if (email_name || phone_name)
    {
        // The email or phone number signs in; the username itself becomes the sub.
        bool const is_email = email_name && looks_like_email(spec.username);
        bool const is_phone = phone_name && looks_like_phone(spec.username);
        if (!is_email && !is_phone)
        {
            throw errors::invalid_parameter(
                email_name && phone_name ? "Username should be either an email or a phone number."
                : email_name             ? "Username should be an email."
                                         : "Username should be a phone number."
            );
        }
        std::string const attr = is_email ? "email" : "phone_number";
        auto const given = std::find_if(
            attributes.begin(), attributes.end(), [&](auto const& a) { return a.name == attr; }
        );
        if (given != attributes.end() && given->value != spec.username)
        {
            throw errors::invalid_parameter(
                "User " + attr +
                " should be empty or same as username, since username attribute is " + attr
            );
        }
        set_attribute(attributes, attr, spec.username);
        u.username = u.sub;
    }
    else if (lists(*pool.settings, "AliasAttributes", "email") && looks_like_email(spec.username))
    {
        throw errors::invalid_parameter(
            "Username cannot be of email format since user pool is configured for email alias."
        );
    }
    else if (lists(*pool.settings, "AliasAttributes", "phone_number") && looks_like_phone(spec.username))
    {
        throw errors::invalid_parameter("Username cannot be of phone number format since user pool "
                                        "is configured for phone number alias.");
    }
    u.username_key = username_key(pool, u.username);
    if (find_user(ctx, pool, spec.username) || ctx.store.find_user(pool.seq, u.username_key))
    {
        throw errors::username_exists();
    }
    if (!spec.force_alias_creation)
    {
        check_alias_free(ctx, pool, attributes, 0);
    }

    // sub leads the attribute list, as Cognito prints it.
    attributes.insert(attributes.begin(), storage::attribute{"sub", u.sub});
    u.attributes = std::move(attributes);
    auto const& policy = password_policy(pool);
    std::string const password =
        spec.password ? *spec.password : auth::generate_password(policy, ctx.ids);
    if (spec.password && !spec.migrated)
    {
        if (auto why = auth::policy_violation(policy, password))
        {
            throw errors::invalid_password(
                (spec.signed_up ? "Password did not conform with policy: "
                                : "Password did not conform with password policy: ") +
                *why
            );
        }
    }
    auto const stored = auth::store_password(pool.id, u.username, password, ctx.ids);
    u.password_salt = stored.salt;
    u.password_verifier = stored.verifier;
    u.status = spec.signed_up                                           ? "UNCONFIRMED"
               : spec.kind == password_kind::permanent && spec.password ? "CONFIRMED"
                                                                        : "FORCE_CHANGE_PASSWORD";
    u.enabled = spec.enabled;
    u.created = ctx.now_ms;
    u.last_modified = ctx.now_ms;
    u.id = ctx.store.insert_user(u);
    return u;
}

json user_type(storage::user const& u, char const* attributes_member)
{
    // Member by member, as device_type: an initializer list would copy each value twice.
    json out = json::object();
    auto& members = out.get_ref<json::object_t&>();
    members.emplace("Username", u.username);
    members.emplace(attributes_member, attributes_json(u.attributes));
    members.emplace("UserCreateDate", epoch_seconds(u.created));
    members.emplace("UserLastModifiedDate", epoch_seconds(u.last_modified));
    members.emplace("Enabled", u.enabled);
    members.emplace("UserStatus", u.status);
    return out;
}

std::vector<operation_entry> user_operations()
{
    return {
        {"AdminCreateUser", &admin_create_user, access::write},
        {"AdminGetUser", &admin_get_user, access::read},
        {"AdminDeleteUser", &admin_delete_user, access::write},
        {"AdminSetUserPassword", &admin_set_user_password, access::write},
        {"AdminDisableUser", &admin_disable_user, access::write},
        {"AdminEnableUser", &admin_enable_user, access::write},
        {"AdminUpdateUserAttributes", &admin_update_user_attributes, access::write},
        {"ListUsers", &list_users, access::read},
    };
}

} // namespace cognitod
