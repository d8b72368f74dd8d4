// The signing-key stock: CreateUserPool takes its keys from it, a pool it could not serve gets
// them on its first token or key set, and the generator fills it and leaves it for a restart.
#include "fixture.hpp"
#include "server/operations/sign_in/sign_in.hpp"

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>
#include <unistd.h>

namespace cognitod::testing
{
namespace
{

constexpr char const* password = "Passw0rd!";

std::vector<std::string> stock_keys(fixture& f, std::size_t count)
{
    std::vector<std::string> pems;
    auto writer = f.store.write();
    for (std::size_t i = 0; i < count; ++i)
    {
        pems.push_back(auth::rsa_key::generate().private_pem());
        writer->add_stock_key(pems.back());
    }
    return pems;
}

std::optional<json> stored_keys(fixture& f, std::string const& pool_id)
{
    auto reader = f.store.read();
    auto const pool = reader->find_user_pool(pool_id);
    auto const text = reader->pool_signing_keys(pool->seq);
    return text ? std::optional<json>{json::parse(*text)} : std::nullopt;
}

std::size_t stocked(fixture& f)
{
    return f.store.read()->count_stock_keys();
}

json jwks(fixture& f, std::string const& pool_id)
{
    return f.calls.run(access::read, f.info, &jwks_document, pool_id);
}

std::string kid_of(std::string const& token)
{
    return auth::decode_jwt(token)->header.at("kid").get<std::string>();
}

struct signed_in
{
    std::string pool_id;
    json tokens;
};

signed_in sign_in_to_new_pool(fixture& f)
{
    auto const pool_id = make_pool().insert(f);
    auto const client = make_client().insert(f, pool_id);
    make_user("alice").with_password(password).insert(f, pool_id);
    return {pool_id, admin_password_auth(f, client, "alice", password).at("AuthenticationResult")};
}

TEST(key_stock, create_user_pool_takes_the_two_oldest_keys)
{
    fixture f;
    auto const pems = stock_keys(f, 3);
    auto const first = make_pool().insert(f);
    EXPECT_EQ(stored_keys(f, first), (json{{"access", pems[0]}, {"id", pems[1]}}));
    EXPECT_EQ(stocked(f), 1U);
    // One key is not a pair: the pool goes without, and the key stays for the next.
    auto const second = make_pool().insert(f);
    EXPECT_EQ(stored_keys(f, second), std::nullopt);
    EXPECT_EQ(stocked(f), 1U);
}

TEST(key_stock, a_pool_made_on_an_empty_stock_gets_keys_on_its_first_token)
{
    fixture f;
    auto const pool_id = make_pool().insert(f);
    EXPECT_EQ(stored_keys(f, pool_id), std::nullopt);
    auto const client = make_client().insert(f, pool_id);
    make_user("alice").with_password(password).insert(f, pool_id);
    auto const tokens =
        admin_password_auth(f, client, "alice", password).at("AuthenticationResult");
    auto const keys = stored_keys(f, pool_id);
    ASSERT_TRUE(keys.has_value());
    auto const access = auth::rsa_key::from_pem(keys->at("access").get<std::string>());
    EXPECT_EQ(kid_of(tokens.at("AccessToken").get<std::string>()), access.kid());
    EXPECT_EQ(
        f.call("GetUser", {{"AccessToken", tokens.at("AccessToken")}}).at("Username"), "alice"
    );
}

TEST(key_stock, a_pool_without_keys_takes_those_that_came_into_the_stock_meanwhile)
{
    fixture f;
    auto const pool_id = make_pool().insert(f);
    auto const pems = stock_keys(f, 2);
    auto const client = make_client().insert(f, pool_id);
    make_user("alice").with_password(password).insert(f, pool_id);
    admin_password_auth(f, client, "alice", password);
    EXPECT_EQ(stored_keys(f, pool_id), (json{{"access", pems[0]}, {"id", pems[1]}}));
    EXPECT_EQ(stocked(f), 0U);
}

TEST(key_stock, the_key_set_of_a_pool_without_keys_is_made_once)
{
    fixture f;
    auto const pool_id = make_pool().insert(f);
    auto const first = jwks(f, pool_id);
    ASSERT_EQ(first.at("keys").size(), 2U);
    EXPECT_NE(first.at("keys").at(0).at("kid"), first.at("keys").at(1).at("kid"));
    EXPECT_EQ(jwks(f, pool_id), first);
    EXPECT_TRUE(stored_keys(f, pool_id).has_value());
}

TEST(key_stock, each_pool_signs_with_keys_of_its_own)
{
    fixture f;
    stock_keys(f, 4);
    auto const a = sign_in_to_new_pool(f);
    auto const b = sign_in_to_new_pool(f);
    std::set<std::string> kids;
    for (auto const* pool : {&a, &b})
    {
        auto const set = jwks(f, pool->pool_id);
        for (auto const& key : set.at("keys"))
        {
            kids.insert(key.at("kid").get<std::string>());
        }
    }
    EXPECT_EQ(kids.size(), 4U);
    // A's token, with its issuer changed to B's: B's keys do not verify it.
    auto claims = claims_of(a.tokens.at("AccessToken").get<std::string>());
    auto const b_issuer = claims_of(b.tokens.at("AccessToken").get<std::string>()).at("iss");
    claims["iss"] = b_issuer;
    auto const forged = with_payload(a.tokens.at("AccessToken").get<std::string>(), claims);
    EXPECT_AWS_ERROR(
        f,
        "GetUser",
        (json{{"AccessToken", forged}}),
        "NotAuthorizedException",
        "Invalid Access Token"
    );
}

TEST(key_stock, a_pool_made_after_a_reset_does_not_sign_with_the_keys_of_the_one_before)
{
    // The pool after the reset has the same sequence number: the parsed keys kept for it must
    // not serve the new pool.
    fixture f;
    stock_keys(f, 4);
    auto const before = sign_in_to_new_pool(f);
    f.store.write()->wipe();
    EXPECT_EQ(stocked(f), 2U);
    auto const after = sign_in_to_new_pool(f);
    EXPECT_NE(
        kid_of(after.tokens.at("AccessToken").get<std::string>()),
        kid_of(before.tokens.at("AccessToken").get<std::string>())
    );
    EXPECT_EQ(
        f.call("GetUser", {{"AccessToken", after.tokens.at("AccessToken")}}).at("Username"), "alice"
    );
    EXPECT_AWS_ERROR(
        f,
        "GetUser",
        (json{{"AccessToken", before.tokens.at("AccessToken")}}),
        "NotAuthorizedException",
        "Invalid Access Token"
    );
}

class key_stock_file : public ::testing::Test
{
protected:
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("cognitod-key-stock-" + std::to_string(::getpid()));
    logger log{log_level::error};

