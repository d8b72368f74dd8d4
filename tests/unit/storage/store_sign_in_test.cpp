#include "storage/store.hpp"
#include "unit/storage/storage_helpers.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace
{

using cognitod::storage::app_client;
using cognitod::storage::auth_session;
using cognitod::storage::challenge;
using cognitod::storage::queries;
using cognitod::storage::sqlite_error;
using cognitod::storage::user;
using cognitod::storage::user_pool;
using cognitod::storage::testing::challenge_row;
using cognitod::storage::testing::client_row;
using cognitod::storage::testing::insert_client;
using cognitod::storage::testing::make_pool;
using cognitod::storage::testing::make_user;
using cognitod::storage::testing::memory_queries;
using cognitod::storage::testing::rows;
using cognitod::storage::testing::session_row;
using cognitod::storage::testing::t0;

std::vector<std::string> client_ids(std::vector<app_client> const& clients)
{
    std::vector<std::string> ids;
    for (auto const& c : clients)
    {
        ids.push_back(c.id);
    }
    return ids;
}

class store_sign_in : public ::testing::Test
{
protected:
    queries s_ = memory_queries();
    user_pool pool_ = make_pool().insert(s_);
    user_pool other_pool_ = make_pool("us-east-1_000000002").insert(s_);
    user alice_ = make_user("alice").insert(s_, pool_);
    user bob_ = make_user("bob").insert(s_, pool_);
    app_client web_ = insert_client(s_, client_row("web", pool_));
    app_client cli_ = insert_client(s_, client_row("cli", pool_));
};

} // namespace

// App clients

TEST_F(store_sign_in, find_app_client_returns_what_was_inserted)
{
    auto c = client_row("secretive", pool_);
    c.secret = "s3cr3t";
    c.settings["ExplicitAuthFlows"] = {"ALLOW_REFRESH_TOKEN_AUTH"};
    auto const inserted = insert_client(s_, c);
    auto const found = s_.find_app_client("secretive");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->seq, inserted.seq);
    EXPECT_EQ(found->id, "secretive");
    EXPECT_EQ(found->pool_seq, pool_.seq);
    EXPECT_EQ(found->name, "client-secretive");
    EXPECT_EQ(found->secret, "s3cr3t");
    EXPECT_EQ(found->created, t0);
    EXPECT_EQ(found->last_modified, t0);
    EXPECT_EQ(found->settings, c.settings);
}

TEST_F(store_sign_in, a_client_without_a_secret_stores_null)
{
    EXPECT_EQ(s_.find_app_client("web")->secret, "");
    EXPECT_EQ(
        cognitod::storage::testing::scalar(
            s_.db(), "SELECT count(*) FROM app_clients WHERE id = 'web' AND secret IS NULL"
        ),
        1
    );
}

TEST_F(store_sign_in, find_app_client_of_an_unknown_id_is_empty)
{
    EXPECT_FALSE(s_.find_app_client("nope"));
}

TEST_F(store_sign_in, client_ids_are_unique)
{
    EXPECT_THROW(s_.insert_app_client(client_row("web", other_pool_)), sqlite_error);
}

TEST_F(store_sign_in, list_app_clients_lists_the_pools_clients_oldest_first)
{
    insert_client(s_, client_row("elsewhere", other_pool_));
    EXPECT_EQ(
        client_ids(s_.list_app_clients(pool_.seq, 0, 10)), (std::vector<std::string>{"web", "cli"})
    );
}

TEST_F(store_sign_in, list_app_clients_starts_after_the_given_seq_and_stops_at_the_limit)
{
    auto const third = insert_client(s_, client_row("third", pool_));
    EXPECT_EQ(client_ids(s_.list_app_clients(pool_.seq, 0, 1)), std::vector<std::string>{"web"});
    EXPECT_EQ(
        client_ids(s_.list_app_clients(pool_.seq, web_.seq, 10)),
        (std::vector<std::string>{"cli", "third"})
    );
    EXPECT_TRUE(s_.list_app_clients(pool_.seq, third.seq, 10).empty());
}

