// AWS JSON 1.1 on HTTP: decoding a call from a request, encoding a result or an error.
#pragma once

#include "server/aws_error.hpp"
#include "server/net.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace cognitod::aws_json
{

constexpr std::string_view target_prefix = "AWSCognitoIdentityProviderService.";
constexpr std::string_view content_type = "application/x-amz-json-1.1";

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

// NOLINTNEXTLINE(bugprone-exception-escape): nlohmann::json's default constructor does not throw
struct call
{
    std::string operation; // "AdminForgetDevice"
    nlohmann::json input;  // always an object
};

// Throws aws_error: UnknownOperationException for a missing or foreign X-Amz-Target,
// SerializationException for a body that is not one JSON object (decode_input).
call decode(request const& req);

// The input of a call from its JSON body: an object ({} for an empty body) in which members whose
// value is null are dropped at every depth, as absent. Throws SerializationException for a body
// that is not one JSON object or nests deeper than max_json_depth (server/json_read.hpp).
nlohmann::json decode_input(std::string_view body);

// The region of the SigV4 credential scope in the Authorization header, or "" when absent.
// Throws InvalidSignatureException when it is not a region name (valid_region): the region
// becomes part of the ids of the pools the call creates.
std::string_view signing_region(request const& req);

// A region name as cognitod takes one: 1 to 50 ASCII letters, digits and hyphens. AWS's own
// ("us-east-1") and made-up ones ("local") pass; anything that could not stand before the `_`
// of a pool id (`[\w-]+_[0-9a-zA-Z]+`) does not.
bool valid_region(std::string_view region) noexcept;

// The message AWS gives for a credential scope whose region it does not serve.
std::string invalid_region_message(std::string_view region);

response
encode_result(nlohmann::json const& output, std::string const& request_id, unsigned version);
response encode_error(aws_error const& error, std::string const& request_id, unsigned version);
// cognitod's own JSON answers (control endpoints, discovery documents, 404/405): plain
// application/json with the request id.
response encode_json(
    http::status status, nlohmann::json const& body, std::string const& request_id, unsigned version
);

} // namespace cognitod::aws_json
