// One HTTP/1.1 connection: read with limits and a deadline, hand the request to the app, write,
// keep alive. Lives exactly while an operation is pending (shared_from_this).
#pragma once

#include "server/app.hpp"
#include "server/net.hpp"

#include <boost/optional.hpp>

#include <memory>
#include <mutex>
#include <vector>

namespace cognitod
{

struct session_limits
{
    std::size_t max_body_bytes = std::size_t{1024} * 1024;
    std::uint32_t max_header_bytes = 8 * 1024;
    std::chrono::seconds read_deadline{30}; // for a whole request, from its first byte
    std::chrono::seconds idle_timeout{60};  // between requests on a kept-alive connection
    // Connections open at once; at this many the listener stops accepting (0: no cap). main
    // sets it from the descriptor limit (connection_cap).
    std::size_t max_connections = 0;
};

class http_session;

// The live connections, so that a shutdown can close the idle ones and let busy ones finish.
// Thread-safe: this mutex guards sessions_ and draining_.
class session_registry
{
    std::mutex mutex_;
    std::vector<std::weak_ptr<http_session>> sessions_;
    bool draining_ = false;

public:
    // Returns how many connections are open, this one included.
    std::size_t add(std::weak_ptr<http_session> session);
    // How many connections are open: a session counts until it is destroyed (its socket closed).
    std::size_t live();
    // From now on no connection is kept alive; idle ones close at once.
    void drain();
    bool draining();
};

class http_session : public std::enable_shared_from_this<http_session>
{
    beast::tcp_stream stream_;
    net::steady_timer idle_timer_;  // bounds the wait for a request's first byte
    net::steady_timer reply_timer_; // holds an answer back as a fault rule's delay asks
    beast::flat_buffer buffer_;
    boost::optional<http::request_parser<http::string_body>> parser_;
    app const& app_;
    session_limits limits_;
    session_registry& registry_;
    std::string peer_;     // the client's address
    std::string local_;    // cognitod's own "host:port", for requests that send no Host
    bool waiting_ = false; // waiting for a request's first byte (only touched on the strand)

    void do_read();
    void on_idle_timeout(error_code ec);
    void on_readable(error_code ec);
    void start_read();
    void on_header(error_code ec, std::size_t bytes);
    void on_continue(error_code ec, std::size_t bytes);
    void read_body();
    void on_read(error_code ec, std::size_t bytes);
    void send(aws_json::response&& res, bool keep_alive);
    void on_write(bool keep_alive, error_code ec, std::size_t bytes);
    void do_close();

public:
    http_session(
        tcp::socket&& socket,
        app const& application,
        session_limits limits,
        session_registry& registry
    );

    void run();
    // Closes the connection if it is waiting for a request that has not begun; otherwise the
    // request in progress finishes and the connection closes after its response.
    void stop_when_idle();
};

} // namespace cognitod