TEST_F(store_sign_in, update_app_client_writes_name_settings_and_last_modified)
{
    auto c = web_;
    c.name = "renamed";
    c.settings = {{"AuthSessionValidity", 10}};
    c.last_modified = t0 + 5;
    s_.update_app_client(c);
    auto const found = s_.find_app_client("web");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->name, "renamed");
    EXPECT_EQ(found->settings, c.settings);
    EXPECT_EQ(found->last_modified, t0 + 5);
    EXPECT_EQ(found->created, t0);
}

TEST_F(store_sign_in, update_app_client_keeps_the_secret)
{
    auto c = client_row("secretive", pool_);
    c.secret = "s3cr3t";
    c = insert_client(s_, c);
    c.secret = "changed";
    s_.update_app_client(c);
    EXPECT_EQ(s_.find_app_client("secretive")->secret, "s3cr3t");
}

TEST_F(store_sign_in, delete_app_client_removes_only_that_client)
{
    s_.delete_app_client(web_.seq);
    EXPECT_FALSE(s_.find_app_client("web"));
    EXPECT_TRUE(s_.find_app_client("cli"));
}

TEST_F(store_sign_in, deleting_a_pool_deletes_its_clients)
{
    insert_client(s_, client_row("elsewhere", other_pool_));
    s_.delete_user_pool(pool_.seq);
    EXPECT_FALSE(s_.find_app_client("web"));
    EXPECT_FALSE(s_.find_app_client("cli"));
    EXPECT_TRUE(s_.find_app_client("elsewhere"));
}

// Signing keys

TEST_F(store_sign_in, a_new_pool_has_no_signing_keys)
{
    EXPECT_FALSE(s_.pool_signing_keys(pool_.seq));
}

TEST_F(store_sign_in, signing_keys_are_kept_per_pool)
{
    s_.set_pool_signing_keys(pool_.seq, R"({"access":"A","id":"I"})");
    EXPECT_EQ(s_.pool_signing_keys(pool_.seq), R"({"access":"A","id":"I"})");
    EXPECT_FALSE(s_.pool_signing_keys(other_pool_.seq));
}

// Auth sessions

TEST_F(store_sign_in, find_auth_session_returns_what_was_inserted)
{
    auto session = session_row("jti-1", alice_, web_);
    session.device_key = "us-east-1_device";
    s_.insert_auth_session(session);
    auto const found = s_.find_auth_session("jti-1");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->origin_jti, "jti-1");
    EXPECT_EQ(found->user_id, alice_.id);
    EXPECT_EQ(found->client_seq, web_.seq);
    EXPECT_EQ(found->refresh_hash, "hash-jti-1");
    EXPECT_EQ(found->device_key, "us-east-1_device");
    EXPECT_EQ(found->auth_time, t0 / 1000);
    EXPECT_EQ(found->refresh_expires, t0 / 1000 + 30 * 86400);
    EXPECT_FALSE(found->revoked);
}

TEST_F(store_sign_in, a_session_without_a_device_reads_back_an_empty_key)
{
    s_.insert_auth_session(session_row("jti-1", alice_, web_));
    EXPECT_EQ(s_.find_auth_session("jti-1")->device_key, "");
    EXPECT_EQ(rows(s_, "auth_sessions WHERE device_key IS NULL"), 1);
}

TEST_F(store_sign_in, find_auth_session_by_refresh_finds_the_session_of_that_hash)
{
    s_.insert_auth_session(session_row("jti-1", alice_, web_));
    s_.insert_auth_session(session_row("jti-2", alice_, web_));
    auto const found = s_.find_auth_session_by_refresh("hash-jti-2");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->origin_jti, "jti-2");
    EXPECT_FALSE(s_.find_auth_session_by_refresh("hash-unknown"));
}