    void SetUp() override
    {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
    }
    void TearDown() override { std::filesystem::remove_all(dir); }
    std::string db() const { return (dir / "keys.db").string(); }
};

// Polls until the stock reports count keys ready; false after a generous minute.
bool await_ready(key_stock& keys, std::size_t count)
{
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::minutes{1};
    while (keys.ready() < count)
    {
        if (std::chrono::steady_clock::now() > deadline)
        {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{20});
    }
    return true;
}

TEST_F(key_stock_file, the_generator_fills_the_stock_and_a_restart_finds_it_full)
{
    std::vector<std::string> made;
    {
        storage::store store{db()};
        key_stock keys{store, log, 3};
        keys.start();
        ASSERT_TRUE(await_ready(keys, 3));
        keys.stop();
        made = store.read()->stock_keys();
    }
    ASSERT_EQ(made.size(), 3U);
    EXPECT_EQ(std::set<std::string>(made.begin(), made.end()).size(), 3U);
    storage::store store{db()};
    key_stock keys{store, log, 3};
    keys.start();
    EXPECT_EQ(keys.ready(), 3U);
    keys.stop();
    EXPECT_EQ(store.read()->stock_keys(), made);
}

TEST_F(key_stock_file, the_generator_refills_what_a_pool_took)
{
    storage::store store{db()};
    key_stock keys{store, log, 2};
    keys.start();
    ASSERT_TRUE(await_ready(keys, 2));
    {
        auto writer = store.write();
        storage::transaction tx{writer->db(), storage::transaction_mode::immediate};
        storage::user_pool pool;
        pool.id = "us-east-1_stocktest";
        pool.name = "stock";
        pool.seq = writer->insert_user_pool(pool);
        EXPECT_TRUE(keys.assign(*writer, pool.seq, pool.id));
        tx.commit();
    }
    EXPECT_EQ(store.read()->count_stock_keys(), 0U);
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::minutes{1};
    while (store.read()->count_stock_keys() < 2 && std::chrono::steady_clock::now() < deadline)
    {
        std::this_thread::sleep_for(std::chrono::milliseconds{20});
    }
    EXPECT_EQ(store.read()->count_stock_keys(), 2U);
}

TEST_F(key_stock_file, stop_returns_while_a_large_stock_is_being_made)
{
    storage::store store{db()};
    key_stock keys{store, log, 100000};
    keys.start();
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
    keys.stop(); // cancels the key being made: a hang here fails the test by its timeout
    EXPECT_LT(store.read()->count_stock_keys(), 100000U);
}

} // namespace
} // namespace cognitod::testing
