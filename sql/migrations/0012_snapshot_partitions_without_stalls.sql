-- Daily partition upkeep that no query on snapshots waits for.
--
-- CREATE TABLE ... PARTITION OF and DROP TABLE of a partition both take an ACCESS EXCLUSIVE
-- lock on snapshots. Each waited for every running query on snapshots (the fold of an hour, a
-- long /export/snapshots), and every other query and sweep waited behind it: once a day, when a
-- new day's partition was made and when a day passed retention, the API and the collector
-- could stall for as long as the longest reader ran.
--
-- A new day's table is now created on its own and then attached: ATTACH PARTITION takes SHARE
-- UPDATE EXCLUSIVE on snapshots, which reads and writes do not conflict with (and the check of
-- its bounds scans an empty table): ensure_snapshot_partitions (sql/functions/). Retention
-- detaches a partition CONCURRENTLY, which cannot run inside a function: the collector does it
-- (common/db/partitions.cpp), so the function that dropped partitions goes (a database
-- migrated since function files exist never had it).

DROP FUNCTION IF EXISTS drop_snapshot_partitions_before(timestamptz);
