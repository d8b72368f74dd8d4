// The pools' RS256 signing keys. Making an RSA-2048 key takes 100-300 ms, too long for a request
// (a test suite that gives each test its own pool would wait for it in every test), so a
// background thread keeps a stock of ready keys in the database, and CreateUserPool takes two
// (access and ID tokens) into the new pool in its own transaction: keys stay one pool's own, and
// a restarted cognitod finds its stock as it left it. Each pool's keys are parsed once and shared.
//
// When a burst of CreateUserPool calls empties the stock, the pools it could not serve are made
// without keys and said so in the log, once until the stock is full again. Such a pool's first
// token or key set throws keys_needed inside its transaction; the dispatcher rolls back, calls
// supply() with no lease held (it takes a key pair that has come into the stock meanwhile, or
// makes one on that request's thread) and runs the call again. Only that call waits: every
// other call goes on, as no lock is held while a key is made.
//
// Thread-safe: any thread may call every member.
#pragma once

#include "server/auth/jwt.hpp"
#include "server/logger.hpp"
#include "storage/store.hpp"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

namespace cognitod
{

// Like Cognito, one key signs the pool's access tokens and another its ID tokens.
struct pool_keys
{
    auth::rsa_key access;
    auth::rsa_key id;
};

// The pool has no keys yet and a call needs them: see key_stock.
struct keys_needed : std::exception
{
    std::int64_t pool_seq = 0;

    explicit keys_needed(std::int64_t seq) noexcept : pool_seq(seq) {}
    char const* what() const noexcept override;
};

class key_stock
{
    storage::store& store_;
    logger const& log_;
    std::size_t target_;

    // The maker (idle priority) makes keys while the stock and the keys it has made but not yet
    // stored hold fewer than target_, and wakes when a pool takes keys; the keeper (normal
    // priority) stores what it made, so that only a thread the scheduler runs promptly ever
    // holds the store's writer.
    std::mutex mutex_;
    std::condition_variable wake_; // the maker's
    std::condition_variable keep_; // the keeper's
    bool woken_ = false;           // guarded by mutex_
    bool stopping_ = false;        // guarded by mutex_
    // guarded by mutex_: the log has said the stock ran out, or it has not been full since start
    // (a new database's first pools are no burst, and a seed applied at start runs before it)
    bool said_empty_ = true;
    bool gave_up_ = false;            // guarded by mutex_: the store refuses writes, for good
    std::size_t ready_ = 0;           // guarded by mutex_: the stock's size, counted down as taken
    std::deque<std::string> made_;    // guarded by mutex_: made, not yet stored
    std::size_t storing_ = 0;         // guarded by mutex_: taken from made_, not yet counted
    std::atomic<bool> cancel_{false}; // stops a key being made, at stop()
    std::thread maker_;
    std::thread keeper_;

    // Parsed keys by pool, with the stored text they were parsed from: a pool's sequence number
    // is used again after a reset, so an entry serves only the text it came from.
    struct parsed
    {
        std::string text;
        std::shared_ptr<pool_keys const> keys;
    };
    std::mutex cache_mutex_;
    std::unordered_map<std::int64_t, parsed> cache_; // guarded by cache_mutex_
    static constexpr std::size_t max_cached_pools = 1024;
    // The stock's keys, parsed by the generator (parsing a PEM takes some 0.4 ms), by their PEM;
    // a pool's first call takes its two from here.
    std::unordered_map<std::string, auth::rsa_key> parsed_stock_; // guarded by cache_mutex_

    void make();
    void keep();
    void counted(std::size_t ready);
    void parsed_ahead(std::string pem, auth::rsa_key key);
    auth::rsa_key parse(std::string const& pem);

public:
    // target: the keys to keep ready; 0 makes none ahead (every pool makes its own on first use).
    key_stock(storage::store& store, logger const& log, std::size_t target);
    ~key_stock();
    key_stock(key_stock const&) = delete;
    key_stock& operator=(key_stock const&) = delete;
    key_stock(key_stock&&) = delete;
    key_stock& operator=(key_stock&&) = delete;

    // Starts the maker and keeper threads (when target > 0).
    void start();
    // Stops them: the key being made is abandoned, those made are stored (the destructor does
    // too).
    void stop();

    std::size_t target() const noexcept { return target_; }
    // The keys ready, as last counted.
    std::size_t ready();

    // Inside the transaction that created the pool: gives it two keys from the stock. False when
    // the stock holds fewer: the pool has none until it first needs them.
    bool assign(storage::queries& q, std::int64_t pool_seq, std::string const& pool_id);

    // The pool's keys, or null when it has none.
    std::shared_ptr<pool_keys const> find(storage::queries& q, std::int64_t pool_seq);
    // The same, but throws keys_needed when it has none.
    std::shared_ptr<pool_keys const> keys(storage::queries& q, std::int64_t pool_seq);

    // With no lease held: gives the pool keys, from the stock when it has two, else made on this
    // thread. Nothing happens when the pool has keys by then or is gone.
    void supply(std::int64_t pool_seq);
};

} // namespace cognitod
