// cognitod-seedgen: writes the benchmark's database (see seedgen.hpp).
//   cognitod-seedgen --db FILE [--users N] [--devices M] [--spare-devices S] [--pool-id ID]
#include "bench/seedgen.hpp"

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>

namespace
{

constexpr char const* usage =
    "usage: cognitod-seedgen --db FILE [--users N] [--devices M] [--spare-devices S]\n"
    "                        [--pool-id ID]\n"
    "Writes a new cognitod database with one pool (default us-east-1_BenchPool1), one app client\n"
    "(benchclient000000000000001), N users (default 200000) named user00000000.. and M devices\n"
    "(default 1000000) keyed <region>_d0000000-0000-4000-8000-000000000000.., device i owned by\n"
    "user floor(i * N / M). S spare devices follow (keys M..M+S-1), 1000 to each extra user\n"
    "(user N, N+1, ...), for loads that delete devices. Every user's password is\n"
    "Bench-Passw0rd!, though only user 0 can sign in with it (the others share its verifier).\n";

std::int64_t count_option(std::string_view name, std::string const& value)
{
    std::size_t used = 0;
    auto const n = std::stoll(value, &used);
    if (used != value.size() || n < 0)
    {
        throw std::invalid_argument(std::string{name} + " needs a whole number, not " + value);
    }
    return n;
}

} // namespace

int main(int argc, char** argv)
{
    try
    {
        cognitod::bench::seedgen_options options;
        for (int i = 1; i < argc; ++i)
        {
            std::string_view const arg = argv[i];
            if (arg == "--help" || arg == "-h")
            {
                std::cout << usage;
                return 0;
            }
            if (i + 1 >= argc)
            {
                std::cerr << usage;
                return 2;
            }
            std::string const value = argv[++i];
            if (arg == "--db")
            {
                options.path = value;
            }
            else if (arg == "--users")
            {
                options.users = count_option(arg, value);
            }
            else if (arg == "--devices")
            {
                options.devices = count_option(arg, value);
            }
            else if (arg == "--spare-devices")
            {
                options.spare_devices = count_option(arg, value);
            }
            else if (arg == "--pool-id")
            {
                options.pool_id = value;
            }
            else
            {
                std::cerr << "cognitod-seedgen: unknown option " << arg << "\n" << usage;
                return 2;
            }
        }
        if (options.path.empty())
        {
            std::cerr << usage;
            return 2;
        }
        auto const result = cognitod::bench::generate(options);
        std::printf(
            "cognitod-seedgen: %lld users, %lld devices in %.2f s -> %s\n",
            static_cast<long long>(result.users),
            static_cast<long long>(result.devices),
            result.seconds,
            options.path.c_str()
        );
        return 0;
    }
    catch (std::exception const& e)
    {
        std::cerr << "cognitod-seedgen: " << e.what() << '\n';
        return 1;
    }
}
