#pragma once
// Daily partitions of the snapshots table: created ahead of need, dropped whole at the end of
// their retention (never DELETE), in ways that no query on snapshots waits for
// (sql/functions/ensure_snapshot_partitions.sql; the why: sql/migrations/0012_*.sql).

#include <chrono>

#include <pqxx/connection>

#include "common/time/timestamp.hpp"

namespace streamscope::db {

// Creates the missing partitions for the UTC days of `at` and the `days_ahead` days after it.
// Returns how many were created. Cheap when they exist; call it before every sweep is written.
int ensure_partitions(pqxx::connection& conn, time::timestamp at, int days_ahead = 2);

// Drops the partitions whose whole day lies more than `retention_days` days before `now`:
// detaches each concurrently, then drops it. A detach waits for the transactions that were
// reading snapshots when it began, for at most `detach_wait` (the caller waits meanwhile,
// nobody else does); then this throws, after dropping the partitions before it, and a later
// call finishes the rest. Returns how many were dropped. Not inside a transaction.
int drop_expired_partitions(pqxx::connection& conn, time::timestamp now, int retention_days,
                            std::chrono::milliseconds detach_wait = std::chrono::seconds{10});

} // namespace streamscope::db