TEST_F(store_sign_in, find_auth_session_of_an_unknown_jti_is_empty)
{
    EXPECT_FALSE(s_.find_auth_session("nope"));
}

TEST_F(store_sign_in, refresh_hashes_are_unique)
{
    s_.insert_auth_session(session_row("jti-1", alice_, web_));
    auto clash = session_row("jti-2", bob_, cli_);
    clash.refresh_hash = "hash-jti-1";
    EXPECT_THROW(s_.insert_auth_session(clash), sqlite_error);
}

TEST_F(store_sign_in, a_session_needs_an_existing_user_and_client)
{
    auto orphan = session_row("jti-1", alice_, web_);
    orphan.user_id = 9999;
    EXPECT_THROW(s_.insert_auth_session(orphan), sqlite_error);
    auto no_client = session_row("jti-2", alice_, web_);
    no_client.client_seq = 9999;
    EXPECT_THROW(s_.insert_auth_session(no_client), sqlite_error);
}

TEST_F(store_sign_in, revoke_auth_session_revokes_only_that_session)
{
    s_.insert_auth_session(session_row("jti-1", alice_, web_));
    s_.insert_auth_session(session_row("jti-2", alice_, web_));
    s_.revoke_auth_session("jti-1");
    EXPECT_TRUE(s_.find_auth_session("jti-1")->revoked);
    EXPECT_FALSE(s_.find_auth_session("jti-2")->revoked);
    EXPECT_TRUE(s_.find_auth_session_by_refresh("hash-jti-1")->revoked);
}

TEST_F(store_sign_in, revoke_user_sessions_revokes_every_session_of_the_user_only)
{
    s_.insert_auth_session(session_row("alice-web", alice_, web_));
    s_.insert_auth_session(session_row("alice-cli", alice_, cli_));
    s_.insert_auth_session(session_row("bob-web", bob_, web_));
    s_.revoke_user_sessions(alice_.id);
    EXPECT_TRUE(s_.find_auth_session("alice-web")->revoked);
    EXPECT_TRUE(s_.find_auth_session("alice-cli")->revoked);
    EXPECT_FALSE(s_.find_auth_session("bob-web")->revoked);
}

TEST_F(store_sign_in, set_session_refresh_replaces_the_hash_and_keeps_the_session)
{
    s_.insert_auth_session(session_row("jti-1", alice_, web_));
    s_.set_session_refresh("jti-1", "hash-rotated");
    EXPECT_FALSE(s_.find_auth_session_by_refresh("hash-jti-1"));
    auto const found = s_.find_auth_session_by_refresh("hash-rotated");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->origin_jti, "jti-1");
    EXPECT_EQ(found->auth_time, t0 / 1000);
}

TEST_F(store_sign_in, deleting_a_user_deletes_its_sessions)
{
    s_.insert_auth_session(session_row("alice-web", alice_, web_));
    s_.insert_auth_session(session_row("bob-web", bob_, web_));
    s_.delete_user(alice_.id);
    EXPECT_FALSE(s_.find_auth_session("alice-web"));
    EXPECT_FALSE(s_.find_auth_session_by_refresh("hash-alice-web"));
    EXPECT_TRUE(s_.find_auth_session("bob-web"));
}

TEST_F(store_sign_in, deleting_a_client_deletes_its_sessions)
{
    s_.insert_auth_session(session_row("alice-web", alice_, web_));
    s_.insert_auth_session(session_row("alice-cli", alice_, cli_));
    s_.delete_app_client(web_.seq);
    EXPECT_FALSE(s_.find_auth_session("alice-web"));
    EXPECT_TRUE(s_.find_auth_session("alice-cli"));
}

TEST_F(store_sign_in, deleting_a_pool_deletes_its_sessions)
{
    s_.insert_auth_session(session_row("alice-web", alice_, web_));
    s_.delete_user_pool(pool_.seq);
    EXPECT_EQ(rows(s_, "auth_sessions"), 0);
}

