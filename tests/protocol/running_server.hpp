// cognitod assembled as server/main.cpp does it, on an in-memory store and a free port of
// 127.0.0.1, with its io_context running in threads of its own: the server the protocol tests
// talk to over a real socket.
#pragma once

#include "schema/service_model.hpp"
#include "server/app.hpp"
#include "server/control.hpp"
#include "server/dispatcher.hpp"
#include "server/ids.hpp"
#include "server/listener.hpp"
#include "server/logger.hpp"
#include "storage/store.hpp"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace cognitod_test
{

using cognitod::session_limits;
using cognitod::tcp;
namespace net = cognitod::net;

inline cognitod::schema::service_model const& cognito_model()
{
    static cognitod::schema::service_model const model =
        cognitod::schema::service_model::parse(cognitod::schema::embedded_model_json());
    return model;
}

class running_server
{
    cognitod::storage::store store_{":memory:"};
    cognitod::system_clock time_;
    cognitod::counting_ids ids_;
    cognitod::logger log_{cognitod::log_level::error};
    cognitod::key_stock keys_{store_, log_, 0};
    cognitod::dispatcher calls_{
        cognito_model(), store_, time_, ids_, keys_, "us-east-1", "123456789012"};
    cognitod::app app_;
    net::io_context ioc_;
    cognitod::session_registry registry_;
    std::shared_ptr<cognitod::listener> listener_;
    tcp::endpoint endpoint_;
    std::vector<std::thread> threads_;
    std::mutex mutex_;
    std::condition_variable finished_cv_;
    unsigned finished_ = 0;

public:
    explicit running_server(
        unsigned threads = 1, session_limits limits = {}, cognitod::control_settings control = {}
    )
        : running_server(":memory:", threads, limits, std::move(control))
    {
    }

    // Over a database file: a writer, readers lent per read transaction and the checkpointer,
    // as the binary runs with --db.
    running_server(
        std::string const& db,
        unsigned threads,
        session_limits limits = {},
        cognitod::control_settings control = {}
    )
        : store_{db}, app_{cognitod::app_services{
                          cognito_model(),
                          store_,
                          calls_,
                          time_,
                          ids_,
                          log_,
                          "us-east-1",
                          "123456789012",
                          nullptr,
                          nullptr,
                          nullptr,
                          nullptr,
                          std::move(control),
                      }}
    {
        listener_ = std::make_shared<cognitod::listener>(
            ioc_,
            tcp::endpoint{net::ip::make_address("127.0.0.1"), 0},
            app_,
            limits,
            registry_,
            log_
        );
        endpoint_ = listener_->local_endpoint();
        listener_->run();
        for (unsigned i = 0; i < threads; ++i)
        {
            threads_.emplace_back(
                [this]
                {
                    ioc_.run();
                    std::lock_guard lock{mutex_};
                    ++finished_;
                    finished_cv_.notify_all();
                }
            );
        }
    }
    running_server(running_server const&) = delete;
    running_server& operator=(running_server const&) = delete;
    running_server(running_server&&) = delete;
    running_server& operator=(running_server&&) = delete;

    ~running_server()
    {
        ioc_.stop();
        for (auto& t : threads_)
        {
            t.join();
        }
    }

    tcp::endpoint endpoint() const { return endpoint_; }
    cognitod::storage::store& store() { return store_; }

    // What SIGTERM does in main: stop accepting and close idle connections. True when every
    // ioc.run() returned on its own within the time given.
    bool shut_down_within(std::chrono::milliseconds limit)
    {
        listener_->stop();
        registry_.drain();
        std::unique_lock lock{mutex_};
        return finished_cv_.wait_for(lock, limit, [this] { return finished_ == threads_.size(); });
    }
};

} // namespace cognitod_test
