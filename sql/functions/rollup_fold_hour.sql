-- Folds a complete hour: the channels' hour rows and (when with_broadcasts) the broadcasts from
-- the hour's snapshots, then the days (rollup_fold_days). Per hour rather than per sweep: these
-- touch a row per channel or broadcast, and a sweep's rollup stays within a second at 100,000
-- streams only without them. Called by rollup_fold_pending.
--
-- A hidden viewer count (NULL) is unknown (sql/migrations/0019): it adds no watched time and
-- no counted time, and is no peak; its span is live time all the same.
CREATE OR REPLACE FUNCTION rollup_fold_hour(p_platform smallint, p_hour timestamptz,
                                            with_broadcasts boolean)
RETURNS void LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB'
AS $$
DECLARE
    sweep_at timestamptz[];
    sweep_ms bigint[];
    exact_streams integer[];
BEGIN
    -- The hour's sweeps and the time each stands for, as arrays: PostgreSQL then plans for
    -- their true number (a dozen) and joins them to the hour's snapshots by a hash, where a
    -- table or CTE of them, estimated at one row from statistics that predate the hour, had
    -- it scan the hour once per sweep.
    SELECT array_agg(w.started_at),
           array_agg(LEAST(floor(extract(epoch FROM
                               (SELECT min(n.started_at) FROM sweeps n
                                 WHERE n.platform_id = p_platform
                                   AND n.started_at > w.started_at) - w.started_at)
                             * 1000)::bigint,
                           rollup_max_span_ms()))
      INTO sweep_at, sweep_ms
      FROM sweeps w
     WHERE w.platform_id = p_platform AND w.started_at >= p_hour
       AND w.started_at < p_hour + interval '1 hour' AND w.rolled_up_at IS NOT NULL;

    -- Each broadcast's hour is summed from its snapshots in one pass (a snapshot stands for
    -- its sweep's span). Most channels had one broadcast in the hour, in one game throughout:
    -- its sums are the channel's row. The others ("exact" below: a channel with several
    -- broadcasts in the hour, at once or one after the other, or a broadcast whose state
    -- changed since the hour began) are summed per sweep from their snapshots: two
    -- broadcasts at once count the span once as live time, the peak is the largest sum of one
    -- sweep, and each snapshot counts for the game it had then.
    WITH per_broadcast AS MATERIALIZED (
        SELECT st.id AS stream_id, st.channel_id, st.language, st.game_id, st.state_since,
               b.watched_ms, b.live_ms, b.counted_ms, b.peak_viewers, b.snapshots, b.first_at,
               b.last_at,
               count(*) OVER (PARTITION BY st.channel_id) > 1 OR st.state_since > b.first_at
                   AS exact
          FROM (SELECT s.stream_id,
                       COALESCE(sum(s.viewer_count * sp.span_ms), 0) AS watched_ms,
                       sum(sp.span_ms) AS live_ms,
                       COALESCE(sum(sp.span_ms) FILTER (WHERE s.viewer_count IS NOT NULL), 0)
                           AS counted_ms,
                       max(s.viewer_count) AS peak_viewers,
                       count(*) AS snapshots, min(s.collected_at) AS first_at,
                       max(s.collected_at) AS last_at
                  FROM unnest(sweep_at, sweep_ms) AS sp(started_at, span_ms)
                  JOIN snapshots s ON s.collected_at = sp.started_at
                 -- the hour as constants: only its partition is read
                 WHERE s.collected_at >= p_hour AND s.collected_at < p_hour + interval '1 hour'
                 GROUP BY s.stream_id) b
          JOIN streams st ON st.id = b.stream_id
         WHERE st.platform_id = p_platform),
    channel_hours AS (
        INSERT INTO rollup_channel_hours (channel_id, hour, game_id, language, platform_id,
                                          watched_ms, live_ms, counted_ms, peak_viewers)
        SELECT channel_id, p_hour, COALESCE(game_id, 0), language, p_platform, watched_ms,
               live_ms, counted_ms, peak_viewers
          FROM per_broadcast WHERE NOT exact),
    broadcasts AS (
        INSERT INTO rollup_broadcasts AS r (stream_id, channel_id, platform_id, watched_ms,
                                            live_ms, counted_ms, peak_viewers, snapshots,
                                            first_at, last_at)
        SELECT stream_id, channel_id, p_platform, watched_ms, live_ms, counted_ms, peak_viewers,
               snapshots, first_at, last_at
          FROM per_broadcast WHERE with_broadcasts
        ON CONFLICT (stream_id) DO UPDATE
           SET watched_ms = r.watched_ms + EXCLUDED.watched_ms,
               live_ms = r.live_ms + EXCLUDED.live_ms,
               counted_ms = r.counted_ms + EXCLUDED.counted_ms,
               -- GREATEST skips NULLs: NULL only when neither knew a count
               peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers),
               snapshots = r.snapshots + EXCLUDED.snapshots,
               first_at = LEAST(r.first_at, EXCLUDED.first_at),
               last_at = GREATEST(r.last_at, EXCLUDED.last_at))
    SELECT array_agg(stream_id) INTO exact_streams FROM per_broadcast WHERE exact;

    -- The exact ones, as a filter on one more pass over the hour (a join to the few streams
    -- could be planned as a scan of the hour per stream). A channel's viewers in a sweep are
    -- the counts its broadcasts showed, unknown only when every one was hidden.
    IF exact_streams IS NOT NULL THEN
        INSERT INTO rollup_channel_hours (channel_id, hour, game_id, language, platform_id,
                                          watched_ms, live_ms, counted_ms, peak_viewers)
        SELECT channel_id, p_hour, game_id, language, p_platform,
               COALESCE(sum(viewers * span_ms), 0), sum(span_ms),
               COALESCE(sum(span_ms) FILTER (WHERE viewers IS NOT NULL), 0), max(viewers)
          FROM (SELECT st.channel_id, st.language,
                       rollup_game_at(st.id, st.state_since, st.game_id, s.collected_at)
                           AS game_id,
                       sp.span_ms, sum(s.viewer_count) AS viewers
                  FROM unnest(sweep_at, sweep_ms) AS sp(started_at, span_ms)
                  JOIN snapshots s ON s.collected_at = sp.started_at
                  JOIN streams st ON st.id = s.stream_id
                 WHERE s.collected_at >= p_hour AND s.collected_at < p_hour + interval '1 hour'
                   AND s.stream_id = ANY (exact_streams)
                 GROUP BY st.channel_id, st.language, 3, s.collected_at, sp.span_ms) per_sweep
         GROUP BY channel_id, game_id, language;
    END IF;

    PERFORM rollup_fold_days(p_platform, p_hour);
END $$;
