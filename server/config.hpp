// cognitod's settings: flags and COGNITOD_* environment variables, flags winning.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cognitod
{

enum class log_level
{
    debug,
    info,
    warn,
    error,
};

struct config
{
    std::string host = "127.0.0.1";
    std::uint16_t port = 9229;
    std::string db;                         // empty: <data_dir>/cognitod.db
    std::string data_dir = "cognitod-data"; // created when missing
    std::string region = "us-east-1";
    std::string account_id = "123456789012";
    std::string seed;             // seed file applied at start
    std::string seed_text;        // COGNITOD_SEED_JSON: a seed given inline, when no file is
    bool reseed = false;          // apply the seed even when this database has applied it before
    bool durability_full = false; // fsync every commit (power loss), not just WAL (process crash)
    unsigned threads = 1;
    // Signing keys kept ready for new pools (key_stock); 0: each pool makes its own on first use.
    std::size_t signing_key_stock = 200;
    log_level level = log_level::info;

    // Request signing: off (any caller), or AWS SigV4 verified against the credentials.
    bool auth_sigv4 = false;
    std::string credentials_file; // --credentials FILE
    std::string credentials_text; // COGNITOD_CREDENTIALS: the same content, inline
    // Request-rate quotas: off, or AWS's defaults with these per-category overrides.
    bool throttle_aws = false;
    std::vector<std::pair<std::string, double>> throttle_rates;
    // The /_cognitod/ endpoints: on or off, and the token they require when set.
    bool control_enabled = true;
    std::string control_token;
    // Names under which the control endpoints answer, besides loopback and the listen address.
    std::vector<std::string> allowed_hosts;

    // --lambda-endpoint URL: the Lambda runtime the pools' triggers are called on; empty: none,
    // and a pool with a trigger fails the calls that need it.
    std::string lambda_endpoint;
    // --smtp HOST:PORT: where emails are also delivered; empty host: nowhere.
    std::string smtp_host;
    std::string smtp_port;

    // Check a running server's health instead of serving (the image's HEALTHCHECK).
    bool healthcheck = false;

    // The database path actually used.
    std::string database_path() const;
};

// What parsing decided: run with a config, or print and exit.
struct parse_result
{
    std::optional<config> settings; // set when the server should run
    std::string output;             // --help / --version text, or the one-line error
    int exit_code = 0;
};

// args excludes the program name; environment is read through getenv_fn so tests can fake it.
parse_result
parse_config(std::vector<std::string> const& args, char const* (*getenv_fn)(char const*));

std::string_view to_string(log_level level);

} // namespace cognitod
