// Checking a signed request the way AWS does, and in AWS's order, then whether its credential
// may call the operation; each refusal in AWS's words.
#include "server/auth/encoding.hpp"
#include "server/auth/sigv4.hpp"
#include "server/auth/sigv4_detail.hpp"

#include <algorithm>

namespace cognitod::auth::sigv4
{

namespace
{

using detail::split;
using detail::terminator;
using detail::trim;
using detail::whitespace;

std::optional<std::string_view> header(aws_json::request const& req, std::string_view name)
{
    auto const field = req.find(name);
    if (field == req.end())
    {
        return std::nullopt;
    }
    return std::string_view{field->value()};
}

// Credential, SignedHeaders and Signature from the Authorization header; the last of each wins.
struct authorization
{
    std::string_view algorithm;
    std::optional<std::string_view> credential;
    std::optional<std::string_view> signed_headers;
    std::optional<std::string_view> signature;
};

authorization parse_authorization(std::string_view value)
{
    authorization parsed;
    auto const text = trim(value);
    auto const space = text.find_first_of(whitespace);
    parsed.algorithm = text.substr(0, space);
    if (space == std::string_view::npos)
    {
        return parsed;
    }
    // AWS accepts commas, whitespace or both between the parameters.
    for (auto const parameter : split(text.substr(space), ", \t"))
    {
        auto const equals = parameter.find('=');
        if (equals == std::string_view::npos)
        {
            throw errors::incomplete_signature(
                "'" + std::string{parameter} +
                "' not a valid key=value pair (missing equal-sign) in Authorization header: '" +
                std::string{value} + "'"
            );
        }
        auto const key = parameter.substr(0, equals);
        auto const content = parameter.substr(equals + 1);
        if (key == "Credential")
        {
            parsed.credential = content;
        }
        else if (key == "SignedHeaders")
        {
            parsed.signed_headers = content;
        }
        else if (key == "Signature")
        {
            parsed.signature = content;
        }
    }
    return parsed;
}

std::string minutes_text(std::int64_t seconds)
{
    return std::to_string(seconds / 60) + " min.";
}

// Expired or not yet current, in AWS's words.
void check_clock_skew(std::int64_t signed_at, std::int64_t now)
{
    auto const earliest = now - max_clock_skew_seconds;
    auto const latest = now + max_clock_skew_seconds;
    if (signed_at < earliest)
    {
        throw errors::invalid_signature(
            "Signature expired: " + amz_date(signed_at) + " is now earlier than " +
            amz_date(earliest) + " (" + amz_date(now) + " - " +
            minutes_text(max_clock_skew_seconds) + ")"
        );
    }
    if (signed_at > latest)
    {
        throw errors::invalid_signature(
            "Signature not yet current: " + amz_date(signed_at) + " is still later than " +
            amz_date(latest) + " (" + amz_date(now) + " + " + minutes_text(max_clock_skew_seconds) +
            ")"
        );
    }
}

// Every missing part gets its sentence, then the header as sent.
void require_parts(authorization const& auth, bool has_date, std::string_view value)
{
    std::string missing;
    if (!auth.credential || auth.credential->empty())
    {
        missing += "Authorization header requires 'Credential' parameter. ";
    }
    if (!auth.signature || auth.signature->empty())
    {
        missing += "Authorization header requires 'Signature' parameter. ";
    }
    if (!auth.signed_headers)
    {
        missing += "Authorization header requires 'SignedHeaders' parameter. ";
    }
    if (!has_date)
    {
        missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
                   "header. ";
    }
    if (!missing.empty())
    {
        throw errors::incomplete_signature(missing + "Authorization=" + std::string{value});
    }
}

// Host must be signed, or the request could be replayed against another endpoint.
void require_signed_host(std::string_view signed_headers)
{
    auto const names = split(signed_headers, ";");
    if (std::none_of(
            names.begin(), names.end(), [](auto name) { return beast::iequals(name, "host"); }
        ))
    {
        throw errors::invalid_signature(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
        );
    }
}

// keyid/date/region/service/aws4_request; trailing slashes do not count.
std::vector<std::string_view> scope_of(std::string_view credential_text)
{
    auto text = credential_text;
    while (text.ends_with('/'))
    {
        text.remove_suffix(1);
    }
    std::vector<std::string_view> scope;
    for (std::size_t start = 0; start <= text.size();)
    {
        auto const slash = std::min(text.find('/', start), text.size());
        scope.push_back(text.substr(start, slash - start));
        start = slash + 1;
    }
    if (scope.size() != 5)
    {
        throw errors::incomplete_signature(
            "Credential must have exactly 5 slash-delimited elements, e.g. "
            "keyid/date/region/service/term, got '" +
            std::string{credential_text} + "'"
        );
    }
    return scope;
}

// AWS lists every wrong piece of the scope in one message. Any region will do: cognitod answers
// for all of them.
void check_scope(
    std::vector<std::string_view> const& scope, std::string_view service, std::string_view date_text
)
{
    auto const date = date_text.substr(0, 8);
    std::string wrong;
    if (!aws_json::valid_region(scope[2]))
    {
        wrong += aws_json::invalid_region_message(scope[2]);
    }
    if (scope[3] != service)
    {
        wrong += "Credential should be scoped to correct service: '" + std::string{service} + "'. ";
    }
    if (scope[4] != terminator)
    {
        wrong += "Credential should be scoped with a valid terminator: 'aws4_request', not '" +
                 std::string{scope[4]} + "'. ";
    }
    if (scope[1] != date)
    {
        wrong += "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                 "from HTTP: '" +
                 std::string{scope[1]} + "' != '" + std::string{date} + "', from '" +
                 std::string{date_text} + "'.";
    }
    if (!wrong.empty())
    {
        throw errors::invalid_signature(wrong);
    }
}

credential const& find_caller(credential_set const& credentials, std::string_view key_id)
{
    auto const* caller = credentials.find(key_id);
    if (caller == nullptr)
    {
        throw errors::unrecognized_client();
    }
    return *caller;
}

} // namespace

credential const& verify(
    aws_json::request const& req,
    credential_set const& credentials,
    std::int64_t now_epoch_seconds,
    std::string_view service
)
{
    // The order of the checks is AWS's: a request with several faults hears about the first.
    // Anything but an AWS4- scheme counts as no signature at all, as AWS JSON services answer.
    auto const value = header(req, "Authorization");
    if (!value || !trim(*value).starts_with("AWS4-"))
    {
        throw errors::missing_authentication_token();
    }
    auto const auth = parse_authorization(*value);

    auto date_text = header(req, "X-Amz-Date");
    if (!date_text)
    {
        date_text = header(req, "Date");
    }
    require_parts(auth, date_text.has_value(), *value);

    // An unreadable date is an incomplete signature, not a wrong one: AWS's own wording.
    auto const signed_at = parse_amz_date(*date_text);
    if (!signed_at)
    {
        throw errors::incomplete_signature(
            "Date must be in ISO-8601 'basic format'. Got '" + std::string{*date_text} +
            "'. See http://en.wikipedia.org/wiki/ISO_8601"
        );
    }
    check_clock_skew(*signed_at, now_epoch_seconds);
    require_signed_host(*auth.signed_headers);
    if (auth.algorithm != algorithm)
    {
        throw errors::incomplete_signature(
            "Unsupported AWS 'algorithm': '" + std::string{auth.algorithm} +
            "' (only AWS4-HMAC-SHA256 for now). "
        );
    }
    auto const scope = scope_of(*auth.credential);
    auto const date = date_text->substr(0, 8);
    check_scope(scope, service, *date_text);

    auto const& caller = find_caller(credentials, scope[0]);
    auto const to_sign = string_to_sign(
        *date_text,
        credential_scope(date, scope[2], service),
        canonical_request(req, *auth.signed_headers)
    );
    auto const expected = hex_encode(
        hmac_sha256(signing_key(caller.secret_access_key, date, scope[2], service), to_sign)
    );
    if (!constant_time_equal(expected, *auth.signature))
    {
        throw errors::invalid_signature(
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details."
        );
    }

    // A temporary credential's token must come with it, and nothing else may bring one.
    auto const token = header(req, "X-Amz-Security-Token").value_or("");
    if (!constant_time_equal(token, caller.session_token))
    {
        throw errors::unrecognized_client();
    }
    return caller;
}

void authorize(
    credential const& caller,
    std::string_view operation,
    std::string_view account_id,
    std::string_view resource
)
{
    if (!caller.allowed_operations)
    {
        return;
    }
    auto const& allowed = *caller.allowed_operations;
    if (std::find(allowed.begin(), allowed.end(), operation) != allowed.end())
    {
        return;
    }
    auto const action = "cognito-idp:" + std::string{operation};
    auto const& user = caller.name.empty() ? caller.access_key_id : caller.name;
    throw errors::access_denied(
        "User: arn:aws:iam::" + std::string{account_id} + ":user/" + user +
        " is not authorized to perform: " + action + " on resource: " + std::string{resource} +
        " because no identity-based policy allows the " + action + " action"
    );
}

} // namespace cognitod::auth::sigv4
