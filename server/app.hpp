// HTTP request → HTTP response, with no sockets: the seam the unit tests drive.
// Immutable after construction; handle() is safe to call from several threads at once.
#pragma once

#include "server/app_services.hpp"
#include "server/aws_json.hpp"
#include "server/config.hpp"
#include "server/control.hpp"

#include <chrono>
#include <string_view>

namespace cognitod
{

class app
{
    app_services services_;

    // With --auth sigv4: the credential that signed a signed operation (nullptr for the
    // operations AWS leaves unsigned). Throws aws_error as AWS refuses a bad signature.
    auth::sigv4::credential const* authenticate(aws_json::request const& req) const;
    // With --auth off: throws AccessDeniedException for an operation AWS signs called from a web
    // page whose Origin is not of this machine (control_access.hpp, docs/security.md).
    void refuse_signed_calls_from_other_sites(
        aws_json::request const& req, std::string const& operation, std::string_view local
    ) const;
    aws_json::response handle_aws(
        aws_json::request const& req,
        std::string const& request_id,
        std::string_view peer,
        std::string_view local,
        std::chrono::milliseconds& delay
    ) const;
    aws_json::response handle_discovery(
        aws_json::request const& req, std::string const& request_id, std::string_view local
    ) const;
    // handle()'s work; it catches what the call throws, but building the answer or the log line
    // may still run out of memory.
    aws_json::response answer(
        aws_json::request const& req,
        std::string_view peer_address,
        std::string_view local_address,
        std::chrono::milliseconds* delay
    ) const;

public:
    explicit app(app_services services) : services_(std::move(services)) {}

    // Never throws: every failure becomes an AWS-style error response. peer_address is the
    // client's, local_address cognitod's own ("127.0.0.1:9229"), for requests without Host.
    // delay, when given, receives how long a fault rule wants the answer held back; the caller
    // waits that long (without blocking a thread) before sending it.
    aws_json::response handle(
        aws_json::request const& req,
        std::string_view peer_address,
        std::string_view local_address = {},
        std::chrono::milliseconds* delay = nullptr
    ) const noexcept;
};

} // namespace cognitod
