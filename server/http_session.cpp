#include "server/http_session.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace cognitod
{

namespace
{

// What do_read takes in one try; a request larger than this is read on by the parser.
constexpr std::size_t speculative_read_bytes = std::size_t{16} * 1024;

// The interim answer to Expect: 100-continue.
constexpr std::string_view continue_line = "HTTP/1.1 100 Continue\r\n\r\n";

// An answer to a message the app never sees; the connection closes after it, as there is no
// telling where the next request would start.
aws_json::response refusal(http::status status, std::string_view type, std::string_view message)
{
    aws_json::response res{status, 11};
    res.set(http::field::content_type, "application/json");
    res.set(http::field::connection, "close");
    std::string body = R"({"__type":")";
    body += type;
    body += R"(","message":")";
    body += message;
    body += R"("})";
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

// RFC 9112 6.1 and 6.3: with Transfer-Encoding the body's length is known only when chunked is
// the final coding (else 400), and no other coding is decoded here (501).
std::optional<aws_json::response>
refuse_transfer_coding(http::request_parser<http::string_body> const& parser)
{
    auto const& header = parser.get();
    auto const [first, last] = header.equal_range(http::field::transfer_encoding);
    if (first == last)
    {
        return std::nullopt;
    }
    if (!parser.chunked())
    {
        return refusal(
            http::status::bad_request,
            "BadRequestException",
            "Transfer-Encoding must end with chunked."
        );
    }
    for (auto field = first; field != last; ++field)
    {
        for (auto const coding : http::token_list{field->value()})
        {
            if (!beast::iequals(coding, "chunked"))
            {
                return refusal(
                    http::status::not_implemented,
                    "NotImplementedException",
                    "Transfer-Encoding other than chunked is not supported."
                );
            }
        }
    }
    return std::nullopt;
}

// RFC 9110 10.1.1: a client that sends Expect: 100-continue may hold the body back until told to
// go on (curl waits a second). Ignored in HTTP/1.0, as the RFC asks.
bool expects_continue(http::request_parser<http::string_body> const& parser)
{
    auto const& header = parser.get();
    if (header.version() < 11)
    {
        return false;
    }
    auto const [first, last] = header.equal_range(http::field::expect);
    for (auto field = first; field != last; ++field)
    {
        if (beast::iequals(field->value(), "100-continue"))
        {
            return true;
        }
    }
    return false;
}

} // namespace

std::size_t session_registry::add(std::weak_ptr<http_session> session)
{
    std::lock_guard lock{mutex_};
    std::erase_if(sessions_, [](auto const& s) { return s.expired(); });
    sessions_.push_back(std::move(session));
    return sessions_.size();
}

std::size_t session_registry::live()
{
    std::lock_guard lock{mutex_};
    std::erase_if(sessions_, [](auto const& s) { return s.expired(); });
    return sessions_.size();
}

void session_registry::drain()
{
    std::vector<std::shared_ptr<http_session>> live;
    {
        std::lock_guard lock{mutex_};
        draining_ = true;
        for (auto const& weak : sessions_)
        {
            if (auto s = weak.lock())
            {
                live.push_back(std::move(s));
            }
        }
        sessions_.clear();
    }
    // Outside the lock: each session acts on its own strand.
    for (auto const& s : live)
    {
        s->stop_when_idle();
    }
}

bool session_registry::draining()
{
    std::lock_guard lock{mutex_};
    return draining_;
}

http_session::http_session(
    tcp::socket&& socket, app const& application, session_limits limits, session_registry& registry
)
    : stream_(std::move(socket)), idle_timer_(stream_.get_executor()),
      reply_timer_(stream_.get_executor()), app_(application), limits_(limits), registry_(registry)
{
    error_code ec;
    auto const endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec)
    {
        peer_ = endpoint.address().to_string();
    }
    auto const local = stream_.socket().local_endpoint(ec);
    if (!ec)
    {
        auto const address = local.address();
        local_ = (address.is_v6() ? "[" + address.to_string() + "]" : address.to_string()) + ":" +
                 std::to_string(local.port());
    }
}

void http_session::run()
{
    // Reads outside asio's async operations (do_read's first try) must not block.
    error_code ec;
    stream_.socket().non_blocking(true, ec);
    // Start on the connection's strand so that everything after is serialised even with threads.
    net::dispatch(
        stream_.get_executor(),
        beast::bind_front_handler(&http_session::do_read, shared_from_this())
    );
}

void http_session::stop_when_idle()
{
    net::post(
        stream_.get_executor(),
        [self = shared_from_this()]
        {
            if (self->waiting_)
            {
                error_code ec;
                self->stream_.socket().cancel(ec);
            }
        }
    );
}

void http_session::do_read()
{
    if (registry_.draining() && buffer_.size() == 0)
    {
        return do_close();
    }
    // A fresh parser per request: limits apply to each message, and state never leaks across.
    parser_.emplace();
    parser_->body_limit(limits_.max_body_bytes);
    parser_->header_limit(limits_.max_header_bytes);
    if (buffer_.size() > 0)
    {
        // A pipelined request has begun already.
        return start_read();
    }
    // On a busy connection the next request has usually arrived by the time the last answer is
    // written: take it at once. Waiting for it instead costs an epoll re-arm (epoll_ctl), a trip
    // through the reactor and an idle timer per request.
    error_code ec;
    auto const n = stream_.socket().read_some(buffer_.prepare(speculative_read_bytes), ec);
    if (!ec)
    {
        buffer_.commit(n);
        return start_read();
    }
    if (ec != net::error::would_block && ec != net::error::try_again)
    {
        return do_close(); // end of stream or a broken connection, as the wait would report
    }
    // Between requests the idle timeout applies; the read deadline starts with the first byte.
    waiting_ = true;
    idle_timer_.expires_after(limits_.idle_timeout);
    idle_timer_.async_wait(
        beast::bind_front_handler(&http_session::on_idle_timeout, shared_from_this())
    );
    stream_.socket().async_wait(
        tcp::socket::wait_read,
        beast::bind_front_handler(&http_session::on_readable, shared_from_this())
    );
}

