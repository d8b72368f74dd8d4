#include "server/auth/sigv4.hpp"

#include "server/auth/encoding.hpp"

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <stdexcept>
#include <utility>

namespace cognitod::auth::sigv4
{

namespace
{

constexpr std::string_view terminator = "aws4_request";
constexpr std::string_view whitespace = " \t\r\n";

// The codes AWS answers before a request reaches the service, all HTTP 400.
aws_error missing_authentication_token()
{
    return {"MissingAuthenticationTokenException", "Missing Authentication Token"};
}
aws_error incomplete_signature(std::string const& m)
{
    return {"IncompleteSignatureException", m};
}
aws_error invalid_signature(std::string const& m)
{
    return {"InvalidSignatureException", m};
}
aws_error unrecognized_client()
{
    return {
        "UnrecognizedClientException", "The security token included in the request is invalid."};
}
aws_error access_denied(std::string const& m)
{
    return {"AccessDeniedException", m};
}

std::string_view trim(std::string_view text)
{
    auto const first = text.find_first_not_of(whitespace);
    if (first == std::string_view::npos)
    {
        return {};
    }
    return text.substr(first, text.find_last_not_of(whitespace) - first + 1);
}

std::string lower(std::string_view text)
{
    std::string out{text};
    std::transform(
        out.begin(),
        out.end(),
        out.begin(),
        [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); }
    );
    return out;
}

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && lower(a) == lower(b);
}

// The non-empty pieces of text between any of the separators.
std::vector<std::string_view> split(std::string_view text, std::string_view separators)
{
    std::vector<std::string_view> pieces;
    while (!text.empty())
    {
        auto const end = text.find_first_of(separators);
        if (end != 0)
        {
            pieces.push_back(text.substr(0, end));
        }
        if (end == std::string_view::npos)
        {
            break;
        }
        text.remove_prefix(end + 1);
    }
    return pieces;
}

