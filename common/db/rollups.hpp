#pragma once
// The rollups that /stats reads (sql/0003_rollups.sql defines them and their rules): kept up
// to date after each stored sweep, and rebuilt from the raw snapshots for a range of days.

#include <chrono>
#include <cstddef>
#include <functional>

#include <pqxx/connection>

namespace streamscope::db {

// Rolls up the platform's sweeps that wait for it (those with a successor, oldest first, at
// most 50 a call). Returns how many; -1 when a rebuild holds the rollups (they wait for the
// next call then). Throws pqxx exceptions on database failure.
int roll_up_pending(pqxx::connection& conn, int platform_id);

struct rebuild_result {
    std::size_t sweeps = 0;
    std::size_t snapshots = 0;
    std::size_t broadcasts = 0;
};

// Rebuilds the rollups of the UTC days [from, to) from the raw snapshots, a batch of sweeps per
// transaction; `progress(done, total)` after each batch. Incremental rollups wait meanwhile.
// Interrupted, it leaves the range partly rebuilt: run it again.
rebuild_result rebuild_rollups(pqxx::connection& conn, std::chrono::sys_days from,
                               std::chrono::sys_days to,
                               const std::function<void(std::size_t, std::size_t)>& progress);

// Deletes the rollup rows of hours, days and broadcasts that ended more than `retention_days`
// before `now` (rollups are small: DELETE is fine). Returns the rows deleted.
long long expire_rollups(pqxx::connection& conn, std::chrono::system_clock::time_point now,
                         int retention_days);

} // namespace streamscope::db
