#include "server/config.hpp"

#include "server/lambda.hpp"
#include "server/throttle.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <string_view>

namespace cognitod
{

namespace
{

constexpr std::string_view usage = R"(Usage: cognitod [options]
A local emulator of Amazon Cognito user pools (cognito-idp), AWS JSON 1.1 on HTTP.

Options (each also read from the environment variable in brackets; a flag wins):
  --host ADDR         address to listen on (COGNITOD_HOST, default 127.0.0.1)
  --port N            port, 0 picks a free one (COGNITOD_PORT, default 9229)
  --db PATH           SQLite database file, or :memory: (COGNITOD_DB, default DATA_DIR/cognitod.db)
  --data-dir DIR      where the default database lives (COGNITOD_DATA_DIR, default ./cognitod-data)
  --region REGION     default region; a request's SigV4 scope overrides it
                      (COGNITOD_REGION, default us-east-1)
  --account-id ID     12-digit account id used in ARNs (COGNITOD_ACCOUNT_ID, default 123456789012)
  --seed FILE         seed file applied once per database (COGNITOD_SEED); or put the
                      seed itself in COGNITOD_SEED_JSON (docs/seed.md)
  --reseed            apply the seed again even if this database has applied it (COGNITOD_RESEED=1)
  --durability MODE   normal (survives a crash) or full (fsync per commit, survives power loss)
                      (COGNITOD_DURABILITY, default normal)
  --threads N         I/O threads, 1..64 (COGNITOD_THREADS, default 1)
  --signing-key-stock N  RSA keys kept ready in the database for new pools, two each; made by a
                      background thread at idle priority, 0..100000 (COGNITOD_SIGNING_KEY_STOCK,
                      default 200)
  --log-level LEVEL   debug, info, warn or error (COGNITOD_LOG_LEVEL, default info)
  --auth MODE         off (accept any caller) or sigv4 (verify AWS Signature Version 4 on every
                      signed operation) (COGNITOD_AUTH, default off)
  --credentials FILE  the access keys sigv4 accepts (COGNITOD_CREDENTIALS_FILE); or put the
                      content itself in COGNITOD_CREDENTIALS (docs/security.md)
  --throttle MODE     off or aws: AWS's request-rate quotas per category and per user
                      (COGNITOD_THROTTLE, default off)
  --throttle-rates R  per-category overrides in requests per second, e.g.
                      UserResourceUpdate=5,PerUserWrite=2 (COGNITOD_THROTTLE_RATES)
  --control MODE      on or off: the /_cognitod/ endpoints (COGNITOD_CONTROL, default on)
  --control-token T   require this token on /_cognitod/ requests (COGNITOD_CONTROL_TOKEN)
  --allowed-hosts H   names the /_cognitod/ endpoints answer under besides localhost, loopback
                      addresses and the listen address, comma-separated; .example.com for a
                      domain and every name in it (COGNITOD_ALLOWED_HOSTS)
  --lambda-endpoint URL
                      call the pools' Lambda triggers with the Lambda Invoke API on this local
                      runtime, e.g. http://127.0.0.1:3002 (COGNITOD_LAMBDA_ENDPOINT)
  --smtp HOST:PORT    also deliver every email cognitod sends (codes, invitations) to this SMTP
                      server, such as a mail catcher; plain SMTP (COGNITOD_SMTP)
  --healthcheck       ask the server these settings describe whether it is healthy (GET
                      /_cognitod/health, with the control token when set) and exit 0 when
                      it is, 1 when not; needs no shell or other tools (docker HEALTHCHECK)
  --help              print this and exit
  --version           print the version and exit

On start cognitod prints one line to stdout: "cognitod listening on http://HOST:PORT".
)";

struct option
{
    std::string_view flag;
    char const* env; // nullptr: a flag only
    bool takes_value;
    std::function<std::string(config&, std::string const&)> apply; // returns an error or ""
};

// A switch's value: 1 or true turns it on, 0 or false off. Returns the error, or "".
std::string parse_switch(std::string const& value, bool& out)
{
    if (value != "1" && value != "true" && value != "0" && value != "false")
    {
        return "'" + value + "' is not 1, true, 0 or false";
    }
    out = value == "1" || value == "true";
    return {};
}

template <class Int> bool parse_int(std::string const& text, Int min, Int max, Int& out)
{
    Int value{};
    auto const* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end || value < min || value > max)
    {
        return false;
    }
    out = value;
    return true;
}

