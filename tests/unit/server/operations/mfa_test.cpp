// SetUserPoolMfaConfig, GetUserPoolMfaConfig, AdminSetUserMFAPreference and SetUserMFAPreference:
// the pool's MFA settings and the user's factors, read back through the Get and Describe calls.
// The software token operations are in software_token_test.cpp.
#include "unit/server/operations/mfa_fixture.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace
{

using namespace cognitod::testing;

constexpr char const* unknown_pool = "us-east-1_ZZZZZZZZZ";

// A new pool, its MFA settings set and read through the operations.
class pool_mfa_settings : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().insert(f_);

    json set(json input) const
    {
        input["UserPoolId"] = pool_;
        return f_.call("SetUserPoolMfaConfig", input);
    }

    json get() const { return f_.call("GetUserPoolMfaConfig", {{"UserPoolId", pool_}}); }
};

class set_user_pool_mfa_config : public pool_mfa_settings
{
};

class get_user_pool_mfa_config : public pool_mfa_settings
{
};

class admin_set_user_mfa_preference : public mfa_users
{
protected:
    // AdminDeleteUserAttributes is not implemented yet (501), so the attribute goes from the store.
    void drop_phone_number(created_user const& u)
    {
        auto attributes = stored_user(f_.store, u.id).attributes;
        std::erase_if(attributes, [](auto const& a) { return a.name == "phone_number"; });
        replace_stored_attributes(f_.store, u.id, attributes);
    }
};

class set_user_mfa_preference : public mfa_users
{
};

json const sms_on{{"Enabled", true}};
json const sms_preferred{{"Enabled", true}, {"PreferredMfa", true}};

json const sms_config{{"SmsAuthenticationMessage", "Your sign-in code is {####}"}};
json const email_config{{"Message", "Your sign-in code is {####}"}, {"Subject", "Sign-in code"}};

} // namespace

// SetUserPoolMfaConfig

TEST_F(set_user_pool_mfa_config, answers_the_pools_mfa_settings)
{
    EXPECT_EQ(
        set(
            {{"MfaConfiguration", "OPTIONAL"},
             {"SoftwareTokenMfaConfiguration", {{"Enabled", true}}},
             {"SmsMfaConfiguration", sms_config}}
        ),
        (json{
            {"MfaConfiguration", "OPTIONAL"},
            {"SoftwareTokenMfaConfiguration", {{"Enabled", true}}},
            {"SmsMfaConfiguration", sms_config}})
    );
}

TEST_F(set_user_pool_mfa_config, given_only_the_mode_answers_only_the_mode)
{
    EXPECT_EQ(set({{"MfaConfiguration", "ON"}}), (json{{"MfaConfiguration", "ON"}}));
}

TEST_F(set_user_pool_mfa_config, keeps_the_pools_mode_when_given_none_and_answers_it)
{
    set({{"MfaConfiguration", "OPTIONAL"}});
    EXPECT_EQ(
        set({{"SoftwareTokenMfaConfiguration", {{"Enabled", true}}}}),
        (json{
            {"MfaConfiguration", "OPTIONAL"},
            {"SoftwareTokenMfaConfiguration", {{"Enabled", true}}}})
    );
    EXPECT_EQ(get().at("MfaConfiguration"), "OPTIONAL");
}

TEST_F(set_user_pool_mfa_config, given_nothing_answers_the_mode_a_new_pool_has)
{
    EXPECT_EQ(set(json::object()), (json{{"MfaConfiguration", "OFF"}}));
}

TEST_F(set_user_pool_mfa_config, keeps_factor_settings_it_is_not_given)
{
    set({{"SmsMfaConfiguration", sms_config}});
    set({{"SoftwareTokenMfaConfiguration", {{"Enabled", true}}}});
    EXPECT_EQ(
        get(),
        (json{
            {"MfaConfiguration", "OFF"},
            {"SmsMfaConfiguration", sms_config},
            {"SoftwareTokenMfaConfiguration", {{"Enabled", true}}}})
    );
}

TEST_F(set_user_pool_mfa_config, replaces_a_factors_settings_whole)
{
    set({{"SoftwareTokenMfaConfiguration", {{"Enabled", true}}}});
    set({{"SoftwareTokenMfaConfiguration", json::object()}});
    EXPECT_EQ(get().at("SoftwareTokenMfaConfiguration"), json::object());
}

