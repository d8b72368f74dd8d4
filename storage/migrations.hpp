// Numbered schema migrations (storage/migrations/NNN_*.sql, embedded at build time), applied in
// order and recorded in PRAGMA user_version. A shipped step is never edited; a new one is added.
#pragma once

#include "storage/sqlite.hpp"

#include <span>
#include <string_view>

namespace cognitod::storage
{

// The steps, in order; step N (1-based) brings the schema to user_version N.
std::span<std::string_view const> embedded_migrations();

// Applies the missing steps in one transaction. Throws sqlite_error when the database is newer than
// this binary (user_version beyond the last step) or a step fails; nothing is changed then.
void migrate(database& db);

int schema_version(database& db);

} // namespace cognitod::storage
