// Short names for the Boost namespaces, in one place (as the CppCon2018 server does).
#pragma once

#include <boost/asio.hpp>
#include <boost/beast.hpp>

namespace cognitod
{
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;
} // namespace cognitod
