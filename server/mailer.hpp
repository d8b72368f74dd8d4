// Email to a real inbox (--smtp HOST:PORT): each email the outbox records is also sent to an SMTP
// server, such as the mail catcher of a compose stack. Plain SMTP (RFC 5321): no TLS, no login,
// which is what local catchers speak.
#pragma once

#include "server/dispatcher.hpp"
#include "server/logger.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace cognitod
{

// Sends on a thread of its own, one connection per email, so a slow or absent server never holds
// a request. An email that cannot be sent is logged (warn) and dropped: the outbox still has it.
// Thread-safe.
class smtp_mailer final : public mail_sink
{
    std::string host_;
    std::string port_;
    logger const& log_;
    std::chrono::milliseconds timeout_;

    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    std::deque<storage::message> queue_; // guarded by mutex_
    bool sending_ = false;               // guarded by mutex_
    bool stopping_ = false;              // guarded by mutex_
    std::size_t sent_ = 0;               // guarded by mutex_
    std::size_t failed_ = 0;             // guarded by mutex_
    std::thread worker_;

    void run();
    // One email's whole SMTP exchange; throws std::runtime_error saying what the server refused.
    void deliver(storage::message const& email) const;

public:
    // Emails beyond this many waiting are dropped (and logged).
    static constexpr std::size_t max_queue = 10000;

    smtp_mailer(
        std::string host,
        std::string port,
        logger const& log,
        std::chrono::milliseconds timeout = std::chrono::seconds{10}
    );
    smtp_mailer(smtp_mailer const&) = delete;
    smtp_mailer& operator=(smtp_mailer const&) = delete;
    smtp_mailer(smtp_mailer&&) = delete;
    smtp_mailer& operator=(smtp_mailer&&) = delete;
    // Finishes the email being sent (within the timeout), drops the rest, and stops.
    ~smtp_mailer() override;

    void send(storage::message const& email) override;

    // Waits until every queued email has been tried (tests); false if timeout passes first.
    bool drain(std::chrono::milliseconds timeout);
    std::size_t sent();
    std::size_t failed();
};

// The RFC 5322 message for an email: headers (From, To, Subject, Date, Message-ID, MIME) and the
// body, lines ending in CRLF, dot-stuffed for DATA (without the final ".").
std::string smtp_message(storage::message const& email, std::string const& from);

// "Name <a@b>" → "a@b"; an address alone stays as it is.
std::string envelope_address(std::string const& from);

} // namespace cognitod
