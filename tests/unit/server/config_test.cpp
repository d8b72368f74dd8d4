#include "server/config.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace
{

using cognitod::config;
using cognitod::log_level;
using cognitod::parse_config;

char const* no_environment(char const* /*name*/)
{
    return nullptr;
}

// COGNITOD_PORT=1000, COGNITOD_REGION=eu-west-1, COGNITOD_LOG_LEVEL=debug.
char const* some_environment(char const* name)
{
    std::string_view const n{name};
    if (n == "COGNITOD_PORT")
    {
        return "1000";
    }
    if (n == "COGNITOD_REGION")
    {
        return "eu-west-1";
    }
    if (n == "COGNITOD_LOG_LEVEL")
    {
        return "debug";
    }
    return nullptr;
}

char const* bad_port_environment(char const* name)
{
    return std::string_view{name} == "COGNITOD_PORT" ? "http" : nullptr;
}

config
parsed(std::vector<std::string> const& args, char const* (*env)(char const*) = no_environment)
{
    auto const result = parse_config(args, env);
    EXPECT_TRUE(result.settings) << result.output;
    return result.settings.value_or(config{});
}

} // namespace

TEST(parse_config, uses_the_defaults_without_flags_or_environment)
{
    auto const c = parsed({});
    EXPECT_EQ(c.host, "127.0.0.1");
    EXPECT_EQ(c.port, 9229);
    EXPECT_EQ(c.region, "us-east-1");
    EXPECT_EQ(c.account_id, "123456789012");
    EXPECT_EQ(c.threads, 1U);
    EXPECT_EQ(c.level, log_level::info);
    EXPECT_FALSE(c.reseed);
    EXPECT_FALSE(c.durability_full);
}

TEST(parse_config, reads_the_environment)
{
    auto const c = parsed({}, some_environment);
    EXPECT_EQ(c.port, 1000);
    EXPECT_EQ(c.region, "eu-west-1");
    EXPECT_EQ(c.level, log_level::debug);
}

TEST(parse_config, lets_flags_beat_the_environment)
{
    auto const c = parsed({"--port", "2000", "--region=ap-south-1"}, some_environment);
    EXPECT_EQ(c.port, 2000);
    EXPECT_EQ(c.region, "ap-south-1");
    EXPECT_EQ(c.level, log_level::debug);
}

TEST(parse_config, accepts_flag_equals_value)
{
    EXPECT_EQ(parsed({"--port=0"}).port, 0);
}

TEST(parse_config, refuses_a_bad_port_in_one_line_naming_the_flag)
{
    auto const result = parse_config({"--port", "70000"}, no_environment);
    EXPECT_FALSE(result.settings);
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_EQ(result.output, "cognitod: --port: '70000' is not a port number (0-65535)");
}

TEST(parse_config, refuses_a_port_with_trailing_text)
{
    auto const result = parse_config({"--port=80x"}, no_environment);
    EXPECT_FALSE(result.settings);
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_EQ(result.output, "cognitod: --port: '80x' is not a port number (0-65535)");
}

TEST(parse_config, names_the_environment_variable_when_it_is_bad)
{
    auto const result = parse_config({}, bad_port_environment);
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_EQ(result.output, "cognitod: COGNITOD_PORT: 'http' is not a port number (0-65535)");
}

TEST(parse_config, ignores_a_bad_variable_when_its_flag_is_given)
{
    EXPECT_EQ(parsed({"--port", "2000"}, bad_port_environment).port, 2000);
    EXPECT_EQ(parsed({"--port=2001"}, bad_port_environment).port, 2001);
}

TEST(parse_config, refuses_an_unknown_option)
{
    auto const result = parse_config({"--prot", "1"}, no_environment);
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_EQ(result.output, "cognitod: --prot: unknown option (see --help)");
}

TEST(parse_config, refuses_a_flag_missing_its_value)
{
    auto const result = parse_config({"--db"}, no_environment);
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_EQ(result.output, "cognitod: --db: a value is required");
}

TEST(parse_config, refuses_threads_out_of_range)
{
    auto const result = parse_config({"--threads", "0"}, no_environment);
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_EQ(result.output, "cognitod: --threads: '0' is not a thread count (1-64)");
}

TEST(parse_config, refuses_a_malformed_region)
{
    auto const result = parse_config({"--region", "US_EAST"}, no_environment);
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_EQ(result.output, "cognitod: --region: 'US_EAST' is not a region name (like us-east-1)");
}

