// The benchmark's database: one pool, one app client, users and their remembered devices, all with
// names and keys derived from their index, so that a load script can compute the key of device i
// and the username of its owner without asking the server.
// Not thread-safe: one generate() at a time per database file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cognitod::bench
{

struct seedgen_options
{
    std::string path;                 // database file; must not exist yet
    std::int64_t users = 200'000;     // at least 1
    std::int64_t devices = 1'000'000; // spread evenly over the users, in key order
    // Devices after those, owned by users of their own (spare_devices_per_user each), for a load
    // that uses devices up (AdminForgetDevice) without changing what the others see.
    std::int64_t spare_devices = 0;
    std::string pool_id = "us-east-1_BenchPool1";
    std::string client_id = "benchclient000000000000001";
    std::string password = "Bench-Passw0rd!";
    std::int64_t now_ms = 0; // creation time of every row; 0 means the current time
};

// How many spare devices each spare user owns.
constexpr std::int64_t spare_devices_per_user = 1000;

struct seedgen_result
{
    std::int64_t users = 0;   // spare users included
    std::int64_t devices = 0; // spare devices included
    double seconds = 0;       // wall time of the whole generation
};

// "user00000042": the username (and username key) of user i, 0-based.
std::string bench_username(std::int64_t i);
// "user00000042@example.com": the email attribute of user i.
std::string bench_email(std::int64_t i);
// "<region>_d0000000-0000-4000-8000-000000000042": the AWS-shaped key of device i.
std::string bench_device_key(std::string_view pool_id, std::int64_t i);
// The index of the user that owns device i: floor(i * users / devices), so each user owns a
// contiguous run of devices and a user's devices are listed in key order. Spare devices (i at or
// past devices) belong to users from index users on: users + (i - devices) /
// spare_devices_per_user.
std::int64_t bench_device_owner(std::int64_t i, std::int64_t users, std::int64_t devices);

// Creates the database through the real migrations and the seed code (pool, client, user 0), then
// bulk-inserts the other users and every device with the rows storage::store would write. Every
// user shares user 0's password salt and verifier, computed once: the rows have the real size, but
// only user 0 can sign in with the password. Throws std::runtime_error on bad options or when the
// file exists.
seedgen_result generate(seedgen_options const& options);

} // namespace cognitod::bench
