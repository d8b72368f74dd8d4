#include "server/aws_json.hpp"

#include "server/auth/encoding.hpp"
#include "server/json_read.hpp"
#include "server/json_text.hpp"

#include <algorithm>

namespace cognitod::aws_json
{

namespace
{

// x-amzn-ErrorMessage is cut to this many bytes; the body keeps the whole message. A validation
// message echoes the values it refuses, so it can be as long as the body, but Beast throws for a
// header over 64 KiB and Node's HTTP parser refuses more than 16 KiB of headers in all.
constexpr std::size_t max_message_header = 1024;

// botocore and the SDKs send the model's target; accept nothing else, as AWS does.
aws_error unknown_operation()
{
    return errors::unknown_operation("");
}

// The message as a header value can carry it. A header cannot hold line breaks (schema messages
// end in one), so they and tabs fold to spaces; any other control character would make Node's
// HTTP parser refuse the whole response (the JS SDK then throws "Invalid header value char"
// instead of the error), so it is written as a \u00XX escape. Long messages are cut, between
// UTF-8 sequences, never inside one.
std::string header_text(std::string_view message)
{
    std::string header;
    header.reserve(message.size());
    for (char const c : message)
    {
        auto const byte = static_cast<unsigned char>(c);
        if (c == '\r' || c == '\n' || c == '\t')
        {
            header += ' ';
        }
        else if (byte < 0x20U || byte == 0x7FU)
        {
            header += "\\u00";
            auth::append_hex(header, byte, auth::hex_case::upper);
        }
        else
        {
            header += c;
        }
    }
    while (!header.empty() && header.back() == ' ')
    {
        header.pop_back();
    }
    if (header.size() > max_message_header)
    {
        auto cut = max_message_header;
        while (cut > 0 && (static_cast<unsigned char>(header[cut]) & 0xC0U) == 0x80U)
        {
            --cut;
        }
        header.resize(cut);
        header += "...";
    }
    return header;
}

} // namespace

call decode(request const& req)
{
    auto const target_header = req.find("X-Amz-Target");
    if (target_header == req.end())
    {
        throw unknown_operation();
    }
    std::string_view const target = target_header->value();
    if (!target.starts_with(target_prefix) || target.size() == target_prefix.size())
    {
        throw unknown_operation();
    }
    call c;
    c.operation = std::string{target.substr(target_prefix.size())};
    c.input = decode_input(req.body());
    return c;
}

nlohmann::json decode_input(std::string_view body)
{
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos)
    {
        // An empty body is an empty input, as botocore sends for operations without members.
        return nlohmann::json::object();
    }
    auto read = read_client_json(body);
    if (read.result == client_json::outcome::too_deep)
    {
        throw errors::serialization(
            "The body nests arrays and objects more than " + std::to_string(max_json_depth) +
            " levels deep."
        );
    }
    if (read.result == client_json::outcome::not_json)
    {
        throw errors::serialization(
            "Unexpected character or end of input: the body is not valid JSON."
        );
    }
    if (read.value.is_array())
    {
        throw errors::serialization("Start of list found where not expected");
    }
    if (!read.value.is_object())
    {
        throw errors::serialization("Expected a JSON object as the request body.");
    }
    // A null member counts as absent (some SDKs send null for "not set"): dropped here, neither
    // validation nor the handlers see it. Only a body with a null in it needs the walk.
    if (body.find("null") != std::string_view::npos)
    {
        drop_null_members(read.value);
    }
    return std::move(read.value);
}

std::string_view signing_region(request const& req)
{
    // Authorization: AWS4-HMAC-SHA256 Credential=AKID/20261126/us-west-2/cognito-idp/aws4_request,
    // ...
    auto const header = req.find(http::field::authorization);
    if (header == req.end())
    {
        return {};
    }
    std::string_view const value = header->value();
    auto const credential = value.find("Credential=");
    if (credential == std::string_view::npos)
    {
        return {};
    }
    auto scope = value.substr(credential + 11);
    scope = scope.substr(0, scope.find_first_of(", "));
    // AKID / date / region / service / aws4_request
    for (int skip = 0; skip < 2; ++skip)
    {
        auto const slash = scope.find('/');
        if (slash == std::string_view::npos)
        {
            return {};
        }
        scope.remove_prefix(slash + 1);
    }
    auto const region = scope.substr(0, scope.find('/'));
    if (!region.empty() && !valid_region(region))
    {
        throw errors::invalid_signature(invalid_region_message(region));
    }
    return region;
}

bool valid_region(std::string_view region) noexcept
{
    constexpr std::size_t max_region = 50;
    return !region.empty() && region.size() <= max_region &&
           std::all_of(
               region.begin(),
               region.end(),
               [](char c) {
                   return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '-';
               }
           );
}

std::string invalid_region_message(std::string_view region)
{
    return "Credential should be scoped to a valid region, not '" + std::string{region} + "'. ";
}

response
encode_result(nlohmann::json const& output, std::string const& request_id, unsigned version)
{
    response res{http::status::ok, version};
    res.set(http::field::content_type, content_type);
    res.set("x-amzn-RequestId", request_id);
    res.body() = json_text(output);
    res.prepare_payload();
    return res;
}

response encode_json(
    http::status status, nlohmann::json const& body, std::string const& request_id, unsigned version
)
{
    response res{status, version};
    res.set(http::field::content_type, "application/json");
    res.set("x-amzn-RequestId", request_id);
    res.body() = json_text(body);
    res.prepare_payload();
    return res;
}

response encode_error(aws_error const& error, std::string const& request_id, unsigned version)
{
    response res{static_cast<http::status>(error.status()), version};
    res.set(http::field::content_type, content_type);
    res.set("x-amzn-RequestId", request_id);
    // The trailing colon is what AWS sends; SDKs split the header on it.
    res.set("x-amzn-ErrorType", error.code() + ":");
    // ordered_json keeps "__type" first, as AWS writes it.
    nlohmann::ordered_json body{{"__type", error.code()}};
    std::string const& message = error.message();
    if (!message.empty())
    {
        // SerializationException spells its member "Message", as the AWS JSON front end does.
        body[error.code() == "SerializationException" ? "Message" : "message"] = message;
        res.set("x-amzn-ErrorMessage", header_text(message));
    }
    res.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    res.prepare_payload();
    return res;
}

} // namespace cognitod::aws_json
