#include "server/key_stock.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <pthread.h>
#include <sched.h>
#include <utility>
#include <vector>

namespace cognitod
{

namespace
{

using steady = std::chrono::steady_clock;

std::string stored_text(std::string const& access_pem, std::string const& id_pem)
{
    return nlohmann::json{{"access", access_pem}, {"id", id_pem}}.dump();
}

long long milliseconds_since(steady::time_point started)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - started).count();
}

} // namespace

char const* keys_needed::what() const noexcept
{
    return "the user pool's signing keys are not made yet";
}

key_stock::key_stock(storage::store& store, logger const& log, std::size_t target)
    : store_(store), log_(log), target_(target)
{
}

key_stock::~key_stock()
{
    stop();
}

void key_stock::start()
{
    if (maker_.joinable())
    {
        return;
    }
    if (target_ == 0)
    {
        log_.write(
            log_level::info,
            "signing-key stock off (--signing-key-stock 0): each user pool makes its keys when it "
            "first signs a token"
        );
        return;
    }
    std::size_t ready = 0;
    {
        auto reader = store_.read();
        ready = reader->count_stock_keys();
    }
    counted(ready);
    log_.write(
        log_level::info,
        "signing-key stock: " + std::to_string(ready) + " of " + std::to_string(target_) +
            " keys ready"
    );
    keeper_ = std::thread([this] { keep(); });
    maker_ = std::thread([this] { make(); });
}

void key_stock::stop()
{
    {
        std::lock_guard const lock{mutex_};
        stopping_ = true;
    }
    cancel_ = true;
    wake_.notify_all();
    keep_.notify_all();
    if (maker_.joinable())
    {
        maker_.join();
    }
    if (keeper_.joinable())
    {
        keeper_.join();
    }
}

std::size_t key_stock::ready()
{
    std::lock_guard const lock{mutex_};
    return ready_;
}

void key_stock::counted(std::size_t ready)
{
    std::lock_guard const lock{mutex_};
    ready_ = ready;
    if (ready_ >= target_)
    {
        said_empty_ = false;
    }
}

void key_stock::make()
{
    // SCHED_IDLE: keys are made from time no request wants. Refused (a seccomp profile), the
    // thread runs at normal priority, which costs requests some speed and nothing else. This
    // thread never takes the store's writer: at idle priority, preempted while holding it, it
    // would hold every write up for as long as busy threads keep it off the CPU.
    sched_param const idle{};
    pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle);
    pthread_setname_np(pthread_self(), "signing-keys"); // as ps and top show it

    try
    {
        // What a restarted cognitod has in stock, parsed before pools ask for it.
        std::vector<std::string> stocked;
        {
            auto reader = store_.read();
            stocked = reader->stock_keys();
        }
        for (auto& pem : stocked)
        {
            if (cancel_)
            {
                return;
            }
            auto key = auth::rsa_key::from_pem(pem);
            key.prepare();
            parsed_ahead(std::move(pem), std::move(key));
        }
    }
    catch (std::exception const& e)
    {
        log_.write(log_level::warn, std::string{"signing-key stock: "} + e.what());
    }

    std::unique_lock lock{mutex_};
    while (!stopping_ && !gave_up_)
    {
        if (ready_ + made_.size() + storing_ >= target_)
        {
            wake_.wait(lock, [this] { return woken_ || stopping_ || gave_up_; });
            woken_ = false;
            continue;
        }
        lock.unlock();
        try
        {
            auto key = auth::rsa_key::generate(&cancel_);
            key.prepare();
            auto pem = key.private_pem();
            parsed_ahead(pem, std::move(key));
            lock.lock();
            made_.push_back(std::move(pem));
            lock.unlock();
            keep_.notify_one();
        }
        catch (auth::generation_cancelled const&) // NOLINT(bugprone-empty-catch): stopping
        {
        }
        catch (std::exception const& e)
        {
            log_.write(log_level::warn, std::string{"signing-key stock: "} + e.what());
            lock.lock();
            wake_.wait_for(lock, std::chrono::seconds{5}, [this] { return stopping_; });
            continue;
        }
        lock.lock();
    }
}

void key_stock::keep()
{
    pthread_setname_np(pthread_self(), "signing-store");
    std::unique_lock lock{mutex_};
    for (;;)
    {
        keep_.wait(lock, [this] { return !made_.empty() || stopping_; });
        if (made_.empty())
        {
            return; // stopping, and every key made is stored
        }
        std::vector<std::string> batch(
            std::make_move_iterator(made_.begin()), std::make_move_iterator(made_.end())
        );
        made_.clear();
        storing_ = batch.size();
        lock.unlock();
        try
        {
            auto writer = store_.write();
            writer.keep_version(); // the stock is not state the console shows
            storage::transaction tx{writer->db(), storage::transaction_mode::immediate};
            for (auto const& pem : batch)
            {
                writer->add_stock_key(pem);
            }
            auto const ready = writer->count_stock_keys();
            tx.commit();
            counted(ready);
        }
        catch (storage::unwritable_error const&)
        {
            // The database file is gone: the store has said so, and refuses every write from now
            // on. Making keys no one can store would only burn CPU.
            lock.lock();
            gave_up_ = true;
            made_.clear();
            storing_ = 0;
            wake_.notify_one();
            return;
        }
        catch (std::exception const& e)
        {
            // Any other failure: these keys are lost, and the maker, finding the stock short,
            // makes more after a pause.
            log_.write(log_level::warn, std::string{"signing-key stock: "} + e.what());
            std::this_thread::sleep_for(std::chrono::seconds{1});
        }
        lock.lock();
        storing_ = 0;
        woken_ = true;
        wake_.notify_one();
    }
}

