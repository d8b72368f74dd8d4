#include "server/mailer.hpp"

#include "server/auth/encoding.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <ctime>
#include <stdexcept>

namespace cognitod
{

namespace
{

namespace asio = boost::asio;

// The sender when the pool's EmailConfiguration names none: Cognito's own.
constexpr char default_from[] = "no-reply@verificationemail.com";

bool is_ascii(std::string const& text)
{
    for (unsigned char c : text)
    {
        if (c >= 0x80 || c == '\r' || c == '\n')
        {
            return false;
        }
    }
    return true;
}

// A header value: as it is when plain ASCII, else an RFC 2047 encoded word (which also keeps a
// line break in a subject from starting a header of its own).
std::string header_value(std::string const& text)
{
    return is_ascii(text) ? text : "=?UTF-8?B?" + auth::base64_encode(text) + "?=";
}

std::string rfc5322_date(std::int64_t ms)
{
    std::time_t const seconds = ms / 1000;
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[64];
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S +0000", &parts);
    return text;
}

bool looks_like_html(std::string const& body)
{
    for (auto tag : {"<html", "<br", "<p>", "<p ", "<div", "<a ", "<b>", "<table"})
    {
        if (body.find(tag) != std::string::npos)
        {
            return true;
        }
    }
    return false;
}

// A reply: its lines until one whose fourth character is a space; returns its code.
int read_reply(asio::ip::tcp::iostream& stream, std::string& text)
{
    text.clear();
    std::string line;
    while (std::getline(stream, line))
    {
        if (!line.empty() && line.back() == '\r')
        {
            line.pop_back();
        }
        text += line + "\n";
        if (line.size() < 3)
        {
            break;
        }
        if (line.size() == 3 || line[3] != '-')
        {
            return std::stoi(line.substr(0, 3));
        }
    }
    throw std::runtime_error(
        "the connection ended: " + (stream.error() ? stream.error().message() : "no reply")
    );
}

void expect(asio::ip::tcp::iostream& stream, std::string const& what, int low, int high)
{
    std::string text;
    auto const code = read_reply(stream, text);
    if (code < low || code > high)
    {
        while (!text.empty() && text.back() == '\n')
        {
            text.pop_back();
        }
        throw std::runtime_error(what + " refused: " + text);
    }
}

void command(asio::ip::tcp::iostream& stream, std::string const& line, int low, int high)
{
    stream << line << "\r\n" << std::flush;
    expect(stream, line.substr(0, line.find(':')), low, high);
}

} // namespace

std::string envelope_address(std::string const& from)
{
    auto const open = from.rfind('<');
    auto const close = from.rfind('>');
    if (open != std::string::npos && close != std::string::npos && open < close)
    {
        return from.substr(open + 1, close - open - 1);
    }
    return from;
}

std::string smtp_message(storage::message const& email, std::string const& from)
{
    std::string out;
    out += "From: " + header_value(from) + "\r\n";
    out += "To: " + email.destination + "\r\n";
    out += "Subject: " + header_value(email.subject) + "\r\n";
    out += "Date: " + rfc5322_date(email.created) + "\r\n";
    out += "Message-ID: <" + std::to_string(email.created) + "." + email.code + "." +
           std::to_string(email.seq) + "@cognitod.local>\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += std::string{"Content-Type: "} +
           (looks_like_html(email.text) ? "text/html" : "text/plain") + "; charset=UTF-8\r\n";
    out += "Content-Transfer-Encoding: 8bit\r\n";
    out += "\r\n";
    // The body: every line break as CRLF, and a line that starts with "." doubled (RFC 5321
    // 4.5.2), so no line of it can end the DATA.
    bool line_start = true;
    for (std::size_t i = 0; i < email.text.size(); ++i)
    {
        char const c = email.text[i];
        if (c == '\r' && i + 1 < email.text.size() && email.text[i + 1] == '\n')
        {
            continue;
        }
        if (c == '\n' || c == '\r')
        {
            out += "\r\n";
            line_start = true;
            continue;
        }
        if (line_start && c == '.')
        {
            out += '.';
        }
        out += c;
        line_start = false;
    }
    if (!line_start || email.text.empty())
    {
        out += "\r\n";
    }
    return out;
}

smtp_mailer::smtp_mailer(
    std::string host, std::string port, logger const& log, std::chrono::milliseconds timeout
)
    : host_(std::move(host)), port_(std::move(port)), log_(log), timeout_(timeout)
{
    worker_ = std::thread([this] { run(); });
}

smtp_mailer::~smtp_mailer()
{
    {
        std::lock_guard lock{mutex_};
        stopping_ = true;
    }
    wake_.notify_all();
    worker_.join();
}

void smtp_mailer::send(storage::message const& email)
{
    {
        std::lock_guard lock{mutex_};
        if (queue_.size() >= max_queue)
        {
            ++failed_;
            log_.write(
                log_level::warn, "smtp: queue full; email to " + email.destination + " dropped"
            );
            return;
        }
        queue_.push_back(email);
    }
    wake_.notify_one();
}

bool smtp_mailer::drain(std::chrono::milliseconds timeout)
{
    std::unique_lock lock{mutex_};
    return idle_.wait_for(lock, timeout, [this] { return queue_.empty() && !sending_; });
}

std::size_t smtp_mailer::sent()
{
    std::lock_guard lock{mutex_};
    return sent_;
}

std::size_t smtp_mailer::failed()
{
    std::lock_guard lock{mutex_};
    return failed_;
}

void smtp_mailer::run()
{
    std::unique_lock lock{mutex_};
    for (;;)
    {
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_)
        {
            // Shutting down is not held up by a slow server: what is still waiting is dropped.
            if (!queue_.empty())
            {
                log_.write(
                    log_level::warn,
                    "smtp: " + std::to_string(queue_.size()) + " emails not sent at shutdown"
                );
            }
            return;
        }
        auto email = std::move(queue_.front());
        queue_.pop_front();
        sending_ = true;
        lock.unlock();
        bool ok = true;
        try
        {
            deliver(email);
        }
        catch (std::exception const& e)
        {
            ok = false;
            log_.write(
                log_level::warn,
                "smtp: email to " + email.destination + " not sent to " + host_ + ":" + port_ +
                    ": " + e.what()
            );
        }
        lock.lock();
        ++(ok ? sent_ : failed_);
        sending_ = false;
        if (queue_.empty())
        {
            idle_.notify_all();
        }
    }
}

void smtp_mailer::deliver(storage::message const& email) const
{
    // An address is one line: a line break in it would write SMTP commands or headers of its own.
    for (auto const* text : {&email.destination, &email.sender})
    {
        for (unsigned char c : *text)
        {
            if (c < 0x20 || c == 0x7F)
            {
                throw std::runtime_error("the address holds a control character");
            }
        }
    }
    asio::ip::tcp::iostream stream;
    stream.expires_after(timeout_);
    stream.connect(host_, port_);
    if (!stream)
    {
        throw std::runtime_error("cannot connect: " + stream.error().message());
    }
    auto const from = email.sender.empty() ? std::string{default_from} : email.sender;
    expect(stream, "greeting", 220, 220);
    command(stream, "EHLO cognitod", 250, 250);
    command(stream, "MAIL FROM:<" + envelope_address(from) + ">", 250, 250);
    command(stream, "RCPT TO:<" + email.destination + ">", 250, 251);
    command(stream, "DATA", 354, 354);
    stream << smtp_message(email, from) << ".\r\n" << std::flush;
    expect(stream, "message", 250, 250);
    stream << "QUIT\r\n" << std::flush;
}

} // namespace cognitod
