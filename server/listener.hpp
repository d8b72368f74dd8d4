// Accepts connections and starts an http_session for each, on its own strand.
#pragma once

#include "server/http_session.hpp"

namespace cognitod
{

class listener : public std::enable_shared_from_this<listener>
{
    net::io_context& ioc_;
    tcp::acceptor acceptor_;
    app const& app_;
    session_limits limits_;
    session_registry& registry_;
    logger const& log_;

    void do_accept();
    void on_accept(error_code ec, tcp::socket socket);

public:
    // Binds at once (throws boost::system::system_error when the address is taken).
    listener(
        net::io_context& ioc,
        tcp::endpoint endpoint,
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
