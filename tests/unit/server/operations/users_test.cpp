#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>
#include <vector>

namespace
{

using namespace cognitod::testing;

json create_user(fixture& f, json input)
{
    return f.call("AdminCreateUser", input).at("User");
}

json get_user(fixture& f, std::string const& pool, std::string const& username)
{
    return f.call("AdminGetUser", {{"UserPoolId", pool}, {"Username", username}});
}

bool is_uuid_v4(std::string const& text)
{
    static std::regex const uuid{
        "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"};
    return std::regex_match(text, uuid);
}

class users : public ::testing::Test
{
protected:
    fixture f_;
    std::string pool_ = make_pool().insert(f_);

    json list(std::string const& filter)
    {
        return f_.call("ListUsers", {{"UserPoolId", pool_}, {"Filter", filter}}).at("Users");
    }
};

} // namespace

// AdminCreateUser

TEST_F(users, admin_create_user_starts_the_user_in_force_change_password)
{
    auto const user = create_user(f_, {{"UserPoolId", pool_}, {"Username", "alice"}});
    EXPECT_EQ(user.at("Username"), "alice");
    EXPECT_EQ(user.at("UserStatus"), "FORCE_CHANGE_PASSWORD");
    EXPECT_EQ(user.at("Enabled"), true);
    EXPECT_DOUBLE_EQ(user.at("UserCreateDate").get<double>(), 1715100742.022);
    EXPECT_EQ(user.at("UserCreateDate"), user.at("UserLastModifiedDate"));
}

TEST_F(users, admin_create_user_puts_sub_first_then_the_given_attributes_in_order)
{
    auto const user = create_user(
        f_,
        {{"UserPoolId", pool_},
         {"Username", "alice"},
         {"UserAttributes",
          {{{"Name", "name"}, {"Value", "Alice"}},
           {{"Name", "email"}, {"Value", "a@example.com"}}}}}
    );
    auto const& attributes = user.at("Attributes");
    ASSERT_EQ(attributes.size(), 3U);
    EXPECT_EQ(attributes[0].at("Name"), "sub");
    EXPECT_TRUE(is_uuid_v4(attributes[0].at("Value").get<std::string>())) << attributes[0];
    EXPECT_EQ(attributes[1], json({{"Name", "name"}, {"Value", "Alice"}}));
    EXPECT_EQ(attributes[2], json({{"Name", "email"}, {"Value", "a@example.com"}}));
}

TEST_F(users, admin_create_user_refuses_an_existing_username)
{
    make_user("alice").insert(f_, pool_);
    EXPECT_AWS_ERROR(
        f_,
        "AdminCreateUser",
        json({{"UserPoolId", pool_}, {"Username", "alice"}}),
        "UsernameExistsException",
        "User account already exists"
    );
}

TEST(admin_create_user, refuses_a_case_variant_in_a_case_insensitive_pool)
{
    fixture f;
    auto const pool = make_pool().case_insensitive().insert(f);
    make_user("Alice").insert(f, pool);
    EXPECT_AWS_ERROR(
        f,
        "AdminCreateUser",
        json({{"UserPoolId", pool}, {"Username", "aLiCe"}}),
        "UsernameExistsException",
        "User account already exists"
    );
}

TEST(admin_create_user, keeps_the_username_as_given_in_a_case_insensitive_pool)
{
    fixture f;
    auto const pool = make_pool().case_insensitive().insert(f);
    make_user("Alice").insert(f, pool);
    EXPECT_EQ(get_user(f, pool, "ALICE").at("Username"), "Alice");
}

TEST_F(users, admin_create_user_checks_the_temporary_password_against_the_policy)
{
    EXPECT_AWS_ERROR(
        f_,
        "AdminCreateUser",
        json({{"UserPoolId", pool_}, {"Username", "alice"}, {"TemporaryPassword", "Ab1!"}}),
        "InvalidPasswordException",
        "Password did not conform with password policy: Password not long enough"
    );
    EXPECT_EQ(
        f_.error_of("AdminGetUser", {{"UserPoolId", pool_}, {"Username", "alice"}}).code(),
        "UserNotFoundException"
    );
}