bool key_stock::assign(storage::queries& q, std::int64_t pool_seq, std::string const& pool_id)
{
    auto const pems = q.take_stock_keys(2);
    bool say_empty = false;
    {
        std::lock_guard const lock{mutex_};
        woken_ = true;
        // Counted down now, not at the generator's next count: whoever reads ready() (health)
        // must not see keys that are gone. Should the transaction roll back, the count is low
        // until the generator counts again.
        ready_ -= std::min(ready_, pems.size());
        if (pems.empty() && !said_empty_ && target_ > 0)
        {
            said_empty_ = true;
            say_empty = true;
        }
    }
    wake_.notify_one();
    if (pems.empty())
    {
        if (say_empty)
        {
            log_.write(
                log_level::warn,
                "signing-key stock empty: user pool " + pool_id +
                    " and those created after it until the stock refills make their keys when "
                    "they first sign a token, on that request (some 100-300 ms); "
                    "--signing-key-stock keeps " +
                    std::to_string(target_) + " ready"
            );
        }
        return false;
    }
    q.set_pool_signing_keys(pool_seq, stored_text(pems[0], pems[1]));
    return true;
}

std::shared_ptr<pool_keys const> key_stock::find(storage::queries& q, std::int64_t pool_seq)
{
    auto text = q.pool_signing_keys(pool_seq);
    if (!text)
    {
        return nullptr;
    }
    {
        std::lock_guard const lock{cache_mutex_};
        if (auto it = cache_.find(pool_seq); it != cache_.end() && it->second.text == *text)
        {
            return it->second.keys;
        }
    }
    auto const stored = nlohmann::json::parse(*text);
    auto keys = std::make_shared<pool_keys const>(pool_keys{
        parse(stored.at("access").get<std::string>()),
        parse(stored.at("id").get<std::string>()),
    });
    std::lock_guard const lock{cache_mutex_};
    if (cache_.size() >= max_cached_pools)
    {
        cache_.clear();
    }
    cache_.insert_or_assign(pool_seq, parsed{std::move(*text), keys});
    return keys;
}

void key_stock::parsed_ahead(std::string pem, auth::rsa_key key)
{
    std::lock_guard const lock{cache_mutex_};
    // Keys taken and never used (their pool deleted first) would stay: bounded by starting over.
    if (parsed_stock_.size() > 2 * target_ + 16)
    {
        parsed_stock_.clear();
    }
    parsed_stock_.insert_or_assign(std::move(pem), std::move(key));
}

auth::rsa_key key_stock::parse(std::string const& pem)
{
    {
        std::lock_guard const lock{cache_mutex_};
        if (auto it = parsed_stock_.find(pem); it != parsed_stock_.end())
        {
            auto key = std::move(it->second);
            parsed_stock_.erase(it);
            return key;
        }
    }
    return auth::rsa_key::from_pem(pem);
}

std::shared_ptr<pool_keys const> key_stock::keys(storage::queries& q, std::int64_t pool_seq)
{
    if (auto found = find(q, pool_seq))
    {
        return found;
    }
    throw keys_needed{pool_seq};
}

void key_stock::supply(std::int64_t pool_seq)
{
    {
        auto writer = store_.write();
        writer.keep_version(); // the stock is not state the console shows
        storage::transaction tx{writer->db(), storage::transaction_mode::immediate};
        if (!writer->find_user_pool_by_seq(pool_seq) || writer->pool_signing_keys(pool_seq))
        {
            return;
        }
        if (auto const pems = writer->take_stock_keys(2); !pems.empty())
        {
            writer->set_pool_signing_keys(pool_seq, stored_text(pems[0], pems[1]));
            tx.commit();
            {
                std::lock_guard const lock{mutex_};
                ready_ -= std::min(ready_, pems.size());
                woken_ = true;
            }
            wake_.notify_one();
            return;
        }
    }
    auto const started = steady::now();
    auto const access = auth::rsa_key::generate().private_pem();
    auto const id = auth::rsa_key::generate().private_pem();
    auto const took = milliseconds_since(started);
    std::string pool_id;
    {
        auto writer = store_.write();
        writer.keep_version(); // the stock is not state the console shows
        storage::transaction tx{writer->db(), storage::transaction_mode::immediate};
        if (writer->set_pool_signing_keys(pool_seq, stored_text(access, id)))
        {
            pool_id = writer->find_user_pool_by_seq(pool_seq)->id;
        }
        else
        {
            // Gone, or served by another call meanwhile: the keys are as good in the stock.
            writer->add_stock_key(access);
            writer->add_stock_key(id);
        }
        tx.commit();
    }
    {
        std::lock_guard const lock{mutex_};
        woken_ = true;
    }
    wake_.notify_one();
    if (!pool_id.empty())
    {
        log_.write(
            log_level::info,
            "user pool " + pool_id + ": signing keys made on the request path in " +
                std::to_string(took) + " ms (the stock was empty)"
        );
    }
}

} // namespace cognitod
