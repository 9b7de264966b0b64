-- Recomputes what links each channel's day totals: the previous and next days and the running
-- totals, for the rows from p_from on of the channels that have any, and the day before them
-- (its next day) also of those that had some; and every channel's last day. Step 4 of a rebuild
-- (rollup_rebuild_reset.sql), whose days may have rows where there were none, or none where
-- there were (raw snapshots can be gone where rollups are kept).
CREATE OR REPLACE FUNCTION rollup_channel_day_links(p_from date) RETURNS void LANGUAGE sql AS $$
    UPDATE rollup_channel_day_totals t
       SET prev_day = x.prev_day, next_day = x.next_day,
           watched_before_ms = x.watched_before_ms, live_before_ms = x.live_before_ms,
           counted_before_ms = x.counted_before_ms
      FROM (SELECT channel_id, day,
                   COALESCE(lag(day) OVER w, '-infinity') AS prev_day,
                   COALESCE(lead(day) OVER w, 'infinity') AS next_day,
                   COALESCE(sum(watched_ms) OVER w_before, 0) AS watched_before_ms,
                   COALESCE(sum(live_ms) OVER w_before, 0) AS live_before_ms,
                   COALESCE(sum(counted_ms) OVER w_before, 0) AS counted_before_ms
              FROM rollup_channel_day_totals
             WHERE channel_id IN (SELECT channel_id FROM rollup_channel_day_totals
                                   WHERE day >= p_from
                                      OR (next_day >= p_from AND next_day < 'infinity'))
            WINDOW w AS (PARTITION BY channel_id ORDER BY day),
                   w_before AS (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) x
     WHERE t.channel_id = x.channel_id AND t.day = x.day
       AND (t.day >= p_from OR t.next_day >= p_from)
       AND (t.prev_day, t.next_day, t.watched_before_ms, t.live_before_ms, t.counted_before_ms)
           IS DISTINCT FROM (x.prev_day, x.next_day, x.watched_before_ms, x.live_before_ms,
                             x.counted_before_ms);
    DELETE FROM rollup_channel_last_days;
    INSERT INTO rollup_channel_last_days
    SELECT channel_id, max(day) FROM rollup_channel_day_totals GROUP BY channel_id;
$$;
