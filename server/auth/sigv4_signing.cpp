// The signature's steps: X-Amz-Date's form, the canonical request, the string to sign and the
// signing key; and sign(), which puts them together as the SDKs do (verify() redoes them).
#include "server/auth/encoding.hpp"
#include "server/auth/sigv4.hpp"
#include "server/auth/sigv4_detail.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <utility>

namespace cognitod::auth::sigv4
{

namespace
{

using detail::split;
using detail::terminator;
using detail::whitespace;

// '+' stays '+': the SDKs send a space as %20, and a '%' that starts no escape stays literal.
std::string percent_decode(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        if (text[i] == '%' && i + 2 < text.size() && hex_digit_value(text[i + 1]) >= 0 &&
            hex_digit_value(text[i + 2]) >= 0)
        {
            out.push_back(
                static_cast<char>(hex_digit_value(text[i + 1]) * 16 + hex_digit_value(text[i + 2]))
            );
            i += 2;
        }
        else
        {
            out.push_back(text[i]);
        }
    }
    return out;
}

// Trimmed, with every run of whitespace inside (folded lines included) made one space.
std::string canonical_header_value(std::string_view value)
{
    std::string out;
    for (auto const word : split(value, whitespace))
    {
        if (!out.empty())
        {
            out.push_back(' ');
        }
        out += word;
    }
    return out;
}

} // namespace

std::string amz_date(std::int64_t epoch_seconds)
{
    using namespace std::chrono;
    auto const time = sys_seconds{seconds{epoch_seconds}};
    auto const midnight = floor<days>(time);
    year_month_day const date{midnight};
    hh_mm_ss const clock{time - midnight};
    std::string out;
    auto const digits = [&out](long long value, int width)
    {
        auto const text = std::to_string(value);
        out.append(text.size() < static_cast<std::size_t>(width) ? width - text.size() : 0, '0');
        out += text;
    };
    digits(static_cast<int>(date.year()), 4);
    digits(static_cast<unsigned>(date.month()), 2);
    digits(static_cast<unsigned>(date.day()), 2);
    out += 'T';
    digits(clock.hours().count(), 2);
    digits(clock.minutes().count(), 2);
    digits(clock.seconds().count(), 2);
    out += 'Z';
    return out;
}

std::optional<std::int64_t> parse_amz_date(std::string_view text)
{
    using namespace std::chrono;
    if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z')
    {
        return std::nullopt;
    }
    auto const number = [&](std::size_t at, std::size_t length) -> int
    {
        int value = 0;
        for (auto const c : text.substr(at, length))
        {
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    };
    int const y = number(0, 4);
    int const mo = number(4, 2);
    int const d = number(6, 2);
    int const h = number(9, 2);
    int const mi = number(11, 2);
    int const s = number(13, 2);
    if (y < 0 || mo < 0 || d < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59)
    {
        return std::nullopt;
    }
    year_month_day const date{
        year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!date.ok())
    {
        return std::nullopt;
    }
    auto const time = sys_days{date} + hours{h} + minutes{mi} + seconds{s};
    return time.time_since_epoch().count();
}

std::string uri_encode(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size());
    for (unsigned char const c : bytes)
    {
        bool const unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                                c == '~';
        if (unreserved)
        {
            out.push_back(static_cast<char>(c));
        }
        else
        {
            out.push_back('%');
            append_hex(out, c, hex_case::upper);
        }
    }
    return out;
}

std::string canonical_uri(std::string_view path)
{
    // Dot segments go as in RFC 3986 section 5.2.4, except that ".." above the root is dropped;
    // empty segments go too, since AWS collapses repeated slashes (botocore does the same).
    std::vector<std::string_view> segments;
    for (auto const segment : split(path, "/"))
    {
        if (segment == "..")
        {
            if (!segments.empty())
            {
                segments.pop_back();
            }
        }
        else if (segment != ".")
        {
            segments.push_back(segment);
        }
    }
    // The path is encoded as it came, so "%20" on the wire signs as "%2520" (the SDKs encode
    // the path once to send it, and once more to sign it).
    std::string out = "/";
    for (std::size_t i = 0; i < segments.size(); ++i)
    {
        out += uri_encode(segments[i]);
        if (i + 1 < segments.size() || path.ends_with('/'))
        {
            out.push_back('/');
        }
    }
    return out;
}