TEST_F(users, admin_create_user_refuses_an_attribute_outside_the_schema)
{
    EXPECT_AWS_ERROR(
        f_,
        "AdminCreateUser",
        json(
            {{"UserPoolId", pool_},
             {"Username", "alice"},
             {"UserAttributes", {{{"Name", "favorite_flavor"}, {"Value", "vanilla"}}}}}
        ),
        "InvalidParameterException",
        "Attributes did not conform to the schema: favorite_flavor: Attribute does not exist in "
        "the "
        "schema.\n"
    );
}

TEST_F(users, admin_create_user_refuses_a_user_in_an_unknown_pool)
{
    EXPECT_AWS_ERROR(
        f_,
        "AdminCreateUser",
        json({{"UserPoolId", "us-east-1_AAAAAAAAA"}, {"Username", "alice"}}),
        "ResourceNotFoundException",
        "User pool us-east-1_AAAAAAAAA does not exist."
    );
}

TEST(admin_create_user, makes_the_sub_the_username_when_email_is_the_username_attribute)
{
    fixture f;
    auto const pool = make_pool().with_email_username().insert(f);
    auto const user = create_user(f, {{"UserPoolId", pool}, {"Username", "alice@example.com"}});
    auto const sub = attribute_in(user.at("Attributes"), "sub");
    ASSERT_TRUE(sub);
    EXPECT_EQ(user.at("Username"), *sub);
    EXPECT_EQ(attribute_in(user.at("Attributes"), "email"), "alice@example.com");
}

TEST(admin_create_user, finds_an_email_username_user_by_email_afterwards)
{
    fixture f;
    auto const pool = make_pool().with_email_username().insert(f);
    auto const alice = make_user("alice@example.com").insert(f, pool);
    EXPECT_EQ(get_user(f, pool, "alice@example.com").at("Username"), alice.sub);
}

TEST(admin_create_user, finds_an_email_username_without_regard_to_case_when_the_pool_says_so)
{
    fixture f;
    auto const pool = make_pool().with_email_username().case_insensitive().insert(f);
    auto const alice = make_user("Alice@Example.com").insert(f, pool);
    auto const found =
        f.call("AdminGetUser", {{"UserPoolId", pool}, {"Username", "alice@example.com"}});
    EXPECT_EQ(found.at("Username"), alice.sub);
}

TEST(admin_create_user, refuses_a_case_variant_of_an_email_username_when_the_pool_ignores_case)
{
    fixture f;
    auto const pool = make_pool().with_email_username().case_insensitive().insert(f);
    make_user("Alice@Example.com").insert(f, pool);
    EXPECT_EQ(
        f.error_of(
             "AdminCreateUser", {{"UserPoolId", pool}, {"Username", "alice@example.com"}}
        ).code(),
        "UsernameExistsException"
    );
}

TEST(admin_create_user, refuses_an_email_attribute_that_differs_from_the_email_username)
{
    fixture f;
    auto const pool = make_pool().with_email_username().insert(f);
    EXPECT_AWS_ERROR(
        f,
        "AdminCreateUser",
        json(
            {{"UserPoolId", pool},
             {"Username", "alice@example.com"},
             {"UserAttributes", {{{"Name", "email"}, {"Value", "other@example.com"}}}}}
        ),
        "InvalidParameterException",
        "User email should be empty or same as username, since username attribute is email"
    );
}

TEST(admin_create_user, refuses_a_non_email_username_when_email_is_the_username_attribute)
{
    fixture f;
    auto const pool = make_pool().with_email_username().insert(f);
    EXPECT_AWS_ERROR(
        f,
        "AdminCreateUser",
        json({{"UserPoolId", pool}, {"Username", "alice"}}),
        "InvalidParameterException",
        "Username should be an email."
    );
}

TEST(admin_create_user, refuses_a_second_user_with_the_same_email_username)
{
    fixture f;
    auto const pool = make_pool().with_email_username().insert(f);
    make_user("alice@example.com").insert(f, pool);
    EXPECT_EQ(
        f.error_of(
             "AdminCreateUser", {{"UserPoolId", pool}, {"Username", "alice@example.com"}}
        ).code(),
        "UsernameExistsException"
    );
}

TEST(admin_create_user, refuses_an_email_shaped_username_in_an_email_alias_pool)
{
    fixture f;
    auto const pool = make_pool().with_email_alias().insert(f);
    EXPECT_AWS_ERROR(
        f,
        "AdminCreateUser",
        json({{"UserPoolId", pool}, {"Username", "alice@example.com"}}),
        "InvalidParameterException",
        "Username cannot be of email format since user pool is configured for email alias."
    );
}

