// Accepts connections and starts an http_session for each, on its own strand. Stops accepting
// while max_connections are open, and backs off when accept fails (out of descriptors).
#pragma once

#include "server/http_session.hpp"

#include <chrono>
#include <cstdint>

namespace cognitod
{

// How many connections fit under a descriptor limit (RLIMIT_NOFILE) once the descriptors
// cognitod needs besides them are set aside: 0 for no limit.
std::size_t connection_cap(std::uint64_t descriptor_limit, unsigned threads);
// The same for this process's soft RLIMIT_NOFILE, read now.
std::size_t connection_cap(unsigned threads);

class listener : public std::enable_shared_from_this<listener>
{
    net::io_context& ioc_;
    tcp::acceptor acceptor_;
    net::steady_timer retry_timer_; // the wait after a failed accept, or while at the cap
    app const& app_;
    session_limits limits_;
    session_registry& registry_;
    logger const& log_;
    std::chrono::milliseconds backoff_{0}; // the last wait after a failure; 0 after a success
    std::size_t failures_unreported_ = 0;  // failed accepts since the last line that said so
    std::chrono::steady_clock::time_point next_failure_report_{};
    std::chrono::steady_clock::time_point next_cap_report_{};

    void do_accept();
    void on_accept(error_code ec, tcp::socket socket);
    void on_failure(error_code ec);
    void wait_for_a_free_slot();
    void retry_after(std::chrono::milliseconds delay);
    void on_retry(error_code ec);

public:
    // Binds at once (throws boost::system::system_error when the address is taken).
    listener(
        net::io_context& ioc,
        tcp::endpoint const& endpoint,
        app const& application,
        session_limits limits,
        session_registry& registry,
        logger const& log
    );

    void run();
    // Stops accepting; safe from any thread.
    void stop();
    tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
};

} // namespace cognitod