std::string canonical_query_string(std::string_view query)
{
    std::vector<std::pair<std::string, std::string>> parameters;
    for (auto const parameter : split(query, "&"))
    {
        auto const equals = parameter.find('=');
        auto const value =
            equals == std::string_view::npos ? std::string_view{} : parameter.substr(equals + 1);
        parameters.emplace_back(
            uri_encode(percent_decode(parameter.substr(0, equals))),
            uri_encode(percent_decode(value))
        );
    }
    std::sort(parameters.begin(), parameters.end());
    std::string out;
    for (auto const& [name, value] : parameters)
    {
        if (!out.empty())
        {
            out.push_back('&');
        }
        out += name;
        out += '=';
        out += value;
    }
    return out;
}

std::string canonical_request(aws_json::request const& req, std::string_view signed_headers)
{
    std::string_view const target = req.target();
    auto const question = target.find('?');
    auto const query =
        question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);

    std::string out{req.method_string()};
    out += '\n' + canonical_uri(target.substr(0, question));
    out += '\n' + canonical_query_string(query) + '\n';
    for (auto const name : split(signed_headers, ";"))
    {
        // Repeated headers join with commas in the order they came. A signed header the
        // request lacks still gets its line, empty, so the signature cannot match.
        out += ascii_lower(name) + ':';
        bool first = true;
        for (auto const& field : req)
        {
            if (beast::iequals(field.name_string(), name))
            {
                out += (first ? "" : ",") + canonical_header_value(field.value());
                first = false;
            }
        }
        out += '\n';
    }
    out += '\n' + std::string{signed_headers} + '\n';
    out += hex_encode(sha256(req.body()));
    return out;
}

std::string
credential_scope(std::string_view date, std::string_view region, std::string_view service)
{
    std::string out{date};
    out += '/';
    out += region;
    out += '/';
    out += service;
    out += '/';
    out += terminator;
    return out;
}

std::string string_to_sign(
    std::string_view amz_date, std::string_view scope, std::string_view canonical_request
)
{
    std::string out{algorithm};
    out += '\n';
    out += amz_date;
    out += '\n';
    out += scope;
    out += '\n';
    out += hex_encode(sha256(canonical_request));
    return out;
}

std::string signing_key(
    std::string_view secret,
    std::string_view date,
    std::string_view region,
    std::string_view service
)
{
    auto key = hmac_sha256("AWS4" + std::string{secret}, date);
    key = hmac_sha256(key, region);
    key = hmac_sha256(key, service);
    return hmac_sha256(key, terminator);
}

void sign(
    aws_json::request& req,
    credential const& key,
    std::string_view region,
    std::string_view service,
    std::int64_t now_epoch_seconds
)
{
    // botocore's UNSIGNED_HEADERS; proxies may change these on the way.
    constexpr std::array<std::string_view, 4> left_unsigned = {
        "expect", "transfer-encoding", "user-agent", "x-amzn-trace-id"};
    auto const date = amz_date(now_epoch_seconds);
    req.set("X-Amz-Date", date);
    if (!key.session_token.empty())
    {
        req.set("X-Amz-Security-Token", key.session_token);
    }
    req.erase(http::field::authorization);

    std::vector<std::string> names;
    for (auto const& field : req)
    {
        auto name = ascii_lower(field.name_string());
        if (std::find(left_unsigned.begin(), left_unsigned.end(), name) == left_unsigned.end())
        {
            names.push_back(std::move(name));
        }
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    std::string signed_headers;
    for (auto const& name : names)
    {
        signed_headers += (signed_headers.empty() ? "" : ";") + name;
    }

    auto const scope = credential_scope(date.substr(0, 8), region, service);
    auto const to_sign = string_to_sign(date, scope, canonical_request(req, signed_headers));
    auto const signature = hex_encode(
        hmac_sha256(signing_key(key.secret_access_key, date.substr(0, 8), region, service), to_sign)
    );
    req.set(
        http::field::authorization,
        std::string{algorithm} + " Credential=" + key.access_key_id + "/" + scope +
            ", SignedHeaders=" + signed_headers + ", Signature=" + signature
    );
}

} // namespace cognitod::auth::sigv4