bool valid_region(std::string const& region)
{
    // Regions look like us-east-1, eu-central-2, us-gov-west-1: lower-case words and a digit.
    if (region.empty() || region.size() > 32)
    {
        return false;
    }
    for (char c : region)
    {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
        {
            return false;
        }
    }
    return region.front() != '-' && region.back() != '-';
}

// "Name=rate,Name=rate" with names from default_quota_rates() and rates > 0.
std::string parse_rates_option(config& c, std::string const& text)
{
    auto const known = default_quota_rates();
    c.throttle_rates.clear();
    std::string_view rest = text;
    while (!rest.empty())
    {
        auto const comma = rest.find(',');
        auto const item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        auto const eq = item.find('=');
        if (eq == std::string_view::npos)
        {
            return "'" + std::string{item} + "' is not Category=rate";
        }
        auto const name = std::string{item.substr(0, eq)};
        if (std::none_of(
                known.begin(), known.end(), [&](auto const& k) { return k.first == name; }
            ))
        {
            return "'" + name +
                   "' is not a quota category (like UserResourceUpdate or PerUserRead)";
        }
        auto const value = std::string{item.substr(eq + 1)};
        double rate = 0;
        auto const* end = value.data() + value.size();
        auto [ptr, ec] = std::from_chars(value.data(), end, rate);
        if (ec != std::errc{} || ptr != end || !(rate > 0) || rate > 1e9)
        {
            // NOLINTNEXTLINE(performance-inefficient-string-concatenation): leaves the loop
            return "'" + value + "' is not a rate above 0 for " + name;
        }
        c.throttle_rates.emplace_back(name, rate);
    }
    return {};
}

// "name,name,.domain": host names without scheme, port or path. Returns the error, or "".
std::string parse_allowed_hosts(config& c, std::string const& text)
{
    c.allowed_hosts.clear();
    std::string_view rest = text;
    while (!rest.empty())
    {
        auto const comma = rest.find(',');
        auto item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        while (!item.empty() && item.front() == ' ')
        {
            item.remove_prefix(1);
        }
        while (!item.empty() && item.back() == ' ')
        {
            item.remove_suffix(1);
        }
        bool const bracketed = item.starts_with('[') && item.ends_with(']');
        if (item.empty() || item == "." ||
            item.find_first_not_of(
                bracketed ? "[]:.0123456789abcdefABCDEF"
                          : ".-_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
            ) != std::string_view::npos)
        {
            return "'" + std::string{item} +
                   "' is not a host name (names only: no scheme, port or path)";
        }
        c.allowed_hosts.emplace_back(item);
    }
    if (c.allowed_hosts.empty())
    {
        return "a host name is required";
    }
    return {};
}

// "host:port" or "[v6 address]:port". Returns the error, or "".
std::string parse_smtp(config& c, std::string const& text)
{
    auto const colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0)
    {
        return "'" + text + "' is not HOST:PORT";
    }
    auto host = text.substr(0, colon);
    auto const port = text.substr(colon + 1);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    {
        host = host.substr(1, host.size() - 2);
    }
    unsigned number = 0;
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos ||
        (number = static_cast<unsigned>(std::stoul(port))) == 0 || number > 65535)
    {
        return "'" + port + "' is not a port (1..65535)";
    }
    c.smtp_host = host;
    c.smtp_port = port;
    return {};
}

