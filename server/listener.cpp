#include "server/listener.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <sys/resource.h>

namespace cognitod
{

namespace
{

using namespace std::chrono_literals;

// After a failed accept the next waits 5 ms, then twice as long each time up to 1 s (as Go's
// net/http does): retrying at once spins on the same error while the backlog stays unserved.
constexpr auto first_backoff = 5ms;
constexpr auto longest_backoff = 1000ms;
// At the cap, how often to look whether a connection has closed.
constexpr auto cap_recheck = 25ms;
// At most one line per period about failed accepts, and one about the cap.
constexpr auto report_period = 10s;

// Descriptors that are not connections: the standard streams, the event loop's (epoll, its
// eventfd and timerfd), the signal pipe, the listening socket, the database and its WAL for the
// writer and the checkpointer, a few files SQLite may open for temporary data, and slack.
constexpr std::size_t fixed_reserve = 32;
// Per thread: a reader connection's database and WAL, and a temporary file or two.
constexpr std::size_t reserve_per_thread = 4;

} // namespace

std::size_t connection_cap(std::uint64_t descriptor_limit, unsigned threads)
{
    if (descriptor_limit == 0 || descriptor_limit >= std::numeric_limits<std::size_t>::max())
    {
        return 0;
    }
    auto const limit = static_cast<std::size_t>(descriptor_limit);
    auto const reserve = fixed_reserve + reserve_per_thread * threads;
    // Below the reserve the cap cannot keep accept from failing; the backoff takes over.
    return limit > reserve ? limit - reserve : 1;
}

std::size_t connection_cap(unsigned threads)
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    {
        return 0;
    }
    return connection_cap(static_cast<std::uint64_t>(limit.rlim_cur), threads);
}

listener::listener(
    net::io_context& ioc,
    tcp::endpoint const& endpoint,
    app const& application,
    session_limits limits,
    session_registry& registry,
    logger const& log
)
    : ioc_(ioc), acceptor_(net::make_strand(ioc)), retry_timer_(acceptor_.get_executor()),
      app_(application), limits_(limits), registry_(registry), log_(log)
{
    // Startup: the throwing overloads, so a taken port stops cognitod with a clear message.
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
}

void listener::run()
{
    do_accept();
}

void listener::stop()
{
    net::post(
        acceptor_.get_executor(),
        [self = shared_from_this()]
        {
            error_code ec;
            self->acceptor_.close(ec);
            self->retry_timer_.cancel();
        }
    );
}

void listener::do_accept()
{
    // Each connection gets its own strand.
    acceptor_.async_accept(
        net::make_strand(ioc_), beast::bind_front_handler(&listener::on_accept, shared_from_this())
    );
}

void listener::on_accept(error_code ec, tcp::socket socket)
{
    if (ec == net::error::operation_aborted || !acceptor_.is_open())
    {
        return; // stopped
    }
    if (ec)
    {
        return on_failure(ec);
    }
    backoff_ = 0ms;
    auto session = std::make_shared<http_session>(std::move(socket), app_, limits_, registry_);
    auto const open = registry_.add(session);
    session->run();
    if (limits_.max_connections != 0 && open >= limits_.max_connections)
    {
        return wait_for_a_free_slot();
    }
    do_accept();
}

void listener::on_failure(error_code ec)
{
    // Out of descriptors and the like: wait, longer each time, and say so once a period.
    backoff_ = backoff_ == 0ms ? first_backoff : std::min(backoff_ * 2, longest_backoff);
    auto const now = std::chrono::steady_clock::now();
    if (now < next_failure_report_)
    {
        ++failures_unreported_;
        return retry_after(backoff_);
    }
    std::string line = "accept failed: " + ec.message();
    if (failures_unreported_ > 0)
    {
        line += " (and " + std::to_string(failures_unreported_) + " more since the last report)";
    }
    line += "; retrying in " + std::to_string(backoff_.count()) + " ms";
    log_.write(log_level::warn, line);
    failures_unreported_ = 0;
    next_failure_report_ = now + report_period;
    retry_after(backoff_);
}

void listener::wait_for_a_free_slot()
{
    // New clients wait in the kernel's listen queue until a connection closes (as Tomcat's
    // maxConnections does): a descriptor stays free for the database and its readers.
    auto const now = std::chrono::steady_clock::now();
    if (now >= next_cap_report_)
    {
        log_.write(
            log_level::warn,
            std::to_string(limits_.max_connections) +
                " connections open, as many as the descriptor limit leaves room for: new ones "
                "wait until one closes"
        );
        next_cap_report_ = now + report_period;
    }
    retry_after(cap_recheck);
}

void listener::retry_after(std::chrono::milliseconds delay)
{
    retry_timer_.expires_after(delay);
    retry_timer_.async_wait(beast::bind_front_handler(&listener::on_retry, shared_from_this()));
}

void listener::on_retry(error_code ec)
{
    if (ec || !acceptor_.is_open())
    {
        return; // stopped
    }
    if (backoff_ == 0ms && limits_.max_connections != 0 &&
        registry_.live() >= limits_.max_connections)
    {
        return retry_after(cap_recheck);
    }
    do_accept();
}

} // namespace cognitod