TEST(admin_create_user, refuses_a_verified_email_alias_another_user_holds)
{
    fixture f;
    auto const pool = make_pool().with_email_alias().insert(f);
    make_user("alice").with_email("shared@example.com", true).insert(f, pool);
    EXPECT_AWS_ERROR(
        f,
        "AdminCreateUser",
        json(
            {{"UserPoolId", pool},
             {"Username", "bob"},
             {"UserAttributes",
              {{{"Name", "email"}, {"Value", "shared@example.com"}},
               {{"Name", "email_verified"}, {"Value", "true"}}}}}
        ),
        "AliasExistsException",
        "An account with the given email already exists."
    );
}

// AdminGetUser

TEST_F(users, admin_get_user_names_its_attribute_list_user_attributes)
{
    make_user("alice").with("name", "Alice").insert(f_, pool_);
    auto const user = get_user(f_, pool_, "alice");
    EXPECT_EQ(user.at("Username"), "alice");
    EXPECT_EQ(attribute_in(user.at("UserAttributes"), "name"), "Alice");
    EXPECT_FALSE(user.contains("Attributes"));
}

TEST_F(users, admin_get_user_rejects_an_unknown_user)
{
    EXPECT_AWS_ERROR(
        f_,
        "AdminGetUser",
        json({{"UserPoolId", pool_}, {"Username", "mallory"}}),
        "UserNotFoundException",
        "User does not exist."
    );
}

// AdminSetUserPassword

TEST_F(users, a_permanent_password_confirms_the_user)
{
    make_user("alice").insert(f_, pool_);
    f_.call(
        "AdminSetUserPassword",
        {{"UserPoolId", pool_},
         {"Username", "alice"},
         {"Password", "Passw0rd!"},
         {"Permanent", true}}
    );
    EXPECT_EQ(get_user(f_, pool_, "alice").at("UserStatus"), "CONFIRMED");
}

TEST_F(users, a_temporary_password_forces_a_change)
{
    make_user("alice").with_password("Passw0rd!").insert(f_, pool_);
    ASSERT_EQ(get_user(f_, pool_, "alice").at("UserStatus"), "CONFIRMED");
    f_.call(
        "AdminSetUserPassword",
        {{"UserPoolId", pool_},
         {"Username", "alice"},
         {"Password", "Passw0rd!2"},
         {"Permanent", false}}
    );
    EXPECT_EQ(get_user(f_, pool_, "alice").at("UserStatus"), "FORCE_CHANGE_PASSWORD");
}

TEST_F(users, admin_set_user_password_checks_the_policy)
{
    make_user("alice").insert(f_, pool_);
    auto const error = f_.error_of(
        "AdminSetUserPassword",
        {{"UserPoolId", pool_}, {"Username", "alice"}, {"Password", "Ab1!"}, {"Permanent", true}}
    );
    EXPECT_EQ(error.code(), "InvalidPasswordException");
    EXPECT_TRUE(std::string{error.what()}.ends_with(": Password not long enough")) << error.what();
    EXPECT_EQ(get_user(f_, pool_, "alice").at("UserStatus"), "FORCE_CHANGE_PASSWORD");
}

TEST_F(users, admin_set_user_password_fails_without_crashing_when_the_pool_lacks_a_policy)
{
    make_user("alice").insert(f_, pool_);
    // Only a pool written outside CreateUserPool lacks one.
    {
        auto writer = f_.store.write();
        auto pool = writer->find_user_pool(pool_);
        pool->settings.edit().erase("Policies");
        writer->update_user_pool(*pool);
    }
    EXPECT_THROW(
        f_.call(
            "AdminSetUserPassword",
            {{"UserPoolId", pool_},
             {"Username", "alice"},
             {"Password", "Passw0rd!"},
             {"Permanent", true}}
        ),
        json::type_error
    );
}

TEST_F(users, admin_set_user_password_moves_the_last_modified_date)
{
    make_user("alice").insert(f_, pool_);
    f_.time.now = t0 + 1000;
    f_.call(
        "AdminSetUserPassword",
        {{"UserPoolId", pool_},
         {"Username", "alice"},
         {"Password", "Passw0rd!"},
         {"Permanent", true}}
    );
    EXPECT_DOUBLE_EQ(
        get_user(f_, pool_, "alice").at("UserLastModifiedDate").get<double>(), 1715100743.022
    );
}