TEST(parse_config, refuses_an_account_id_that_is_not_twelve_digits)
{
    auto const result = parse_config({"--account-id", "12345"}, no_environment);
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_EQ(result.output, "cognitod: --account-id: '12345' is not a 12-digit account id");
}

TEST(parse_config, prints_help_and_exits_zero)
{
    auto const result = parse_config({"--port", "1", "--help"}, no_environment);
    EXPECT_FALSE(result.settings);
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_TRUE(result.output.starts_with("Usage: cognitod [options]")) << result.output;
    EXPECT_NE(result.output.find("--port N"), std::string::npos);
}

TEST(parse_config, prints_the_version_and_exits_zero)
{
    auto const result = parse_config({"--version"}, no_environment);
    EXPECT_FALSE(result.settings);
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(result.output, std::string{"cognitod "} + COGNITOD_VERSION);
}

TEST(parse_config, reseed_is_a_switch)
{
    EXPECT_TRUE(parsed({"--reseed"}).reseed);
    EXPECT_FALSE(parsed({"--reseed=false"}).reseed);
}

TEST(parse_config, durability_full_is_parsed)
{
    EXPECT_TRUE(parsed({"--durability", "full"}).durability_full);
    EXPECT_EQ(parse_config({"--durability", "max"}, no_environment).exit_code, 2);
}

TEST(config, database_path_defaults_to_the_data_dir)
{
    EXPECT_EQ(parsed({"--data-dir", "/var/lib/c"}).database_path(), "/var/lib/c/cognitod.db");
    EXPECT_EQ(parsed({"--data-dir", "/var/lib/c", "--db", ":memory:"}).database_path(), ":memory:");
}

TEST(parse_config, reads_auth_throttle_and_control_settings)
{
    auto const parsed = parse_config(
        {"--auth",
         "sigv4",
         "--credentials",
         "keys.json",
         "--throttle",
         "aws",
         "--throttle-rates",
         "UserResourceUpdate=5,PerUserRead=0.5",
         "--control",
         "off",
         "--control-token",
         "t"},
        &no_environment
    );
    ASSERT_TRUE(parsed.settings) << parsed.output;
    EXPECT_TRUE(parsed.settings->auth_sigv4);
    EXPECT_EQ(parsed.settings->credentials_file, "keys.json");
    EXPECT_TRUE(parsed.settings->throttle_aws);
    ASSERT_EQ(parsed.settings->throttle_rates.size(), 2U);
    EXPECT_EQ(parsed.settings->throttle_rates[0].first, "UserResourceUpdate");
    EXPECT_DOUBLE_EQ(parsed.settings->throttle_rates[1].second, 0.5);
    EXPECT_FALSE(parsed.settings->control_enabled);
    EXPECT_EQ(parsed.settings->control_token, "t");
}

TEST(parse_config, defaults_to_auth_off_throttle_off_control_on)
{
    auto const parsed = parse_config({}, &no_environment);
    ASSERT_TRUE(parsed.settings);
    EXPECT_FALSE(parsed.settings->auth_sigv4);
    EXPECT_FALSE(parsed.settings->throttle_aws);
    EXPECT_TRUE(parsed.settings->control_enabled);
    EXPECT_TRUE(parsed.settings->control_token.empty());
}

TEST(parse_config, takes_inline_credentials_from_the_environment)
{
    auto const parsed = parse_config(
        {"--auth", "sigv4"},
        [](char const* name) -> char const*
        { return std::string_view{name} == "COGNITOD_CREDENTIALS" ? "AKID:secret" : nullptr; }
    );
    ASSERT_TRUE(parsed.settings) << parsed.output;
    EXPECT_EQ(parsed.settings->credentials_text, "AKID:secret");
}

TEST(parse_config, refuses_sigv4_without_credentials)
{
    auto const parsed = parse_config({"--auth", "sigv4"}, &no_environment);
    EXPECT_FALSE(parsed.settings);
    EXPECT_EQ(
        parsed.output, "cognitod: --auth: sigv4 needs --credentials FILE or COGNITOD_CREDENTIALS"
    );
}

TEST(parse_config, refuses_bad_throttle_rates_naming_the_flag)
{
    EXPECT_EQ(
        parse_config({"--throttle-rates", "Nope=1"}, &no_environment).output,
        "cognitod: --throttle-rates: 'Nope' is not a quota category (like UserResourceUpdate or "
        "PerUserRead)"
    );
    EXPECT_EQ(
        parse_config({"--throttle-rates", "UserRead=0"}, &no_environment).output,
        "cognitod: --throttle-rates: '0' is not a rate above 0 for UserRead"
    );
    EXPECT_EQ(
        parse_config({"--throttle-rates", "UserRead"}, &no_environment).output,
        "cognitod: --throttle-rates: 'UserRead' is not Category=rate"
    );
    EXPECT_EQ(
        parse_config({"--auth", "iam"}, &no_environment).output,
        "cognitod: --auth: 'iam' is not off or sigv4"
    );
}

