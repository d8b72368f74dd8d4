// HTTP request → HTTP response, with no sockets: the seam the unit tests drive.
// Immutable after construction; handle() is safe to call from several threads at once.
#pragma once

#include "server/aws_json.hpp"
#include "server/config.hpp"
#include "server/dispatcher.hpp"
#include "server/logger.hpp"

#include <string_view>

namespace cognitod
{

// Everything the app needs, built once in main (or in a test) and outliving the app.
struct app_services
{
    schema::service_model const& model;
    storage::store& store;
    dispatcher const& calls;
    clock const& time;
    id_source& ids;
    logger const& log;
    std::string region;
    std::string account_id;
};

class app
{
    app_services services_;

    aws_json::response handle_aws(
        aws_json::request const& req,
        std::string const& request_id,
        std::string_view peer,
        std::string_view local
    ) const;
    aws_json::response handle_discovery(
        aws_json::request const& req, std::string const& request_id, std::string_view local
    ) const;
    aws_json::response
    handle_control(aws_json::request const& req, std::string const& request_id) const;

public:
    explicit app(app_services services) : services_(std::move(services)) {}

    // Never throws: every failure becomes an AWS-style error response. peer_address is the
    // client's, local_address cognitod's own ("127.0.0.1:9229"), for requests without Host.
    aws_json::response handle(
        aws_json::request const& req,
        std::string_view peer_address,
        std::string_view local_address = {}
    ) const noexcept;
};

} // namespace cognitod