TEST_F(set_user_pool_mfa_config, stores_the_email_factors_settings)
{
    EXPECT_EQ(
        set({{"EmailMfaConfiguration", email_config}}).at("EmailMfaConfiguration"), email_config
    );
    EXPECT_EQ(get().at("EmailMfaConfiguration"), email_config);
}

TEST_F(set_user_pool_mfa_config, changes_the_mode_describe_user_pool_shows)
{
    set({{"MfaConfiguration", "ON"}});
    auto const pool = f_.call("DescribeUserPool", {{"UserPoolId", pool_}}).at("UserPool");
    EXPECT_EQ(pool.at("MfaConfiguration"), "ON");
}

TEST_F(set_user_pool_mfa_config, describe_user_pool_leaves_the_factor_settings_out)
{
    set(
        {{"SoftwareTokenMfaConfiguration", {{"Enabled", true}}},
         {"SmsMfaConfiguration", sms_config},
         {"EmailMfaConfiguration", email_config}}
    );
    auto const pool = f_.call("DescribeUserPool", {{"UserPoolId", pool_}}).at("UserPool");
    EXPECT_FALSE(pool.contains("SoftwareTokenMfaConfiguration"));
    EXPECT_FALSE(pool.contains("SmsMfaConfiguration"));
    EXPECT_FALSE(pool.contains("EmailMfaConfiguration"));
}

TEST_F(set_user_pool_mfa_config, moves_the_pools_last_modified_date)
{
    f_.time.now = t0 + 5000;
    set({{"MfaConfiguration", "OPTIONAL"}});
    auto const pool = f_.call("DescribeUserPool", {{"UserPoolId", pool_}}).at("UserPool");
    EXPECT_DOUBLE_EQ(pool.at("LastModifiedDate").get<double>(), 1715100747.022);
}

TEST_F(set_user_pool_mfa_config, ignores_a_null_member)
{
    set({{"SmsMfaConfiguration", sms_config}});
    EXPECT_EQ(
        set({{"SmsMfaConfiguration", nullptr}, {"MfaConfiguration", nullptr}}),
        (json{{"MfaConfiguration", "OFF"}, {"SmsMfaConfiguration", sms_config}})
    );
}

TEST_F(set_user_pool_mfa_config, refuses_an_unknown_pool)
{
    EXPECT_AWS_ERROR(
        f_,
        "SetUserPoolMfaConfig",
        (json{{"UserPoolId", unknown_pool}, {"MfaConfiguration", "ON"}}),
        "ResourceNotFoundException",
        "User pool us-east-1_ZZZZZZZZZ does not exist."
    );
}

TEST_F(set_user_pool_mfa_config, refuses_a_mode_outside_the_model)
{
    EXPECT_AWS_ERROR(
        f_,
        "SetUserPoolMfaConfig",
        (json{{"UserPoolId", pool_}, {"MfaConfiguration", "SOMETIMES"}}),
        "InvalidParameterException",
        "1 validation error detected: Value 'SOMETIMES' at 'mfaConfiguration' failed to satisfy "
        "constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]"
    );
    EXPECT_EQ(get().at("MfaConfiguration"), "OFF");
}

// GetUserPoolMfaConfig

TEST_F(get_user_pool_mfa_config, answers_only_off_for_a_new_pool)
{
    EXPECT_EQ(get(), (json{{"MfaConfiguration", "OFF"}}));
}

TEST_F(get_user_pool_mfa_config, answers_the_mode_the_pool_was_created_with)
{
    auto const pool = make_pool().named("strict").with("MfaConfiguration", "ON").insert(f_);
    EXPECT_EQ(
        f_.call("GetUserPoolMfaConfig", {{"UserPoolId", pool}}), (json{{"MfaConfiguration", "ON"}})
    );
}

TEST_F(get_user_pool_mfa_config, answers_what_set_stored)
{
    set(
        {{"MfaConfiguration", "OPTIONAL"},
         {"SoftwareTokenMfaConfiguration", {{"Enabled", true}}},
         {"SmsMfaConfiguration", sms_config},
         {"EmailMfaConfiguration", email_config}}
    );
    EXPECT_EQ(
        get(),
        (json{
            {"MfaConfiguration", "OPTIONAL"},
            {"SoftwareTokenMfaConfiguration", {{"Enabled", true}}},
            {"SmsMfaConfiguration", sms_config},
            {"EmailMfaConfiguration", email_config}})
    );
}