// AdminDisableUser / AdminEnableUser

TEST_F(users, admin_disable_user_disables_the_user)
{
    make_user("alice").insert(f_, pool_);
    EXPECT_EQ(
        f_.call("AdminDisableUser", {{"UserPoolId", pool_}, {"Username", "alice"}}), json::object()
    );
    EXPECT_EQ(get_user(f_, pool_, "alice").at("Enabled"), false);
}

TEST_F(users, admin_enable_user_enables_a_disabled_user)
{
    make_user("alice").insert(f_, pool_);
    f_.call("AdminDisableUser", {{"UserPoolId", pool_}, {"Username", "alice"}});
    f_.call("AdminEnableUser", {{"UserPoolId", pool_}, {"Username", "alice"}});
    EXPECT_EQ(get_user(f_, pool_, "alice").at("Enabled"), true);
}

TEST_F(users, a_disabled_user_still_shows_in_list_users)
{
    make_user("alice").insert(f_, pool_);
    f_.call("AdminDisableUser", {{"UserPoolId", pool_}, {"Username", "alice"}});
    auto const listed = list("");
    ASSERT_EQ(listed.size(), 1U);
    EXPECT_EQ(listed[0].at("Enabled"), false);
}

TEST_F(users, admin_disable_user_rejects_an_unknown_user)
{
    EXPECT_AWS_ERROR(
        f_,
        "AdminDisableUser",
        json({{"UserPoolId", pool_}, {"Username", "mallory"}}),
        "UserNotFoundException",
        "User does not exist."
    );
}

// AdminDeleteUser

TEST_F(users, admin_delete_user_removes_the_user)
{
    make_user("alice").insert(f_, pool_);
    f_.call("AdminDeleteUser", {{"UserPoolId", pool_}, {"Username", "alice"}});
    EXPECT_EQ(
        f_.error_of("AdminGetUser", {{"UserPoolId", pool_}, {"Username", "alice"}}).code(),
        "UserNotFoundException"
    );
}

// AdminUpdateUserAttributes

TEST_F(users, admin_update_user_attributes_changes_and_adds_attributes_keeping_order)
{
    make_user("alice").with("name", "Alice").insert(f_, pool_);
    f_.call(
        "AdminUpdateUserAttributes",
        {{"UserPoolId", pool_},
         {"Username", "alice"},
         {"UserAttributes",
          {{{"Name", "locale"}, {"Value", "fr"}}, {{"Name", "name"}, {"Value", "Alicia"}}}}}
    );
    auto const attributes = get_user(f_, pool_, "alice").at("UserAttributes");
    ASSERT_EQ(attributes.size(), 3U);
    EXPECT_EQ(attributes[0].at("Name"), "sub");
    EXPECT_EQ(attributes[1], json({{"Name", "name"}, {"Value", "Alicia"}}));
    EXPECT_EQ(attributes[2], json({{"Name", "locale"}, {"Value", "fr"}}));
}

TEST_F(users, a_changed_email_is_no_longer_verified)
{
    make_user("alice").with_email("old@example.com", true).insert(f_, pool_);
    f_.call(
        "AdminUpdateUserAttributes",
        {{"UserPoolId", pool_},
         {"Username", "alice"},
         {"UserAttributes", {{{"Name", "email"}, {"Value", "new@example.com"}}}}}
    );
    auto const attributes = get_user(f_, pool_, "alice").at("UserAttributes");
    EXPECT_EQ(attribute_in(attributes, "email"), "new@example.com");
    EXPECT_EQ(attribute_in(attributes, "email_verified"), "false");
}

TEST_F(users, an_email_changed_with_its_verification_keeps_the_given_verification)
{
    make_user("alice").with_email("old@example.com", false).insert(f_, pool_);
    f_.call(
        "AdminUpdateUserAttributes",
        {{"UserPoolId", pool_},
         {"Username", "alice"},
         {"UserAttributes",
          {{{"Name", "email"}, {"Value", "new@example.com"}},
           {{"Name", "email_verified"}, {"Value", "true"}}}}}
    );
    auto const attributes = get_user(f_, pool_, "alice").at("UserAttributes");
    EXPECT_EQ(attribute_in(attributes, "email_verified"), "true");
}