bool constant_time_equal(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

int hex_value(char c)
{
    if (c >= '0' && c <= '9')
    {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f')
    {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F')
    {
        return c - 'A' + 10;
    }
    return -1;
}

// '+' stays '+': the SDKs send a space as %20, and a '%' that starts no escape stays literal.
std::string percent_decode(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
            hex_value(text[i + 2]) >= 0)
        {
            out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
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
            throw incomplete_signature(
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
        throw invalid_signature(
            "Signature expired: " + amz_date(signed_at) + " is now earlier than " +
            amz_date(earliest) + " (" + amz_date(now) + " - " +
            minutes_text(max_clock_skew_seconds) + ")"
        );
    }
    if (signed_at > latest)
    {
        throw invalid_signature(
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
        throw incomplete_signature(missing + "Authorization=" + std::string{value});
    }
}

// Host must be signed, or the request could be replayed against another endpoint.
void require_signed_host(std::string_view signed_headers)
{
    auto const names = split(signed_headers, ";");
    if (std::none_of(names.begin(), names.end(), [](auto name) { return iequals(name, "host"); }))
    {
        throw invalid_signature(
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
        throw incomplete_signature(
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
        throw invalid_signature(wrong);
    }
}

credential const& find_caller(credential_set const& credentials, std::string_view key_id)
{
    auto const* caller = credentials.find(key_id);
    if (caller == nullptr)
    {
        throw unrecognized_client();
    }
    return *caller;
}

std::invalid_argument bad_credentials(std::string const& problem)
{
    return std::invalid_argument("credentials: " + problem);
}

enum class presence
{
    required,
    optional
};

std::string json_string(
    nlohmann::json const& entry,
    std::string const& where,
    std::string const& member,
    presence needed
)
{
    auto const value = entry.find(member);
    if (value == entry.end())
    {
        if (needed == presence::required)
        {
            throw bad_credentials(where + ": missing " + member);
        }
        return {};
    }
    if (!value->is_string() || value->get_ref<std::string const&>().empty())
    {
        throw bad_credentials(where + ": " + member + " must be a non-empty string");
    }
    return value->get<std::string>();
}

std::vector<credential> credentials_from_json(std::string_view text)
{
    nlohmann::json document;
    try
    {
        document = nlohmann::json::parse(text);
    }
    catch (nlohmann::json::parse_error const& e)
    {
        // Only the offset: the parser's message quotes the text, secrets included.
        throw bad_credentials("not valid JSON (error at byte " + std::to_string(e.byte) + ")");
    }
    if (!document.is_object())
    {
        throw bad_credentials("expected an object with a Credentials array");
    }
    for (auto const& item : document.items())
    {
        if (item.key() != "Credentials")
        {
            throw bad_credentials("unknown member '" + item.key() + "'");
        }
    }
    auto const list = document.find("Credentials");
    if (list == document.end())
    {
        throw bad_credentials("missing Credentials");
    }
    if (!list->is_array() || list->empty())
    {
        throw bad_credentials("Credentials must be a non-empty array");
    }

    constexpr std::array<std::string_view, 5> members = {
        "AccessKeyId", "SecretAccessKey", "SessionToken", "AllowedOperations", "Name"};
    std::vector<credential> out;
    for (std::size_t i = 0; i < list->size(); ++i)
    {
        auto const& entry = (*list)[i];
        auto const where = "Credentials[" + std::to_string(i) + "]";
        if (!entry.is_object())
        {
            throw bad_credentials(where + " must be an object");
        }
        for (auto const& item : entry.items())
        {
            if (std::find(members.begin(), members.end(), item.key()) == members.end())
            {
                throw bad_credentials(where + ": unknown member '" + item.key() + "'");
            }
        }
        credential c;
        c.access_key_id = json_string(entry, where, "AccessKeyId", presence::required);
        c.secret_access_key = json_string(entry, where, "SecretAccessKey", presence::required);
        c.session_token = json_string(entry, where, "SessionToken", presence::optional);
        c.name = json_string(entry, where, "Name", presence::optional);
        if (auto const operations = entry.find("AllowedOperations"); operations != entry.end())
        {
            auto const not_names =
                bad_credentials(where + ": AllowedOperations must be an array of operation names");
            if (!operations->is_array())
            {
                throw not_names;
            }
            c.allowed_operations.emplace();
            for (auto const& operation : *operations)
            {
                if (!operation.is_string() || operation.get_ref<std::string const&>().empty())
                {
                    throw not_names;
                }
                c.allowed_operations->push_back(operation.get<std::string>());
            }
        }
        out.push_back(std::move(c));
    }
    return out;
}

// AKID:SECRET[:SESSION_TOKEN], entries separated by commas or newlines. Messages name the entry
// by its number, never by its text, which holds the secret.
std::vector<credential> credentials_from_short_form(std::string_view text)
{
    std::vector<credential> out;
    for (auto const piece : split(text, ",\n"))
    {
        auto const entry = trim(piece);
        if (entry.empty())
        {
            continue;
        }
        auto const where = "entry " + std::to_string(out.size() + 1);
        auto const first = entry.find(':');
        auto const second = first == std::string_view::npos ? first : entry.find(':', first + 1);
        if (first == std::string_view::npos ||
            (second != std::string_view::npos &&
             entry.find(':', second + 1) != std::string_view::npos))
        {
            throw bad_credentials(where + " is not AKID:SECRET[:SESSION_TOKEN]");
        }
        credential c;
        c.access_key_id = std::string{entry.substr(0, first)};
        if (c.access_key_id.empty())
        {
            throw bad_credentials(where + " has an empty access key id");
        }
        c.secret_access_key = std::string{
            second == std::string_view::npos ? entry.substr(first + 1)
                                             : entry.substr(first + 1, second - first - 1)};
        if (c.secret_access_key.empty())
        {
            throw bad_credentials(where + " ('" + c.access_key_id + "') has an empty secret");
        }
        if (second != std::string_view::npos)
        {
            c.session_token = std::string{entry.substr(second + 1)};
            if (c.session_token.empty())
            {
                throw bad_credentials(
                    where + " ('" + c.access_key_id + "') has an empty session token"
                );
            }
        }
        out.push_back(std::move(c));
    }
    if (out.empty())
    {
        throw bad_credentials("none given");
    }
    return out;
}

} // namespace

credential_set::credential_set(std::vector<credential> credentials)
{
    for (auto& c : credentials)
    {
        auto key_id = c.access_key_id;
        if (key_id.empty())
        {
            throw bad_credentials("an AccessKeyId is empty");
        }
        if (key_id.find_first_of("/," + std::string{whitespace}) != std::string::npos)
        {
            throw bad_credentials(
                "AccessKeyId '" + key_id +
                "' has '/', ',' or whitespace, which no signature can carry"
            );
        }
        if (c.secret_access_key.empty())
        {
            throw bad_credentials("the SecretAccessKey of '" + key_id + "' is empty");
        }
        if (c.name.empty())
        {
            c.name = key_id;
        }
        if (!by_key_id_.emplace(key_id, std::move(c)).second)
        {
            throw bad_credentials("AccessKeyId '" + key_id + "' is given twice");
        }
    }
}

credential const* credential_set::find(std::string_view access_key_id) const
{
    auto const found = by_key_id_.find(access_key_id);
    return found == by_key_id_.end() ? nullptr : &found->second;
}

credential_set parse_credentials(std::string_view text)
{
    auto const content = trim(text);
    return credential_set{
        content.starts_with('{') ? credentials_from_json(content)
                                 : credentials_from_short_form(content)};
}

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
    constexpr std::string_view digits = "0123456789ABCDEF";
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
            out.push_back(digits[c >> 4U]);
            out.push_back(digits[c & 0x0fU]);
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
        out += lower(name) + ':';
        bool first = true;
        for (auto const& field : req)
        {
            if (iequals(field.name_string(), name))
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
        auto name = lower(field.name_string());
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
        throw missing_authentication_token();
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
        throw incomplete_signature(
            "Date must be in ISO-8601 'basic format'. Got '" + std::string{*date_text} +
            "'. See http://en.wikipedia.org/wiki/ISO_8601"
        );
    }
    check_clock_skew(*signed_at, now_epoch_seconds);
    require_signed_host(*auth.signed_headers);
    if (auth.algorithm != algorithm)
    {
        throw incomplete_signature(
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
        throw invalid_signature(
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details."
        );
    }

    // A temporary credential's token must come with it, and nothing else may bring one.
    auto const token = header(req, "X-Amz-Security-Token").value_or("");
    if (!constant_time_equal(token, caller.session_token))
    {
        throw unrecognized_client();
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
    throw access_denied(
        "User: arn:aws:iam::" + std::string{account_id} + ":user/" + user +
        " is not authorized to perform: " + action + " on resource: " + std::string{resource} +
        " because no identity-based policy allows the " + action + " action"
    );
}

} // namespace cognitod::auth::sigv4