TEST_F(get_user_pool_mfa_config, answers_only_the_pool_it_names)
{
    auto const other = make_pool().named("other").insert(f_);
    set({{"MfaConfiguration", "ON"}, {"SoftwareTokenMfaConfiguration", {{"Enabled", true}}}});
    EXPECT_EQ(
        f_.call("GetUserPoolMfaConfig", {{"UserPoolId", other}}),
        (json{{"MfaConfiguration", "OFF"}})
    );
}

TEST_F(get_user_pool_mfa_config, refuses_an_unknown_pool)
{
    EXPECT_AWS_ERROR(
        f_,
        "GetUserPoolMfaConfig",
        (json{{"UserPoolId", unknown_pool}}),
        "ResourceNotFoundException",
        "User pool us-east-1_ZZZZZZZZZ does not exist."
    );
}

// AdminSetUserMFAPreference

TEST_F(admin_set_user_mfa_preference, answers_an_empty_object)
{
    EXPECT_EQ(admin_prefer("alice", {{"SMSMfaSettings", sms_on}}), json::object());
}

TEST_F(admin_set_user_mfa_preference, a_new_user_has_no_factor_and_no_preference)
{
    EXPECT_EQ(mfa_of("alice"), json::object());
}

TEST_F(admin_set_user_mfa_preference, enabling_sms_lists_it_without_preferring_it)
{
    admin_prefer("alice", {{"SMSMfaSettings", sms_on}});
    EXPECT_EQ(mfa_of("alice"), (json{{"UserMFASettingList", {"SMS_MFA"}}}));
}

TEST_F(admin_set_user_mfa_preference, enabling_and_preferring_sms_makes_it_the_preferred_setting)
{
    admin_prefer("alice", {{"SMSMfaSettings", sms_preferred}});
    EXPECT_EQ(
        mfa_of("alice"),
        (json{{"UserMFASettingList", {"SMS_MFA"}}, {"PreferredMfaSetting", "SMS_MFA"}})
    );
}

TEST_F(admin_set_user_mfa_preference, changes_only_the_named_user)
{
    admin_prefer("alice", {{"SMSMfaSettings", sms_preferred}});
    EXPECT_EQ(mfa_of("bob"), json::object());
}

TEST_F(admin_set_user_mfa_preference, enabling_sms_for_a_user_without_a_phone_number_is_refused)
{
    EXPECT_AWS_ERROR(
        f_,
        "AdminSetUserMFAPreference",
        (json{{"UserPoolId", pool_}, {"Username", "bob"}, {"SMSMfaSettings", sms_on}}),
        "InvalidParameterException",
        "User does not have a phone number for SMS MFA"
    );
}

TEST_F(admin_set_user_mfa_preference, a_refused_call_changes_neither_factor)
{
    verified_token(access_token_of("bob"));
    auto const before = stored_mfa(bob_);
    EXPECT_AWS_ERROR(
        f_,
        "AdminSetUserMFAPreference",
        (json{
            {"UserPoolId", pool_},
            {"Username", "bob"},
            {"SMSMfaSettings", sms_on},
            {"SoftwareTokenMfaSettings", {{"Enabled", true}, {"PreferredMfa", true}}}}),
        "InvalidParameterException",
        "User does not have a phone number for SMS MFA"
    );
    EXPECT_EQ(mfa_of("bob"), json::object());
    EXPECT_EQ(stored_mfa(bob_), before);
}

TEST_F(admin_set_user_mfa_preference, enabling_a_software_token_never_associated_is_refused)
{
    EXPECT_AWS_ERROR(
        f_,
        "AdminSetUserMFAPreference",
        (json{
            {"UserPoolId", pool_},
            {"Username", "alice"},
            {"SoftwareTokenMfaSettings", {{"Enabled", true}}}}),
        "InvalidParameterException",
        "User has not verified software token mfa"
    );
}

