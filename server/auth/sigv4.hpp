// AWS Signature Version 4 as cognito-idp checks it: which credential signed a request, and
// whether that credential may call the operation, answered with AWS's error codes and messages.
// Everything here is a pure function or immutable data: safe from any thread.
#pragma once

#include "server/aws_json.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cognitod::auth::sigv4
{

constexpr std::string_view algorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view service_name = "cognito-idp";
// How far X-Amz-Date may stray from the server's clock, either way, as AWS allows.
constexpr std::int64_t max_clock_skew_seconds = std::int64_t{5} * 60;

struct credential
{
    std::string access_key_id;
    std::string secret_access_key;
    std::string session_token;                                  // empty: none
    std::optional<std::vector<std::string>> allowed_operations; // nullopt: all
    std::string name; // the IAM user in AccessDenied messages; credential_set fills in the key id
};

// Credentials by access key id. Immutable once built, so concurrent readers need no lock.
class credential_set
{
    std::map<std::string, credential, std::less<>> by_key_id_;

public:
    credential_set() = default;
    // Throws std::invalid_argument for an empty key id or secret, a key id no Authorization header
    // could carry (with '/', ',' or whitespace), or a key id given twice.
    explicit credential_set(std::vector<credential> credentials);

    // nullptr when no credential has this key id. The pointer lives as long as the set.
    credential const* find(std::string_view access_key_id) const;
    std::size_t size() const noexcept { return by_key_id_.size(); }
    // Every credential, by key id.
    auto const& all() const noexcept { return by_key_id_; }
};

// Either JSON, {"Credentials":[{"AccessKeyId":…,"SecretAccessKey":…,"SessionToken":…,
// "AllowedOperations":[…],"Name":…}]} (the last three optional), or the form an environment
// variable holds: AKID:SECRET[:SESSION_TOKEN] entries separated by commas or newlines. Throws
// std::invalid_argument with a one-line message that never repeats a secret.
credential_set parse_credentials(std::string_view text);

// The steps of the signature, exposed so tests can hold them to AWS's published vectors.

// "20150830T123600Z" for a Unix time, and back; nullopt for anything but that exact form.
std::string amz_date(std::int64_t epoch_seconds);
std::optional<std::int64_t> parse_amz_date(std::string_view text);
// RFC 3986 percent-encoding of every byte but the unreserved ones, hex digits in upper case.
std::string uri_encode(std::string_view bytes);
// The path without "." and ".." segments or repeated slashes, each segment encoded as it came.
std::string canonical_uri(std::string_view path);
// Parameters decoded, re-encoded and sorted by name, then value; "=" kept for empty values.
std::string canonical_query_string(std::string_view query);
// signed_headers exactly as the Authorization header lists them, "host;x-amz-date". The
// payload hash is always the body's: AWS JSON services ignore x-amz-content-sha256.
std::string canonical_request(aws_json::request const& req, std::string_view signed_headers);
// "20150830/us-east-1/cognito-idp/aws4_request"
std::string
credential_scope(std::string_view date, std::string_view region, std::string_view service);
std::string string_to_sign(
    std::string_view amz_date, std::string_view scope, std::string_view canonical_request
);
// The raw 32-byte key: HMAC-SHA256 chained from "AWS4" + secret over date, region, service and
// "aws4_request".
std::string signing_key(
    std::string_view secret,
    std::string_view date,
    std::string_view region,
    std::string_view service
);

// Signs req as the SDKs do: sets X-Amz-Date (and X-Amz-Security-Token when the credential has
// one), then an Authorization header over every header present except those the SDKs leave
// unsigned (User-Agent, Expect, Transfer-Encoding, X-Amzn-Trace-Id). The caller sets Host first.
void sign(
    aws_json::request& req,
    credential const& key,
    std::string_view region,
    std::string_view service,
    std::int64_t now_epoch_seconds
);

// Checks the Authorization header the way AWS does and in AWS's order; returns the credential
// that signed the request. Throws aws_error (all HTTP 400): MissingAuthenticationTokenException,
// IncompleteSignatureException, InvalidSignatureException or UnrecognizedClientException. Any
// region is accepted: cognitod answers for all of them. service is a parameter only so that
// AWS's test suite, signed for "service", can be verified too.
credential const& verify(
    aws_json::request const& req,
    credential_set const& credentials,
    std::int64_t now_epoch_seconds,
    std::string_view service = service_name
);

// Throws AccessDeniedException unless the credential may call the operation. resource is what
// AWS names in the message: the pool's ARN, arn:aws:cognito-idp:<region>:<account>:userpool/<id>,
// or "*" for calls on no pool (ListUserPools, CreateUserPool).
void authorize(
    credential const& caller,
    std::string_view operation,
    std::string_view account_id,
    std::string_view resource
);

} // namespace cognitod::auth::sigv4
