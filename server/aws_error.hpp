// The one error type that reaches the wire: an AWS error code, its message and HTTP status.
// Handlers throw it; app::handle is the single place that turns it into a response.
#pragma once

#include <stdexcept>
#include <string>

namespace cognitod
{

class aws_error : public std::runtime_error
{
    std::string code_;
    // The whole message: what() stops at the first NUL, and a message that echoes a value may
    // hold one.
    std::string message_;
    unsigned status_;

public:
    // status is 400 for every client error on the real wire (TooManyRequests included) and 500
    // for faults (InternalErrorException).
    aws_error(std::string code, std::string const& message, unsigned status = 400)
        : std::runtime_error(message), code_(std::move(code)), message_(message), status_(status)
    {
    }

    std::string const& code() const noexcept { return code_; }
    std::string const& message() const noexcept { return message_; }
    unsigned status() const noexcept { return status_; }
};

// One factory per code cognitod emits, so a grep finds every use.
namespace errors
{
inline aws_error invalid_parameter(std::string const& m)
{
    return {"InvalidParameterException", m};
}
inline aws_error resource_not_found(std::string const& m)
{
    return {"ResourceNotFoundException", m};
}
inline aws_error user_not_found(std::string const& m = "User does not exist.")
{
    return {"UserNotFoundException", m};
}
inline aws_error username_exists(std::string const& m = "User account already exists")
{
    return {"UsernameExistsException", m};
}
inline aws_error alias_exists(std::string const& m)
{
    return {"AliasExistsException", m};
}
inline aws_error invalid_password(std::string const& m)
{
    return {"InvalidPasswordException", m};
}
inline aws_error not_authorized(std::string const& m)
{
    return {"NotAuthorizedException", m};
}
inline aws_error unsupported_operation(std::string const& m)
{
    return {"UnsupportedOperationException", m};
}
inline aws_error serialization(std::string const& m)
{
    return {"SerializationException", m};
}
inline aws_error unknown_operation(std::string const& m)
{
    return {"UnknownOperationException", m};
}
inline aws_error internal_error(std::string const& m = "Internal server error.")
{
    return {"InternalErrorException", m, 500};
}
} // namespace errors

} // namespace cognitod
