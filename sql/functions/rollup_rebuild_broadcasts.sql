-- Step 3 of a rebuild (rollup_rebuild_reset.sql): the broadcasts live in [p_from, p_to), each
-- from all its snapshots in folded hours (as the fold job counts them: the broadcasts of hours
-- not folded yet join with their fold). Returns how many were written.
CREATE OR REPLACE FUNCTION rollup_rebuild_broadcasts(p_from date, p_to date)
RETURNS integer LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB'
AS $$
DECLARE
    t_from timestamptz := p_from::timestamp AT TIME ZONE 'UTC';
    t_to   timestamptz := p_to::timestamp AT TIME ZONE 'UTC';
    written integer;
BEGIN
    INSERT INTO rollup_broadcasts
    SELECT st.id, st.channel_id, st.platform_id,
           sum(COALESCE(s.viewer_count, 0) * LEAST(sp.gap_ms, rollup_max_span_ms())),
           sum(LEAST(sp.gap_ms, rollup_max_span_ms())), max(COALESCE(s.viewer_count, 0)),
           count(*), min(s.collected_at), max(s.collected_at)
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
