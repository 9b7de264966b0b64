-- The rollup functions plan every statement for the sweep at hand.
--
-- PL/pgSQL keeps a statement's plan for the session. After five calls it may switch to a
-- generic plan, made without the sweep's time and with the table statistics of that moment:
-- a collector that had rolled up small sweeps (a new install, a quiet night) then read the
-- first 100,000-stream sweep with a plan made for 40 rows, and the rollup ran into the
-- statement timeout every time. force_custom_plan plans each call afresh (a millisecond).
-- JIT compiled these statements for up to a second per sweep and saves nothing on a few
-- hundred thousand rows; 64 MB lets the per-channel aggregates stay in memory.
ALTER FUNCTION rollup_sweep(integer, boolean)
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB';
ALTER FUNCTION rollup_fold_hour(smallint, timestamptz, boolean)
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB';
ALTER FUNCTION rollup_rebuild_broadcasts(date, date)
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB';
-- A later CREATE OR REPLACE of one of these functions drops its settings: restate them there.
