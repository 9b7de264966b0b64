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
-- its bounds scans an empty table). Retention detaches a partition CONCURRENTLY, which cannot
-- run inside a function: the collector does it (common/db/partitions.cpp), so the function
-- that dropped partitions goes.

CREATE OR REPLACE FUNCTION ensure_snapshot_partitions(first_day date, days integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    day date;
    part text;
    created integer := 0;
BEGIN
    FOR i IN 0 .. days - 1 LOOP
        day := first_day + i;
        part := format('snapshots_p%s', to_char(day, 'YYYYMMDD'));
        IF to_regclass(part) IS NULL THEN
            -- The partition needs the parent's columns, NOT NULLs and CHECKs; its indexes are
            -- created by the ATTACH.
            EXECUTE format('CREATE TABLE %I (LIKE snapshots INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                           part);
            EXECUTE format('ALTER TABLE snapshots ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                           part, (day::timestamp AT TIME ZONE 'UTC'),
                           ((day + 1)::timestamp AT TIME ZONE 'UTC'));
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END $$;

DROP FUNCTION drop_snapshot_partitions_before(timestamptz);