TEST_F(
    admin_set_user_mfa_preference, enabling_a_software_token_associated_but_not_verified_is_refused
)
{
    associate(access_);
    EXPECT_AWS_ERROR(
        f_,
        "AdminSetUserMFAPreference",
        (json{
            {"UserPoolId", pool_},
            {"Username", "alice"},
            {"SoftwareTokenMfaSettings", {{"Enabled", true}}}}),
        "InvalidParameterException",
        "User has not verified software token mfa"
    );
    EXPECT_EQ(mfa_of("alice"), json::object());
}

TEST_F(admin_set_user_mfa_preference, enabling_a_verified_software_token_lists_it)
{
    verified_token(access_);
    admin_prefer("alice", {{"SoftwareTokenMfaSettings", {{"Enabled", true}}}});
    EXPECT_EQ(mfa_of("alice"), (json{{"UserMFASettingList", {"SOFTWARE_TOKEN_MFA"}}}));
}

TEST_F(admin_set_user_mfa_preference, both_factors_enabled_are_listed_sms_first)
{
    verified_token(access_);
    admin_prefer(
        "alice", {{"SoftwareTokenMfaSettings", {{"Enabled", true}}}, {"SMSMfaSettings", sms_on}}
    );
    EXPECT_EQ(mfa_of("alice"), (json{{"UserMFASettingList", {"SMS_MFA", "SOFTWARE_TOKEN_MFA"}}}));
}

TEST_F(admin_set_user_mfa_preference, disabling_a_factor_takes_it_off_the_list)
{
    admin_prefer("alice", {{"SMSMfaSettings", sms_on}});
    admin_prefer("alice", {{"SMSMfaSettings", {{"Enabled", false}}}});
    EXPECT_EQ(mfa_of("alice"), json::object());
}

TEST_F(admin_set_user_mfa_preference, disabling_a_software_token_never_associated_is_allowed)
{
    EXPECT_EQ(
        admin_prefer("alice", {{"SoftwareTokenMfaSettings", {{"Enabled", false}}}}), json::object()
    );
    EXPECT_EQ(mfa_of("alice"), json::object());
}

TEST_F(admin_set_user_mfa_preference, disabling_sms_needs_no_phone_number)
{
    EXPECT_EQ(admin_prefer("bob", {{"SMSMfaSettings", {{"Enabled", false}}}}), json::object());
}

TEST_F(admin_set_user_mfa_preference, settings_without_enabled_leave_the_factor_enabled)
{
    admin_prefer("alice", {{"SMSMfaSettings", sms_on}});
    admin_prefer("alice", {{"SMSMfaSettings", {{"PreferredMfa", true}}}});
    EXPECT_EQ(
        mfa_of("alice"),
        (json{{"UserMFASettingList", {"SMS_MFA"}}, {"PreferredMfaSetting", "SMS_MFA"}})
    );
}

TEST_F(admin_set_user_mfa_preference, settings_without_preferred_mfa_keep_the_preference)
{
    admin_prefer("alice", {{"SMSMfaSettings", sms_preferred}});
    admin_prefer("alice", {{"SMSMfaSettings", sms_on}});
    EXPECT_EQ(mfa_of("alice").at("PreferredMfaSetting"), "SMS_MFA");
}

TEST_F(admin_set_user_mfa_preference, a_factor_left_out_of_the_call_is_left_alone)
{
    admin_prefer("alice", {{"SMSMfaSettings", sms_preferred}});
    admin_prefer("alice", {{"SoftwareTokenMfaSettings", {{"Enabled", false}}}});
    EXPECT_EQ(
        mfa_of("alice"),
        (json{{"UserMFASettingList", {"SMS_MFA"}}, {"PreferredMfaSetting", "SMS_MFA"}})
    );
}

TEST_F(admin_set_user_mfa_preference, preferred_mfa_false_drops_the_preference)
{
    admin_prefer("alice", {{"SMSMfaSettings", sms_preferred}});
    admin_prefer("alice", {{"SMSMfaSettings", {{"Enabled", true}, {"PreferredMfa", false}}}});
    EXPECT_EQ(mfa_of("alice"), (json{{"UserMFASettingList", {"SMS_MFA"}}}));
}

