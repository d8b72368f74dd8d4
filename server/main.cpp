// config → store, model, dispatcher, app, listener; signals; threads.
#include "schema/service_model.hpp"
#include "server/app.hpp"
#include "server/config.hpp"
#include "server/dispatcher.hpp"
#include "server/faults.hpp"
#include "server/healthcheck.hpp"
#include "server/ids.hpp"
#include "server/key_stock.hpp"
#include "server/lambda.hpp"
#include "server/listener.hpp"
#include "server/logger.hpp"
#include "server/mailer.hpp"
#include "server/seed.hpp"
#include "server/throttle.hpp"
#include "storage/store.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

namespace
{

using namespace cognitod;

char const* read_env(char const* name)
{
    return std::getenv(name); // NOLINT(concurrency-mt-unsafe): read before any thread starts
}

// The key Lambda calls are signed with: the environment's AWS credentials, as the SDKs find them,
// else a fixed test key (the local runtimes check none).
auth::sigv4::credential lambda_credential()
{
    auto const env = [](char const* name, char const* fallback)
    {
        auto const* value = read_env(name);
        return std::string{value != nullptr && *value != '\0' ? value : fallback};
    };
    auth::sigv4::credential key;
    key.access_key_id = env("AWS_ACCESS_KEY_ID", "test");
    key.secret_access_key = env("AWS_SECRET_ACCESS_KEY", "test");
    key.session_token = env("AWS_SESSION_TOKEN", "");
    return key;
}

// Without --lambda-endpoint, the calls of a pool with triggers fail: say which pools at start.
void warn_of_unreachable_triggers(storage::store& store, logger const& log)
{
    auto const reader = store.read();
    std::string names;
    std::int64_t after = 0;
    for (;;)
    {
        auto const page = reader->list_user_pools(after, 60);
        for (auto const& pool : page)
        {
            auto const config = pool.settings->value("LambdaConfig", nlohmann::json::object());
            if (!config.empty())
            {
                names += (names.empty() ? "" : ", ") + pool.id;
            }
            after = pool.seq;
        }
        if (page.size() < 60)
        {
            break;
        }
    }
    if (!names.empty())
    {
        log.write(
            log_level::warn,
            "pools with Lambda triggers, whose calls will fail without --lambda-endpoint: " + names
        );
    }
}

std::string read_file(std::string const& path)
{
    std::ifstream in{path, std::ios::binary};
    if (!in)
    {
        throw std::runtime_error("cannot read the file");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// An address as given, else the first the resolver finds for the name.
tcp::endpoint
resolve(net::io_context& ioc, std::string const& host, std::uint16_t port, error_code& ec)
{
    auto const address = net::ip::make_address(host, ec);
    if (!ec)
    {
        return {address, port};
    }
    tcp::resolver resolver{ioc};
    auto const results = resolver.resolve(host, std::to_string(port), ec);
    if (ec)
    {
        return {};
    }
    if (results.empty())
    {
        ec = net::error::host_not_found;
        return {};
    }
    return *results.begin();
}

std::string url_host(tcp::endpoint const& endpoint)
{
    auto const address = endpoint.address();
    return address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
}

// The keys --auth sigv4 accepts, from --credentials FILE or COGNITOD_CREDENTIALS; every
// operation a key is limited to must exist, so a typo cannot silently deny everything.
auth::sigv4::credential_set
load_credentials(config const& settings, schema::service_model const& model)
{
    std::string text;
    if (!settings.credentials_file.empty())
    {
        try
        {
            text = read_file(settings.credentials_file);
        }
        catch (std::exception const&)
        {
            throw std::runtime_error("cannot read " + settings.credentials_file);
        }
    }
    else
    {
        text = settings.credentials_text;
    }
    auto credentials = auth::sigv4::parse_credentials(text);
    for (auto const& [id, key] : credentials.all())
    {
        for (auto const& operation : key.allowed_operations.value_or(std::vector<std::string>{}))
        {
            if (model.find_operation(operation) == nullptr)
            {
                throw std::runtime_error(
                    // NOLINTNEXTLINE(performance-inefficient-string-concatenation): throws
                    "AllowedOperations of " + id + " names " + operation +
                    ", which is not a cognito-idp operation"
                );
            }
        }
    }
    return credentials;
}

int run(config const& settings)
{
    logger const log{settings.level};
    auto const db_path = settings.database_path();
    if (settings.db.empty())
    {
        std::filesystem::create_directories(settings.data_dir);
    }
    storage::store store{
        db_path,
        settings.durability_full ? storage::durability::full : storage::durability::normal};
    // Said once, when the store finds its file gone; health reports it from then on.
    store.on_fault([&log](std::string const& reason) { log.write(log_level::error, reason); });
    auto const model = schema::service_model::parse(schema::embedded_model_json());
    system_clock const time;
    // What the state's rules read (tokens, codes, sessions): the system's time, moved forward by
    // POST /_cognitod/clock.
    shifted_clock state_time{time};
    random_ids ids;
    // Started once the seed has taken what it needs of the stock; stopped as run() returns.
    key_stock keys{store, log, settings.signing_key_stock};

    if (!settings.seed.empty() || !settings.seed_text.empty())
    {
        auto const seed_name =
            settings.seed.empty() ? std::string{"COGNITOD_SEED_JSON"} : settings.seed;
        try
        {
            auto const outcome = apply_seed(
                model,
                store,
                ids,
                keys,
                state_time.now_ms(),
                settings.region,
                settings.account_id,
                settings.seed.empty() ? settings.seed_text : read_file(settings.seed),
                settings.reseed ? seed_mode::always : seed_mode::once
            );
            log.write(
                log_level::info,
                outcome.applied
                    ? "seed " + seed_name + " applied: " + std::to_string(outcome.pools_created) +
                          " pools, " + std::to_string(outcome.clients_created) + " clients, " +
                          std::to_string(outcome.groups_created) + " groups, " +
                          std::to_string(outcome.users_created) + " users, " +
                          std::to_string(outcome.devices_created) + " devices created"
                    : "seed " + seed_name + " already applied to " + db_path + "; skipped"
            );
        }
        catch (std::exception const& e)
        {
            std::cerr << "cognitod: seed " << seed_name << ": " << e.what() << '\n';
            return 1;
        }
    }

    std::optional<auth::sigv4::credential_set> credentials;
    if (settings.auth_sigv4)
    {
        try
        {
            credentials = load_credentials(settings, model);
        }
        catch (std::exception const& e)
        {
            std::cerr << "cognitod: --credentials: " << e.what() << '\n';
            return 2;
        }
    }

    std::optional<smtp_mailer> mailer;
    if (!settings.smtp_host.empty())
    {
        mailer.emplace(settings.smtp_host, settings.smtp_port, log);
        log.write(
            log_level::info,
            "emails also go to smtp://" + settings.smtp_host + ":" + settings.smtp_port
        );
    }
    std::optional<http_lambda_invoker> lambda;
    if (!settings.lambda_endpoint.empty())
    {
        lambda.emplace(
            http_lambda_invoker::parse_endpoint(settings.lambda_endpoint),
            lambda_credential(),
            settings.region
        );
        log.write(log_level::info, "Lambda triggers are called on " + settings.lambda_endpoint);
    }
    else
    {
        warn_of_unreachable_triggers(store, log);
    }
    dispatcher const calls{
        model,
        store,
        state_time,
        ids,
        keys,
        settings.region,
        settings.account_id,
        mailer ? &*mailer : nullptr,
        lambda ? &*lambda : nullptr};
    fault_rules faults{model, std::random_device{}()};
    std::optional<throttle> limiter;
    if (settings.throttle_aws)
    {
        limiter.emplace(time, settings.throttle_rates);
    }
    // A name given to --host is a name clients reach cognitod by.
    auto allowed_hosts = settings.allowed_hosts;
    allowed_hosts.push_back(settings.host);
    app const application{app_services{
        model,
        store,
        calls,
        time,
        ids,
        log,
        settings.region,
        settings.account_id,
        credentials ? &*credentials : nullptr,
        settings.control_enabled ? &faults : nullptr,
        limiter ? &*limiter : nullptr,
        settings.control_enabled ? &state_time : nullptr,
        control_settings{settings.control_enabled, settings.control_token, allowed_hosts},
    }};

    net::io_context ioc{static_cast<int>(settings.threads)};
    session_registry registry;
    // One plain line for each failure: a system_error's what() would add the source location
    // of the library code that threw.
    error_code resolve_error;
    auto const endpoint = resolve(ioc, settings.host, settings.port, resolve_error);
    if (resolve_error)
    {
        std::cerr << "cognitod: cannot resolve " << settings.host << ": " << resolve_error.message()
                  << '\n';
        return 1;
    }
    session_limits limits;
    limits.max_connections = connection_cap(settings.threads);
    std::shared_ptr<listener> server;
    try
    {
        server = std::make_shared<listener>(ioc, endpoint, application, limits, registry, log);
    }
    catch (boost::system::system_error const& e)
    {
        std::cerr << "cognitod: cannot listen on " << url_host(endpoint) << ":" << endpoint.port()
                  << ": " << e.code().message() << '\n';
        return 1;
    }
    server->run();

    // Stop accepting, let requests in progress finish and idle connections close; ioc.run()
    // returns when nothing is left. A connection stuck mid-request is cut after a grace period,
    // counted on a thread of its own so that the wait itself keeps nothing running.
    net::signal_set signals{ioc, SIGINT, SIGTERM};
    std::mutex stop_mutex;
    std::condition_variable stopped_cv;
    bool stopped = false;
    std::thread watchdog;
    signals.async_wait(
        [&](error_code ec, int)
        {
            if (ec)
            {
                return;
            }
            log.write(log_level::info, "stopping");
            server->stop();
            registry.drain();
            watchdog = std::thread(
                [&]
                {
                    std::unique_lock lock{stop_mutex};
                    if (!stopped_cv.wait_for(
                            lock, std::chrono::seconds(5), [&] { return stopped; }
                        ))
                    {
                        // Said, so that a test can tell a clean stop from a cut one by the log
                        // rather than by the clock.
                        log.write(
                            log_level::warn,
                            "connections still busy 5 s after the stop signal: cutting them"
                        );
                        ioc.stop();
                    }
                }
            );
        }
    );

    if (!server->local_endpoint().address().is_loopback() && !settings.auth_sigv4)
    {
        log.write(
            log_level::warn,
            "listening on " + url_host(server->local_endpoint()) +
                ", beyond loopback, with --auth off: anyone who can reach this port can call every "
                "operation" +
                (settings.control_enabled && settings.control_token.empty()
                     ? " and wipe the state through /_cognitod/reset"
                     : "")
        );
    }
    std::cout << "cognitod listening on http://" << url_host(server->local_endpoint()) << ":"
              << server->local_endpoint().port() << std::endl;
    log.write(
        log_level::info,
        "database " + db_path + ", region " + settings.region + ", " +
            std::to_string(settings.threads) + " thread(s)"
    );

    keys.start();
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < settings.threads; ++i)
    {
        threads.emplace_back([&ioc] { ioc.run(); });
    }
    ioc.run();
    for (auto& t : threads)
    {
        t.join();
    }
    {
        std::lock_guard lock{stop_mutex};
        stopped = true;
    }
    stopped_cv.notify_all();
    if (watchdog.joinable())
    {
        watchdog.join();
    }
    keys.stop();
    log.write(log_level::info, "stopped");
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    try
    {
        std::vector<std::string> args(argv + 1, argv + argc);
        auto parsed = parse_config(args, &read_env);
        if (!parsed.settings)
        {
            (parsed.exit_code == 0 ? std::cout : std::cerr) << parsed.output << '\n';
            return parsed.exit_code;
        }
        if (parsed.settings->healthcheck)
        {
            auto const report = check_health(*parsed.settings, std::chrono::seconds(3));
            (report.healthy ? std::cout : std::cerr)
                << "cognitod: " << (report.healthy ? "healthy: " : "unhealthy: ") << report.detail
                << '\n';
            return report.healthy ? 0 : 1;
        }
        return run(*parsed.settings);
    }
    catch (storage::unwritable_error const& e)
    {
        // Started anyway, cognitod would answer reads and fail every write.
        std::cerr << "cognitod: " << e.what() << '\n';
        return 2;
    }
    catch (std::exception const& e)
    {
        std::cerr << "cognitod: " << e.what() << '\n';
        return 1;
    }
}