// Found by feeding request_fuzzer a 1 MiB AdminUpdateUserAttributes (25,000 attributes, beyond its
// 8 KiB inputs): each attribute searched the whole list for its _verified partner, which kept the
// store locked for over five minutes. The bound is loose; it only tells linear from quadratic.
TEST_F(users, admin_update_user_attributes_takes_thousands_of_attributes_in_one_pass)
{
    make_user("alice").with_email("old@example.com", true).insert(f_, pool_);
    json given = json::array();
    for (int i = 0; i < 5000; ++i)
    {
        given.push_back({{"Name", "email"}, {"Value", "a" + std::to_string(i) + "@example.com"}});
    }
    given.push_back({{"Name", "email_verified"}, {"Value", "true"}});
    auto const started = std::chrono::steady_clock::now();
    f_.call(
        "AdminUpdateUserAttributes",
        {{"UserPoolId", pool_}, {"Username", "alice"}, {"UserAttributes", given}}
    );
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds{20});
    auto const attributes = get_user(f_, pool_, "alice").at("UserAttributes");
    EXPECT_EQ(attribute_in(attributes, "email"), "a4999@example.com");
    EXPECT_EQ(attribute_in(attributes, "email_verified"), "true");
}

TEST_F(users, admin_update_user_attributes_refuses_to_change_sub)
{
    auto const alice = make_user("alice").insert(f_, pool_);
    EXPECT_AWS_ERROR(
        f_,
        "AdminUpdateUserAttributes",
        json(
            {{"UserPoolId", pool_},
             {"Username", "alice"},
             {"UserAttributes", {{{"Name", "sub"}, {"Value", "mine"}}}}}
        ),
        "InvalidParameterException",
        "Attributes did not conform to the schema: sub: Attribute cannot be updated. (changing an "
        "immutable attribute)\n"
    );
    EXPECT_EQ(attribute_in(get_user(f_, pool_, "alice").at("UserAttributes"), "sub"), alice.sub);
}

TEST_F(users, admin_update_user_attributes_refuses_a_boolean_that_is_not_true_or_false)
{
    make_user("alice").insert(f_, pool_);
    EXPECT_AWS_ERROR(
        f_,
        "AdminUpdateUserAttributes",
        json(
            {{"UserPoolId", pool_},
             {"Username", "alice"},
             {"UserAttributes", {{{"Name", "email_verified"}, {"Value", "yes"}}}}}
        ),
        "InvalidParameterException",
        "Attributes did not conform to the schema: email_verified: Attribute value must be true or "
        "false.\n"
    );
}

TEST_F(users, boolean_attributes_are_accepted_in_any_case_and_kept_in_lower_case)
{
    f_.call(
        "AdminCreateUser",
        {{"UserPoolId", pool_},
         {"Username", "alice"},
         {"UserAttributes",
          {{{"Name", "email"}, {"Value", "alice@example.com"}},
           {{"Name", "email_verified"}, {"Value", "True"}}}}}
    );
    EXPECT_EQ(
        attribute_in(get_user(f_, pool_, "alice").at("UserAttributes"), "email_verified"), "true"
    );
    f_.call(
        "AdminUpdateUserAttributes",
        {{"UserPoolId", pool_},
         {"Username", "alice"},
         {"UserAttributes", {{{"Name", "email_verified"}, {"Value", "FALSE"}}}}}
    );
    EXPECT_EQ(
        attribute_in(get_user(f_, pool_, "alice").at("UserAttributes"), "email_verified"), "false"
    );
}

TEST(admin_update_user_attributes, refuses_a_verified_email_alias_another_user_holds)
{
    fixture f;
    auto const pool = make_pool().with_email_alias().insert(f);
    make_user("alice").with_email("alice@example.com", true).insert(f, pool);
    make_user("bob").with_email("bob@example.com", true).insert(f, pool);
    EXPECT_AWS_ERROR(
        f,
        "AdminUpdateUserAttributes",
        json(
            {{"UserPoolId", pool},
             {"Username", "bob"},
             {"UserAttributes",
              {{{"Name", "email"}, {"Value", "alice@example.com"}},
               {{"Name", "email_verified"}, {"Value", "true"}}}}}
        ),
        "AliasExistsException",
        "An account with the given email already exists."
    );
}
