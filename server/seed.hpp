// Seed files: pools, users and devices applied at start (once per database) or on demand.
// The format is documented in docs/seed.md.
#pragma once

#include "server/dispatcher.hpp"

#include <stdexcept>
#include <string>
#include <string_view>

namespace cognitod
{

// A seed that cannot be applied; what() reads "<JSON path>: <problem>".
class seed_error : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

enum class seed_mode
{
    once,   // skip a seed this database has applied before (same SHA-256)
    always, // apply again: create whatever is missing
};

struct seed_outcome
{
    bool applied = false; // false when skipped as already applied
    int pools_created = 0;
    int clients_created = 0;
    int groups_created = 0;
    int users_created = 0;
    int devices_created = 0;
};

// Applies the seed in one transaction: on any error nothing is changed and seed_error is thrown.
seed_outcome apply_seed(
    schema::service_model const& model,
    storage::store& store,
    id_source& ids,
    key_stock& keys,
    std::int64_t now_ms,
    std::string const& region,
    std::string const& account_id,
    std::string_view text,
    seed_mode mode
);

} // namespace cognitod
