#pragma once
// Daily partitions of the snapshots table: created ahead of need, dropped whole at the end of
// their retention (never DELETE). The SQL functions doing it live in sql/0001_init.sql.

#include <pqxx/connection>

#include "common/time/timestamp.hpp"

namespace streamscope::db {

// Creates the missing partitions for the UTC days of `at` and the `days_ahead` days after it.
// Returns how many were created. Cheap when they exist; call it before every sweep is written.
int ensure_partitions(pqxx::connection& conn, time::timestamp at, int days_ahead = 2);

// Drops the partitions whose whole day lies more than `retention_days` days before `now`.
// Returns how many were dropped.
int drop_expired_partitions(pqxx::connection& conn, time::timestamp now, int retention_days);

} // namespace streamscope::db
