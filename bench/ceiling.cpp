// cognitod-ceiling: the benchmark's ceiling. A bare Boost.Beast server that reads each HTTP request
// in full and answers 200 with the body {} and AWS JSON's content type, with the same shape as
// cognitod's transport (one io_context run by N threads, a strand per connection, keep-alive) and
// nothing else: no decoding, no validation, no storage. What cognitod loses against it is the cost
// of being an emulator.
//   cognitod-ceiling [--host 127.0.0.1] [--port 0] [--threads 2]
#include <boost/asio.hpp>
#include <boost/beast.hpp>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace
{

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

class session : public std::enable_shared_from_this<session>
{
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    http::request<http::string_body> request_;
    http::response<http::string_body> response_;

public:
    explicit session(tcp::socket socket) : stream_(std::move(socket)) {}

    void run()
    {
        // Start on the connection's strand, as every later step does.
        net::dispatch(
            stream_.get_executor(), beast::bind_front_handler(&session::do_read, shared_from_this())
        );
    }

private:
    void do_read()
    {
        // Make the request empty before reading, otherwise the operation behavior is undefined.
        request_ = {};
        http::async_read(
            stream_,
            buffer_,
            request_,
            beast::bind_front_handler(&session::on_read, shared_from_this())
        );
    }

    void on_read(error_code ec, std::size_t)
    {
        if (ec)
        {
            // end_of_stream included: the client is done with the connection.
            return do_close();
        }
        response_ = {http::status::ok, request_.version()};
        response_.set(http::field::content_type, "application/x-amz-json-1.1");
        response_.keep_alive(request_.keep_alive());
        response_.body() = "{}";
        response_.prepare_payload();
        http::async_write(
            stream_, response_, beast::bind_front_handler(&session::on_write, shared_from_this())
        );
    }

    void on_write(error_code ec, std::size_t)
    {
        if (ec || !response_.keep_alive())
        {
            return do_close();
        }
        do_read();
    }

    void do_close()
    {
        error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
};

class listener : public std::enable_shared_from_this<listener>
{
    net::io_context& ioc_;
    tcp::acceptor acceptor_;

public:
    listener(net::io_context& ioc, tcp::endpoint const& endpoint)
        : ioc_(ioc), acceptor_(net::make_strand(ioc))
    {
        acceptor_.open(endpoint.protocol());
        acceptor_.set_option(net::socket_base::reuse_address(true));
        acceptor_.bind(endpoint);
        acceptor_.listen(net::socket_base::max_listen_connections);
    }

    unsigned short port() const { return acceptor_.local_endpoint().port(); }

    void do_accept()
    {
        // Each connection gets its own strand.
        acceptor_.async_accept(
            net::make_strand(ioc_),
            beast::bind_front_handler(&listener::on_accept, shared_from_this())
        );
    }

private:
    void on_accept(error_code ec, tcp::socket socket)
    {
        if (!ec)
        {
            std::make_shared<session>(std::move(socket))->run();
        }
        do_accept();
    }
};

int run(int argc, char** argv)
{
    std::string host = "127.0.0.1";
    unsigned short port = 0;
    int threads = 2;
    for (int i = 1; i + 1 < argc; i += 2)
    {
        std::string_view const arg = argv[i];
        if (arg == "--host")
        {
            host = argv[i + 1];
        }
        else if (arg == "--port")
        {
            port = static_cast<unsigned short>(std::stoi(argv[i + 1]));
        }
        else if (arg == "--threads")
        {
            threads = std::max(1, std::stoi(argv[i + 1]));
        }
        else
        {
            std::cerr << "usage: cognitod-ceiling [--host H] [--port P] [--threads N]\n";
            return 2;
        }
    }
    net::io_context ioc{threads};
    auto server = std::make_shared<listener>(ioc, tcp::endpoint{net::ip::make_address(host), port});
    server->do_accept();
    // SIGINT and SIGTERM end the run: stop the loop, the threads return.
    net::signal_set signals{ioc, SIGINT, SIGTERM};
    signals.async_wait([&ioc](error_code, int) { ioc.stop(); });
    std::cout << "cognitod-ceiling listening on http://" << host << ":" << server->port()
              << std::endl;

    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i)
    {
        pool.emplace_back([&ioc] { ioc.run(); });
    }
    ioc.run();
    for (auto& t : pool)
    {
        t.join();
    }
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    try
    {
        return run(argc, argv);
    }
    catch (std::exception const& e)
    {
        std::cerr << "cognitod-ceiling: " << e.what() << '\n';
        return 1;
    }
}