// Users' sign-out mark

TEST_F(store_sign_in, a_new_user_has_revoked_before_zero)
{
    EXPECT_EQ(s_.find_user_by_id(alice_.id)->revoked_before, 0);
}

TEST_F(store_sign_in, update_user_writes_revoked_before)
{
    auto u = *s_.find_user_by_id(alice_.id);
    u.revoked_before = t0 / 1000;
    s_.update_user(u);
    EXPECT_EQ(s_.find_user_by_id(alice_.id)->revoked_before, t0 / 1000);
    EXPECT_EQ(s_.find_user_by_id(bob_.id)->revoked_before, 0);
}

// Challenges

TEST_F(store_sign_in, find_challenge_returns_what_was_inserted)
{
    auto c = challenge_row("session-1", alice_, web_, t0 + 180'000);
    c.state = {{"device_key", "us-east-1_device"}, {"attempts", 1}};
    s_.insert_challenge(c);
    auto const found = s_.find_challenge("session-1");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->session_hash, "session-1");
    EXPECT_EQ(found->user_id, alice_.id);
    EXPECT_EQ(found->client_seq, web_.seq);
    EXPECT_EQ(found->name, "NEW_PASSWORD_REQUIRED");
    EXPECT_EQ(found->expires, t0 + 180'000);
    EXPECT_EQ(found->state, c.state);
}

TEST_F(store_sign_in, find_challenge_of_an_unknown_hash_is_empty)
{
    EXPECT_FALSE(s_.find_challenge("nope"));
}

TEST_F(store_sign_in, delete_challenge_removes_only_that_challenge)
{
    s_.insert_challenge(challenge_row("session-1", alice_, web_, t0));
    s_.insert_challenge(challenge_row("session-2", alice_, web_, t0));
    s_.delete_challenge("session-1");
    EXPECT_FALSE(s_.find_challenge("session-1"));
    EXPECT_TRUE(s_.find_challenge("session-2"));
}

TEST_F(store_sign_in, delete_expired_challenges_removes_those_that_expired_before_now)
{
    s_.insert_challenge(challenge_row("expired", alice_, web_, t0 - 1));
    s_.insert_challenge(challenge_row("expiring-now", alice_, web_, t0));
    s_.insert_challenge(challenge_row("later", alice_, web_, t0 + 1));
    s_.delete_expired_challenges(t0);
    EXPECT_FALSE(s_.find_challenge("expired"));
    EXPECT_TRUE(s_.find_challenge("expiring-now"));
    EXPECT_TRUE(s_.find_challenge("later"));
}

TEST_F(store_sign_in, deleting_a_user_deletes_its_challenges)
{
    s_.insert_challenge(challenge_row("alice", alice_, web_, t0));
    s_.insert_challenge(challenge_row("bob", bob_, web_, t0));
    s_.delete_user(alice_.id);
    EXPECT_FALSE(s_.find_challenge("alice"));
    EXPECT_TRUE(s_.find_challenge("bob"));
}

TEST_F(store_sign_in, deleting_a_client_deletes_its_challenges)
{
    s_.insert_challenge(challenge_row("web", alice_, web_, t0));
    s_.insert_challenge(challenge_row("cli", alice_, cli_, t0));
    s_.delete_app_client(web_.seq);
    EXPECT_FALSE(s_.find_challenge("web"));
    EXPECT_TRUE(s_.find_challenge("cli"));
}

TEST_F(store_sign_in, wipe_removes_clients_sessions_and_challenges)
{
    s_.insert_auth_session(session_row("jti-1", alice_, web_));
    s_.insert_challenge(challenge_row("session-1", alice_, web_, t0));
    s_.wipe();
    EXPECT_EQ(rows(s_, "app_clients"), 0);
    EXPECT_EQ(rows(s_, "auth_sessions"), 0);
    EXPECT_EQ(rows(s_, "challenges"), 0);
}
