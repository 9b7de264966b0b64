#pragma once
// The rollups that /stats reads (their tables: sql/migrations/0003_rollups.sql and later; the
// functions called here, with their rules: sql/functions/rollup_*.sql): kept up to date after
// each stored sweep, and rebuilt from the raw snapshots for a range of days.

#include <chrono>
#include <cstddef>
#include <functional>

#include <pqxx/connection>

namespace streamscope::db {

// Rolls up the platform's sweeps that wait for it (those with a successor, oldest first, at
// most 50 a call). Returns how many; -1 when a rebuild holds the rollups (they wait for the
// next call then). Throws pqxx exceptions on database failure.
int roll_up_pending(pqxx::connection& conn, int platform_id);

// Folds the platform's oldest complete hour that is not folded yet into the day tables, the
// follower totals and the broadcasts (sql/functions/rollup_fold_hour.sql), in a transaction of its
// own. Returns 1 when it folded one, 0 when none waits, -1 when another session folds (a rebuild):
// the hours wait for the next call then. Throws pqxx exceptions on database failure.
int fold_next_hour(pqxx::connection& conn, int platform_id);

// Ranks the best channels of the day windows of /stats/channels/top's window=7d, 30d and 90d
// (the days that end with `today`) again when the day totals changed since, or the day did
// (sql/functions/rollup_refresh_leaderboards.sql); they let the API sum 100 channels instead of
// all. Returns whether it ranked. Throws pqxx exceptions on database failure.
bool refresh_leaderboards(pqxx::connection& conn, std::chrono::sys_days today);

struct rebuild_result {
    std::size_t sweeps = 0;
    std::size_t snapshots = 0;
    std::size_t broadcasts = 0;
};

// Rebuilds the rollups of the UTC days [from, to) from the raw snapshots, a batch of sweeps per
// transaction, folding the range's hours as they complete; `progress(done, total)` after each
// batch. Incremental rollups and folds wait meanwhile.
// Interrupted, it leaves the range partly rebuilt: run it again.
rebuild_result rebuild_rollups(pqxx::connection& conn, std::chrono::sys_days from,
                               std::chrono::sys_days to,
                               const std::function<void(std::size_t, std::size_t)>& progress);

// Deletes the rollup rows of hours, days and broadcasts that ended more than `retention_days`
// before `now` (rollups are small: DELETE is fine). Returns the rows deleted.
long long expire_rollups(pqxx::connection& conn, std::chrono::system_clock::time_point now,
                         int retention_days);

} // namespace streamscope::db
