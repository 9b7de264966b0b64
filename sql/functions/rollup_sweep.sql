-- A sweep's rollup: its snapshots added to the game, language and platform hours, and the
-- sweep marked rolled up. Returns the number of snapshots added; 0 and nothing done when the
-- sweep is rolled up already or has no successor yet (its span is known only then). The
-- channels' hours, the days and the broadcasts come from the hour's fold (rollup_fold_hour).
--
-- The settings, on every rollup function: PL/pgSQL keeps a statement's plan for the session,
-- and after five calls it may switch to a generic plan, made without the sweep's time and with
-- the table statistics of that moment: a collector that had rolled up small sweeps (a new
-- install, a quiet night) then read the first 100,000-stream sweep with a plan made for 40
-- rows, and the rollup ran into the statement timeout every time. force_custom_plan plans each
-- call afresh (a millisecond). JIT compiled these statements for up to a second per sweep and
-- saves nothing on a few hundred thousand rows; 64 MB lets the per-channel aggregates stay in
-- memory. They are part of each function's text: CREATE OR REPLACE sets exactly the settings
-- it states.
--
-- Until migration 0007 it took a second argument, with_broadcasts (the fold had not left the
-- sweep's path yet): a database migrated before then still has that form.
DROP FUNCTION IF EXISTS rollup_sweep(integer, boolean);
CREATE OR REPLACE FUNCTION rollup_sweep(p_sweep integer) RETURNS integer LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB'
AS $$
DECLARE
    w        sweeps%ROWTYPE;
    next_at  timestamptz;
    span_ms  bigint;
    at_hour  timestamptz;
    added    integer;
BEGIN
    SELECT * INTO w FROM sweeps WHERE id = p_sweep FOR UPDATE;
    IF NOT FOUND OR w.rolled_up_at IS NOT NULL THEN
        RETURN 0;
    END IF;
    SELECT min(started_at) INTO next_at
      FROM sweeps WHERE platform_id = w.platform_id AND started_at > w.started_at;
    IF next_at IS NULL THEN
        RETURN 0;
    END IF;
    span_ms := LEAST(floor(extract(epoch FROM next_at - w.started_at) * 1000)::bigint,
                     rollup_max_span_ms());
    at_hour := date_trunc('hour', w.started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';

    WITH rows AS MATERIALIZED (
        SELECT st.channel_id, st.language,
               -- rollup_game_at's rule, written out: a function call per snapshot (its
               -- sub-select keeps PostgreSQL from inlining it) doubled this rollup's time
               CASE WHEN s.collected_at >= st.state_since THEN COALESCE(st.game_id, 0)
                    ELSE COALESCE((SELECT ss.game_id FROM stream_states ss
                                    WHERE ss.stream_id = st.id AND ss.since <= s.collected_at
                                    ORDER BY ss.since DESC LIMIT 1), 0) END AS game_id,
               -- a hidden count adds nothing to these sums of viewers, which add the counts
               -- there are (a channel's own figures keep it unknown: rollup_fold_hour)
               COALESCE(s.viewer_count, 0)::bigint AS viewers
          FROM snapshots s JOIN streams st ON st.id = s.stream_id
         WHERE s.collected_at = w.started_at AND st.platform_id = w.platform_id),
    game_hours AS (
        INSERT INTO rollup_game_hours AS r
        SELECT game_id, at_hour, w.platform_id, sum(viewers) * span_ms,
               count(DISTINCT channel_id) * span_ms, sum(viewers), count(DISTINCT channel_id)
          FROM rows WHERE game_id <> 0 GROUP BY game_id
        ON CONFLICT (game_id, hour) DO UPDATE
           SET watched_ms = r.watched_ms + EXCLUDED.watched_ms,
               channel_ms = r.channel_ms + EXCLUDED.channel_ms,
               peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers),
               peak_channels = GREATEST(r.peak_channels, EXCLUDED.peak_channels)),
    language_hours AS (
        INSERT INTO rollup_language_hours AS r
        SELECT w.platform_id, language, at_hour, sum(viewers) * span_ms,
               count(DISTINCT channel_id) * span_ms, sum(viewers), count(DISTINCT channel_id)
          FROM rows GROUP BY language
        ON CONFLICT (platform_id, language, hour) DO UPDATE
           SET watched_ms = r.watched_ms + EXCLUDED.watched_ms,
               channel_ms = r.channel_ms + EXCLUDED.channel_ms,
               peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers),
               peak_channels = GREATEST(r.peak_channels, EXCLUDED.peak_channels)),
    platform_hours AS (
        INSERT INTO rollup_platform_hours AS r (platform_id, hour, covered_ms, watched_ms,
                                                channel_ms, peak_viewers, peak_channels)
        SELECT w.platform_id, at_hour, span_ms, COALESCE(sum(viewers), 0) * span_ms,
               count(DISTINCT channel_id) * span_ms, COALESCE(sum(viewers), 0),
               count(DISTINCT channel_id)
          FROM rows
        ON CONFLICT (platform_id, hour) DO UPDATE
           SET covered_ms = r.covered_ms + EXCLUDED.covered_ms,
               watched_ms = r.watched_ms + EXCLUDED.watched_ms,
               channel_ms = r.channel_ms + EXCLUDED.channel_ms,
               peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers),
               peak_channels = GREATEST(r.peak_channels, EXCLUDED.peak_channels))
    SELECT count(*) INTO added FROM rows;

    UPDATE sweeps SET rolled_up_at = now() WHERE id = p_sweep;
    RETURN added;
END $$;