TEST(parse_config, healthcheck_is_a_flag_with_no_environment_variable)
{
    EXPECT_FALSE(parsed({}).healthcheck);
    EXPECT_TRUE(parsed({"--healthcheck"}).healthcheck);
    auto const c = parsed(
        {"--healthcheck"},
        [](char const* name) -> char const*
        {
            std::string_view const n{name};
            return n == "COGNITOD_PORT" ? "9300" : n == "COGNITOD_CONTROL_TOKEN" ? "t0k" : nullptr;
        }
    );
    EXPECT_TRUE(c.healthcheck);
    EXPECT_EQ(c.port, 9300);
    EXPECT_EQ(c.control_token, "t0k");
}

TEST(parse_config, reads_an_inline_seed_from_cognitod_seed_json_when_no_file_is_given)
{
    auto const environment = [](char const* name) -> char const*
    { return std::string_view{name} == "COGNITOD_SEED_JSON" ? R"({"UserPools":[]})" : nullptr; };
    auto const inline_seed = parsed({}, environment);
    EXPECT_EQ(inline_seed.seed_text, R"({"UserPools":[]})");
    EXPECT_TRUE(inline_seed.seed.empty());
    auto const file_wins = parsed({"--seed", "seed.json"}, environment);
    EXPECT_EQ(file_wins.seed, "seed.json");
    EXPECT_TRUE(file_wins.seed_text.empty());
}

TEST(parse_config, reads_allowed_hosts_from_the_flag_or_the_environment)
{
    auto const flag =
        parse_config({"--allowed-hosts", "cognitod, .test.internal"}, &no_environment);
    ASSERT_TRUE(flag.settings) << flag.output;
    EXPECT_EQ(
        flag.settings->allowed_hosts, (std::vector<std::string>{"cognitod", ".test.internal"})
    );

    auto const variable = parse_config(
        {},
        [](char const* name) -> char const* {
            return std::string_view{name} == "COGNITOD_ALLOWED_HOSTS" ? "cognitod,[fd00::1]"
                                                                      : nullptr;
        }
    );
    ASSERT_TRUE(variable.settings) << variable.output;
    EXPECT_EQ(
        variable.settings->allowed_hosts, (std::vector<std::string>{"cognitod", "[fd00::1]"})
    );
    EXPECT_TRUE(parse_config({}, &no_environment).settings->allowed_hosts.empty());
}

TEST(parse_config, refuses_allowed_hosts_with_a_scheme_port_or_path)
{
    for (auto const* value : {"http://cognitod", "cognitod:9229", "cognitod/ui", "a,,b", ""})
    {
        auto const parsed = parse_config({"--allowed-hosts", value}, &no_environment);
        EXPECT_FALSE(parsed.settings) << value;
        EXPECT_EQ(parsed.exit_code, 2) << value;
        EXPECT_TRUE(parsed.output.starts_with("cognitod: --allowed-hosts: ")) << parsed.output;
    }
}

TEST(parse_config, takes_an_smtp_server_as_host_and_port)
{
    auto const parsed = parse_config({"--smtp", "mailpit:1025"}, &no_environment);
    ASSERT_TRUE(parsed.settings) << parsed.output;
    EXPECT_EQ(parsed.settings->smtp_host, "mailpit");
    EXPECT_EQ(parsed.settings->smtp_port, "1025");
    auto const v6 = parse_config({"--smtp", "[::1]:25"}, &no_environment);
    ASSERT_TRUE(v6.settings) << v6.output;
    EXPECT_EQ(v6.settings->smtp_host, "::1");
    auto const none = parse_config({}, &no_environment);
    ASSERT_TRUE(none.settings);
    EXPECT_EQ(none.settings->smtp_host, "");
    for (auto const* value : {"mailpit", ":25", "mailpit:0", "mailpit:65536", "mailpit:smtp"})
    {
        auto const bad = parse_config({"--smtp", value}, &no_environment);
        EXPECT_FALSE(bad.settings) << value;
        EXPECT_TRUE(bad.output.starts_with("cognitod: --smtp: ")) << bad.output;
    }
}
