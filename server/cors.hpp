// Cross-origin calls to the AWS endpoint (POST /), answered as cognito-idp answers them, so that a
// web app on another origin (Amplify, the AWS SDK in a page) calls cognitod as it calls AWS. The
// headers and their evidence: docs/fidelity.md. Never used for /_cognitod/ (control_access.hpp).
// Stateless; thread-safe.
#pragma once

#include "server/aws_json.hpp"

#include <string>

namespace cognitod::cors
{

// The answer to a preflight (OPTIONS /): 200 without a body, any origin, POST, the headers the
// browser asks for (the SDKs' headers when it names none), the error headers exposed, for 48 h.
aws_json::response preflight(aws_json::request const& req, std::string const& request_id);

// Lets a page on any origin read an answer of POST /, an error's x-amzn-ErrorType included.
void allow_reading(aws_json::response& res);

} // namespace cognitod::cors