TEST_F(admin_set_user_mfa_preference, preferring_the_software_token_after_sms_makes_it_preferred)
{
    verified_token(access_);
    admin_prefer("alice", {{"SMSMfaSettings", sms_preferred}});
    admin_prefer(
        "alice", {{"SoftwareTokenMfaSettings", {{"Enabled", true}, {"PreferredMfa", true}}}}
    );
    EXPECT_EQ(
        mfa_of("alice"),
        (json{
            {"UserMFASettingList", {"SMS_MFA", "SOFTWARE_TOKEN_MFA"}},
            {"PreferredMfaSetting", "SOFTWARE_TOKEN_MFA"}})
    );
    EXPECT_EQ(stored_mfa(alice_).at("sms").at("preferred"), false);
}

TEST_F(admin_set_user_mfa_preference, preferring_sms_after_the_software_token_makes_it_preferred)
{
    verified_token(access_);
    admin_prefer(
        "alice", {{"SoftwareTokenMfaSettings", {{"Enabled", true}, {"PreferredMfa", true}}}}
    );
    admin_prefer("alice", {{"SMSMfaSettings", sms_preferred}});
    EXPECT_EQ(
        mfa_of("alice"),
        (json{
            {"UserMFASettingList", {"SMS_MFA", "SOFTWARE_TOKEN_MFA"}},
            {"PreferredMfaSetting", "SMS_MFA"}})
    );
    EXPECT_EQ(stored_mfa(alice_).at("totp").at("preferred"), false);
}

TEST_F(admin_set_user_mfa_preference, preferring_both_in_one_call_prefers_the_software_token)
{
    verified_token(access_);
    admin_prefer(
        "alice",
        {{"SMSMfaSettings", sms_preferred},
         {"SoftwareTokenMfaSettings", {{"Enabled", true}, {"PreferredMfa", true}}}}
    );
    EXPECT_EQ(mfa_of("alice").at("PreferredMfaSetting"), "SOFTWARE_TOKEN_MFA");
    EXPECT_EQ(stored_mfa(alice_).at("sms").at("preferred"), false);
}

// cognitod's current rule: PreferredMfa is kept whether or not the factor is enabled.
TEST_F(admin_set_user_mfa_preference, a_preference_without_enabled_is_reported_unlisted)
{
    admin_prefer("alice", {{"SMSMfaSettings", {{"PreferredMfa", true}}}});
    EXPECT_EQ(mfa_of("alice"), (json{{"PreferredMfaSetting", "SMS_MFA"}}));
}

TEST_F(admin_set_user_mfa_preference, disabling_the_preferred_factor_keeps_the_preference)
{
    admin_prefer("alice", {{"SMSMfaSettings", sms_preferred}});
    admin_prefer("alice", {{"SMSMfaSettings", {{"Enabled", false}}}});
    EXPECT_EQ(mfa_of("alice"), (json{{"PreferredMfaSetting", "SMS_MFA"}}));
}

TEST_F(admin_set_user_mfa_preference, sms_is_unlisted_once_the_phone_number_is_gone)
{
    admin_prefer("alice", {{"SMSMfaSettings", sms_on}});
    drop_phone_number(alice_);
    EXPECT_EQ(mfa_of("alice"), json::object());
}

TEST_F(admin_set_user_mfa_preference, sms_enabled_without_a_phone_number_refuses_any_later_call)
{
    admin_prefer("alice", {{"SMSMfaSettings", sms_on}});
    drop_phone_number(alice_);
    EXPECT_AWS_ERROR(
        f_,
        "AdminSetUserMFAPreference",
        (json{
            {"UserPoolId", pool_},
            {"Username", "alice"},
            {"SoftwareTokenMfaSettings", {{"Enabled", false}}}}),
        "InvalidParameterException",
        "User does not have a phone number for SMS MFA"
    );
}

TEST_F(admin_set_user_mfa_preference, email_mfa_settings_are_accepted_and_ignored)
{
    EXPECT_EQ(
        admin_prefer("alice", {{"EmailMfaSettings", {{"Enabled", true}, {"PreferredMfa", true}}}}),
        json::object()
    );
    EXPECT_EQ(mfa_of("alice"), json::object());
    EXPECT_EQ(stored_mfa(alice_), json::object());
}

TEST_F(admin_set_user_mfa_preference, moves_the_users_last_modified_date)
{
    f_.time.now = t0 + 7000;
    admin_prefer("alice", {{"SMSMfaSettings", sms_on}});
    auto const user = f_.call("AdminGetUser", {{"UserPoolId", pool_}, {"Username", "alice"}});
    EXPECT_DOUBLE_EQ(user.at("UserLastModifiedDate").get<double>(), 1715100749.022);
}

