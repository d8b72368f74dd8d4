#include "server/listener.hpp"

namespace cognitod
{

listener::listener(
    net::io_context& ioc,
    tcp::endpoint endpoint,
    app const& application,
    session_limits limits,
    session_registry& registry,
    logger const& log
)
    : ioc_(ioc), acceptor_(net::make_strand(ioc)), app_(application), limits_(limits),
      registry_(registry), log_(log)
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
        // Out of descriptors and the like: log and keep accepting.
        log_.write(log_level::warn, "accept failed: " + ec.message());
    }
    else
    {
        auto session = std::make_shared<http_session>(std::move(socket), app_, limits_, registry_);
        registry_.add(session);
        session->run();
    }
    do_accept();
}

} // namespace cognitod
