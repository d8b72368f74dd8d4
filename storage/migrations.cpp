#include "storage/migrations.hpp"

#include <string>

namespace cognitod::storage
{

int schema_version(database& db)
{
    auto st = db.cached("PRAGMA user_version");
    st->step();
    return static_cast<int>(st->column_int64(0));
}

void migrate(database& db)
{
    auto const steps = embedded_migrations();
    auto const target = static_cast<int>(steps.size());
    transaction tx{db, transaction_mode::immediate};
    int const current = schema_version(db);
    if (current > target)
    {
        throw sqlite_error(
            "database schema version " + std::to_string(current) +
                " is newer than this cognitod (" + std::to_string(target) + ")",
            0
        );
    }
    if (current == target)
    {
        return; // up to date: starting commits nothing, so it costs no fsync
    }
    for (int version = current; version < target; ++version)
    {
        db.exec(steps[static_cast<std::size_t>(version)]);
    }
    // Placeholders are not allowed in pragmas; the value is an integer we computed.
    db.exec("PRAGMA user_version = " + std::to_string(target));
    tx.commit();
}

} // namespace cognitod::storage