void http_session::on_idle_timeout(error_code ec)
{
    if (!ec && waiting_)
    {
        stream_.socket().cancel(ec);
    }
}

void http_session::on_readable(error_code ec)
{
    waiting_ = false;
    idle_timer_.cancel();
    if (ec)
    {
        return do_close();
    }
    start_read();
}

void http_session::start_read()
{
    stream_.expires_after(limits_.read_deadline);
    // The header first: it may refuse the body, or ask for word before the body is sent.
    http::async_read_header(
        stream_,
        buffer_,
        *parser_,
        beast::bind_front_handler(&http_session::on_header, shared_from_this())
    );
}

void http_session::on_header(error_code ec, std::size_t /*bytes*/)
{
    if (ec)
    {
        return on_read(ec, 0);
    }
    if (auto refused = refuse_transfer_coding(*parser_))
    {
        return send(std::move(*refused), /*keep_alive=*/false);
    }
    if (!parser_->is_done() && buffer_.size() == 0 && expects_continue(*parser_))
    {
        net::async_write(
            stream_,
            net::buffer(continue_line.data(), continue_line.size()),
            beast::bind_front_handler(&http_session::on_continue, shared_from_this())
        );
        return;
    }
    read_body();
}

void http_session::on_continue(error_code ec, std::size_t /*bytes*/)
{
    if (ec)
    {
        return do_close();
    }
    read_body();
}

void http_session::read_body()
{
    // The body has usually arrived with the header: parse it here, sparing the trip through the
    // io_context that an async read completing at once would take.
    error_code ec;
    parser_->eager(true);
    if (!parser_->is_done() && buffer_.size() > 0)
    {
        buffer_.consume(parser_->put(buffer_.data(), ec));
    }
    if (parser_->is_done() || (ec && ec != http::error::need_more))
    {
        return on_read(ec, 0);
    }
    http::async_read(
        stream_,
        buffer_,
        *parser_,
        beast::bind_front_handler(&http_session::on_read, shared_from_this())
    );
}

void http_session::on_read(error_code ec, std::size_t /*bytes*/)
{
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted)
    {
        return do_close();
    }
    if (ec == http::error::body_limit || ec == http::error::header_limit ||
        ec == http::error::buffer_overflow)
    {
        return send(
            ec == http::error::body_limit
                ? refusal(
                      http::status::payload_too_large,
                      "RequestEntityTooLargeException",
                      "Request body exceeds " + std::to_string(limits_.max_body_bytes) + " bytes."
                  )
                : refusal(
                      http::status::request_header_fields_too_large,
                      "RequestHeaderFieldsTooLargeException",
                      "Request headers exceed " + std::to_string(limits_.max_header_bytes) +
                          " bytes."
                  ),
            /*keep_alive=*/false
        );
    }
    if (ec)
    {
        // Malformed HTTP: answer 400 once, then close.
        return send(
            refusal(http::status::bad_request, "BadRequestException", "Malformed HTTP request."),
            /*keep_alive=*/false
        );
    }
    auto const req = parser_->release();
    std::chrono::milliseconds delay{0};
    auto res = app_.handle(req, peer_, local_, &delay);
    bool const keep_alive = req.keep_alive() && !registry_.draining();
    res.keep_alive(keep_alive);
    if (delay.count() <= 0)
    {
        return send(std::move(res), keep_alive);
    }
    // A fault rule's delay: wait on a timer, not on the thread, then answer.
    auto owned = std::make_shared<aws_json::response>(std::move(res));
    reply_timer_.expires_after(delay);
    reply_timer_.async_wait([self = shared_from_this(), owned, keep_alive](error_code)
                            { self->send(std::move(*owned), keep_alive); });
}

namespace
{

// The response as it goes on the wire, in one buffer: the status line, the fields in the order
// they were set, a blank line and the body (every response here has its Content-Length set).
// Beast's serializer writes the same bytes, but walking its chain of header and body buffers
// cost a sixth of a small request's instructions.
std::string wire_text(aws_json::response const& res)
{
    std::string out;
    auto const& body = res.body();
    out.reserve(256 + body.size());
    unsigned const version = res.version();
    out += "HTTP/";
    out += std::to_string(version / 10);
    out += '.';
    out += std::to_string(version % 10);
    out += ' ';
    out += std::to_string(res.result_int());
    out += ' ';
    out += res.reason();
    out += "\r\n";
    for (auto const& field : res)
    {
        out += field.name_string();
        out += ": ";
        out += field.value();
        out += "\r\n";
    }
    out += "\r\n";
    out += body;
    return out;
}

} // namespace

void http_session::send(aws_json::response&& res, bool keep_alive)
{
    // The bytes must outlive the async write: keep them in a shared_ptr bound to the handler.
    auto wire = std::make_shared<std::string>(wire_text(res));
    stream_.expires_after(limits_.read_deadline);
    net::async_write(
        stream_,
        net::buffer(*wire),
        [self = shared_from_this(), wire, keep_alive](error_code ec, std::size_t bytes)
        { self->on_write(keep_alive, ec, bytes); }
    );
}

void http_session::on_write(bool keep_alive, error_code ec, std::size_t /*bytes*/)
{
    if (ec || !keep_alive)
    {
        return do_close();
    }
    do_read();
}

void http_session::do_close()
{
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
}

} // namespace cognitod