std::vector<option> make_options()
{
    return {
        {"--host",
         "COGNITOD_HOST",
         true,
         [](config& c, std::string const& v) -> std::string
         {
             if (v.empty())
             {
                 return "an address is required";
             }
             c.host = v;
             return {};
         }},
        {"--port",
         "COGNITOD_PORT",
         true,
         [](config& c, std::string const& v) -> std::string
         {
             std::uint16_t port = 0;
             if (!parse_int<std::uint16_t>(v, 0, 65535, port))
             {
                 return "'" + v + "' is not a port number (0-65535)";
             }
             c.port = port;
             return {};
         }},
        {"--db",
         "COGNITOD_DB",
         true,
         [](config& c, std::string const& v) -> std::string
         {
             if (v.empty())
             {
                 return "a path is required";
             }
             c.db = v;
             return {};
         }},
        {"--data-dir",
         "COGNITOD_DATA_DIR",
         true,
         [](config& c, std::string const& v) -> std::string
         {
             if (v.empty())
             {
                 return "a directory is required";
             }
             c.data_dir = v;
             return {};
         }},
        {"--region",
         "COGNITOD_REGION",
         true,
         [](config& c, std::string const& v) -> std::string
         {
             if (!valid_region(v))
             {
                 return "'" + v + "' is not a region name (like us-east-1)";
             }
             c.region = v;
             return {};
         }},
        {"--account-id",
         "COGNITOD_ACCOUNT_ID",
         true,
         [](config& c, std::string const& v) -> std::string
         {
             if (v.size() != 12 || v.find_first_not_of("0123456789") != std::string::npos)
             {
                 return "'" + v + "' is not a 12-digit account id";
             }
             c.account_id = v;
             return {};
         }},
        {"--seed",
         "COGNITOD_SEED",
         true,
         [](config& c, std::string const& v) -> std::string
         {
             c.seed = v;
             return {};
         }},
        {"--reseed",
         "COGNITOD_RESEED",
         false,
         [](config& c, std::string const& v) { return parse_switch(v, c.reseed); }},
        {"--durability",
         "COGNITOD_DURABILITY",
         true,
         [](config& c, std::string const& v) -> std::string
         {
             if (v != "normal" && v != "full")
             {
                 return "'" + v + "' is not normal or full";
             }
             c.durability_full = v == "full";
             return {};
         }},
        {"--threads",
         "COGNITOD_THREADS",
         true,
         [](config& c, std::string const& v) -> std::string
         {
             unsigned threads = 0;
             if (!parse_int<unsigned>(v, 1, 64, threads))
             {
                 return "'" + v + "' is not a thread count (1-64)";
             }
             c.threads = threads;
             return {};
         }},
        {"--signing-key-stock",
         "COGNITOD_SIGNING_KEY_STOCK",
         true,
         [](config& c, std::string const& v) -> std::string
         {
             std::size_t keys = 0;
             if (!parse_int<std::size_t>(v, 0, 100000, keys))
             {
                 return "'" + v + "' is not a key count (0-100000)";
             }
             c.signing_key_stock = keys;
             return {};
         }},
        {"--log-level",
         "COGNITOD_LOG_LEVEL",
         true,
         [](config& c, std::string const& v) -> std::string
         {
             if (v == "debug")
             {
                 c.level = log_level::debug;
             }
             else if (v == "info")
             {
                 c.level = log_level::info;
             }
             else if (v == "warn")
             {
                 c.level = log_level::warn;
             }
             else if (v == "error")
             {
                 c.level = log_level::error;
             }
             else
             {
                 return "'" + v + "' is not debug, info, warn or error";
             }
             return {};
         }},
        {"--auth",
         "COGNITOD_AUTH",
         true,
         [](config& c, std::string const& v) -> std::string
         {
             if (v != "off" && v != "sigv4")
             {
                 return "'" + v + "' is not off or sigv4";
             }
             c.auth_sigv4 = v == "sigv4";
             return {};
         }},
        {"--credentials",
         "COGNITOD_CREDENTIALS_FILE",
         true,
         [](config& c, std::string const& v) -> std::string
         {
             if (v.empty())
             {
                 return "a file is required";
             }
             c.credentials_file = v;
             return {};
         }},
        {"--throttle",
         "COGNITOD_THROTTLE",
         true,
         [](config& c, std::string const& v) -> std::string
         {
             if (v != "off" && v != "aws")
             {
                 return "'" + v + "' is not off or aws";
             }
             c.throttle_aws = v == "aws";
             return {};
         }},
        {"--throttle-rates", "COGNITOD_THROTTLE_RATES", true, &parse_rates_option},
        {"--control",
         "COGNITOD_CONTROL",
         true,
         [](config& c, std::string const& v) -> std::string
         {
             if (v != "on" && v != "off")
             {
                 return "'" + v + "' is not on or off";
             }
             c.control_enabled = v == "on";
             return {};
         }},
        {"--control-token",
         "COGNITOD_CONTROL_TOKEN",
         true,
         [](config& c, std::string const& v) -> std::string
         {
             if (v.empty())
             {
                 return "a token is required";
             }
             c.control_token = v;
             return {};
         }},
        {"--allowed-hosts", "COGNITOD_ALLOWED_HOSTS", true, &parse_allowed_hosts},
        {"--smtp", "COGNITOD_SMTP", true, &parse_smtp},
        {"--lambda-endpoint",
         "COGNITOD_LAMBDA_ENDPOINT",
         true,
         [](config& c, std::string const& v) -> std::string
         {
             try
             {
                 http_lambda_invoker::parse_endpoint(v);
             }
             catch (std::invalid_argument const& e)
             {
                 return e.what();
             }
             c.lambda_endpoint = v;
             return {};
         }},
        {"--healthcheck",
         nullptr,
         false,
         [](config& c, std::string const& v) { return parse_switch(v, c.healthcheck); }},
    };
}

