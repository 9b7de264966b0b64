-- Creates the missing daily partitions of snapshots for the `days` UTC days from first_day:
-- [day, day + 1), named snapshots_pYYYYMMDD. Returns how many it created. Called before every
-- sweep is written (common/db/partitions.cpp).
--
-- CREATE TABLE ... PARTITION OF takes an ACCESS EXCLUSIVE lock on snapshots, which waits for
-- every running query on snapshots (the fold of an hour, a long /export/snapshots) while every
-- other query and sweep waits behind it. So a new day's table is created on its own and then
-- attached: ATTACH PARTITION takes SHARE UPDATE EXCLUSIVE on snapshots, which reads and writes
-- do not conflict with (and the check of its bounds scans an empty table). Retention detaches
-- partitions CONCURRENTLY, which cannot run inside a function: common/db/partitions.cpp.
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

-- A new database's first days, from yesterday to two days ahead, as 0001 made them before this
-- function had a file of its own. Only missing days are created: applying this file again
-- changes no partition that exists.
SELECT ensure_snapshot_partitions((now() AT TIME ZONE 'UTC')::date - 1, 4);