TEST_F(admin_set_user_mfa_preference, refuses_an_unknown_pool)
{
    EXPECT_AWS_ERROR(
        f_,
        "AdminSetUserMFAPreference",
        (json{{"UserPoolId", unknown_pool}, {"Username", "alice"}, {"SMSMfaSettings", sms_on}}),
        "ResourceNotFoundException",
        "User pool us-east-1_ZZZZZZZZZ does not exist."
    );
}

TEST_F(admin_set_user_mfa_preference, refuses_an_unknown_user)
{
    EXPECT_AWS_ERROR(
        f_,
        "AdminSetUserMFAPreference",
        (json{{"UserPoolId", pool_}, {"Username", "nobody"}, {"SMSMfaSettings", sms_on}}),
        "UserNotFoundException",
        "User does not exist."
    );
}

// SetUserMFAPreference

TEST_F(set_user_mfa_preference, answers_an_empty_object)
{
    EXPECT_EQ(prefer(access_, {{"SMSMfaSettings", sms_on}}), json::object());
}

TEST_F(set_user_mfa_preference, changes_the_tokens_user_only)
{
    prefer(access_, {{"SMSMfaSettings", sms_preferred}});
    EXPECT_EQ(
        mfa_of("alice"),
        (json{{"UserMFASettingList", {"SMS_MFA"}}, {"PreferredMfaSetting", "SMS_MFA"}})
    );
    EXPECT_EQ(mfa_of("bob"), json::object());
}

TEST_F(set_user_mfa_preference, get_user_shows_the_settings)
{
    prefer(access_, {{"SMSMfaSettings", sms_preferred}});
    auto const user = f_.call("GetUser", {{"AccessToken", access_}});
    EXPECT_EQ(user.at("UserMFASettingList"), (json{"SMS_MFA"}));
    EXPECT_EQ(user.at("PreferredMfaSetting"), "SMS_MFA");
}

TEST_F(set_user_mfa_preference, enabling_sms_without_a_phone_number_is_refused)
{
    EXPECT_AWS_ERROR(
        f_,
        "SetUserMFAPreference",
        (json{{"AccessToken", access_token_of("bob")}, {"SMSMfaSettings", sms_on}}),
        "InvalidParameterException",
        "User does not have a phone number for SMS MFA"
    );
    EXPECT_EQ(mfa_of("bob"), json::object());
}

TEST_F(set_user_mfa_preference, enabling_an_unverified_software_token_is_refused)
{
    associate(access_);
    EXPECT_AWS_ERROR(
        f_,
        "SetUserMFAPreference",
        (json{{"AccessToken", access_}, {"SoftwareTokenMfaSettings", {{"Enabled", true}}}}),
        "InvalidParameterException",
        "User has not verified software token mfa"
    );
}

TEST_F(set_user_mfa_preference, enabling_a_verified_software_token_prefers_it_when_asked)
{
    verified_token(access_);
    prefer(access_, {{"SoftwareTokenMfaSettings", {{"Enabled", true}, {"PreferredMfa", true}}}});
    EXPECT_EQ(
        mfa_of("alice"),
        (json{
            {"UserMFASettingList", {"SOFTWARE_TOKEN_MFA"}},
            {"PreferredMfaSetting", "SOFTWARE_TOKEN_MFA"}})
    );
}

TEST_F(set_user_mfa_preference, the_later_preference_wins)
{
    verified_token(access_);
    prefer(access_, {{"SoftwareTokenMfaSettings", {{"Enabled", true}, {"PreferredMfa", true}}}});
    prefer(access_, {{"SMSMfaSettings", sms_preferred}});
    EXPECT_EQ(mfa_of("alice").at("PreferredMfaSetting"), "SMS_MFA");
}

TEST_F(set_user_mfa_preference, needs_an_access_token)
{
    EXPECT_AWS_ERROR(
        f_,
        "SetUserMFAPreference",
        (json{{"SMSMfaSettings", sms_on}}),
        "InvalidParameterException",
        "1 validation error detected: Value null at 'accessToken' failed to satisfy constraint: "
        "Member must not be null"
    );
}