parse_result failure(std::string_view flag, std::string const& why)
{
    return {std::nullopt, "cognitod: " + std::string{flag} + ": " + why, 2};
}

} // namespace

std::string config::database_path() const
{
    if (!db.empty())
    {
        return db;
    }
    return data_dir + "/cognitod.db";
}

std::string_view to_string(log_level level)
{
    switch (level)
    {
    case log_level::debug:
        return "debug";
    case log_level::info:
        return "info";
    case log_level::warn:
        return "warn";
    case log_level::error:
        return "error";
    }
    return "info";
}

parse_result
parse_config(std::vector<std::string> const& args, char const* (*getenv_fn)(char const*))
{
    config settings;
    auto const options = make_options();
    // The environment first, so that flags override it; a variable whose flag is given is not
    // read at all, so a bad value there cannot stop a good flag.
    auto const flag_given = [&](std::string_view flag)
    {
        return std::any_of(
            args.begin(),
            args.end(),
            [&](std::string const& arg)
            { return arg == flag || arg.starts_with(std::string{flag} + "="); }
        );
    };
    for (auto const& opt : options)
    {
        if (opt.env == nullptr || flag_given(opt.flag))
        {
            continue;
        }
        if (char const* value = getenv_fn(opt.env); value != nullptr)
        {
            if (auto why = opt.apply(settings, value); !why.empty())
            {
                return failure(opt.env, why);
            }
        }
    }
    for (std::size_t i = 0; i < args.size(); ++i)
    {
        std::string arg = args[i];
        if (arg == "--help" || arg == "-h")
        {
            return {std::nullopt, std::string{usage}, 0};
        }
        if (arg == "--version")
        {
            return {std::nullopt, "cognitod " COGNITOD_VERSION, 0};
        }
        std::optional<std::string> inline_value;
        if (auto eq = arg.find('='); eq != std::string::npos && arg.starts_with("--"))
        {
            inline_value = arg.substr(eq + 1);
            arg.resize(eq);
        }
        auto const* opt = [&]() -> option const*
        {
            for (auto const& o : options)
            {
                if (o.flag == arg)
                {
                    return &o;
                }
            }
            return nullptr;
        }();
        if (opt == nullptr)
        {
            return failure(arg, "unknown option (see --help)");
        }
        std::string value;
        if (!opt->takes_value)
        {
            value = inline_value.value_or("1");
        }
        else if (inline_value)
        {
            value = *inline_value;
        }
        else if (i + 1 < args.size())
        {
            value = args[++i];
        }
        else
        {
            return failure(arg, "a value is required");
        }
        if (auto why = opt->apply(settings, value); !why.empty())
        {
            return failure(arg, why);
        }
    }
    if (char const* inline_credentials = getenv_fn("COGNITOD_CREDENTIALS");
        inline_credentials != nullptr && settings.credentials_file.empty())
    {
        settings.credentials_text = inline_credentials;
    }
    if (char const* inline_seed = getenv_fn("COGNITOD_SEED_JSON");
        inline_seed != nullptr && settings.seed.empty())
    {
        settings.seed_text = inline_seed;
    }
    if (settings.auth_sigv4 && settings.credentials_file.empty() &&
        settings.credentials_text.empty())
    {
        return failure("--auth", "sigv4 needs --credentials FILE or COGNITOD_CREDENTIALS");
    }
    return {settings, {}, 0};
}

} // namespace cognitod
