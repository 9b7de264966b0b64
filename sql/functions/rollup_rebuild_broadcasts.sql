-- Step 3 of a rebuild (rollup_rebuild_reset.sql): the broadcasts live in [p_from, p_to), each
-- from all its snapshots in folded hours (as the fold job counts them: the broadcasts of hours
-- not folded yet join with their fold; a hidden count as rollup_fold_hour counts it). Returns
-- how many were written.
CREATE OR REPLACE FUNCTION rollup_rebuild_broadcasts(p_from date, p_to date)
RETURNS integer LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB'
AS $$
DECLARE
    t_from timestamptz := p_from::timestamp AT TIME ZONE 'UTC';
    t_to   timestamptz := p_to::timestamp AT TIME ZONE 'UTC';
    written integer;
BEGIN
    INSERT INTO rollup_broadcasts (stream_id, channel_id, platform_id, watched_ms, live_ms,
                                   counted_ms, peak_viewers, snapshots, first_at, last_at)
    SELECT st.id, st.channel_id, st.platform_id,
           COALESCE(sum(s.viewer_count * LEAST(sp.gap_ms, rollup_max_span_ms())), 0),
           sum(LEAST(sp.gap_ms, rollup_max_span_ms())),
           COALESCE(sum(LEAST(sp.gap_ms, rollup_max_span_ms()))
                        FILTER (WHERE s.viewer_count IS NOT NULL), 0),
           max(s.viewer_count), count(*), min(s.collected_at), max(s.collected_at)
      FROM streams st
      JOIN snapshots s ON s.stream_id / 16 = st.id / 16 AND s.stream_id = st.id
      JOIN (SELECT platform_id, started_at,
                   floor(extract(epoch FROM lead(started_at) OVER (
                             PARTITION BY platform_id ORDER BY started_at) - started_at)
                         * 1000)::bigint AS gap_ms
              FROM sweeps) sp
        ON sp.platform_id = st.platform_id AND sp.started_at = s.collected_at
     WHERE st.id IN (SELECT stream_id FROM snapshots
                      WHERE collected_at >= t_from AND collected_at < t_to)
       AND sp.gap_ms IS NOT NULL
       AND EXISTS (SELECT 1 FROM rollup_platform_hours f
                    WHERE f.platform_id = sp.platform_id AND f.folded_at IS NOT NULL
                      AND f.hour = date_trunc('hour', sp.started_at AT TIME ZONE 'UTC')
                                   AT TIME ZONE 'UTC')
     GROUP BY st.id, st.channel_id, st.platform_id
    ON CONFLICT (stream_id) DO NOTHING;
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END $$;
