-- A folded hour's channels added to their day totals (a part of rollup_fold_days): a channel's
-- new day starts from the running totals after its previous day, which learns its next day.
-- Its previous day comes from rollup_channel_last_days by an equality join (a look-up per
-- channel in rollup_channel_day_totals could be planned as a scan per channel while the table
-- was small, and the first sweep of 100,000 streams would take minutes). Days fold in order; a
-- rebuild, which folds older days while later ones exist, recomputes the links and running
-- totals when it is done (rollup_channel_day_links).
-- at_day: the UTC day that holds p_hour, as rollup_fold_days computed it.
DROP FUNCTION IF EXISTS rollup_fold_day_totals(smallint, timestamptz);
CREATE OR REPLACE FUNCTION rollup_fold_day_totals(p_platform smallint, p_hour timestamptz, at_day date)
RETURNS void LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB'
AS $$
BEGIN
    WITH h AS (
        SELECT channel_id, sum(watched_ms) AS watched_ms, sum(live_ms) AS live_ms,
               sum(counted_ms) AS counted_ms, max(peak_viewers) AS peak_viewers
          FROM rollup_channel_hours WHERE hour = p_hour AND platform_id = p_platform
         GROUP BY channel_id),
    prev AS (
        SELECT p.channel_id, p.day, p.watched_before_ms + p.watched_ms AS watched_before_ms,
               p.live_before_ms + p.live_ms AS live_before_ms,
               p.counted_before_ms + p.counted_ms AS counted_before_ms
          FROM h
          JOIN rollup_channel_last_days l ON l.channel_id = h.channel_id AND l.day < at_day
          JOIN rollup_channel_day_totals p ON p.channel_id = l.channel_id AND p.day = l.day),
    totals AS (
        INSERT INTO rollup_channel_day_totals AS r
               (channel_id, day, platform_id, watched_ms, live_ms, counted_ms, peak_viewers,
                prev_day, next_day, watched_before_ms, live_before_ms, counted_before_ms)
        SELECT h.channel_id, at_day, p_platform, h.watched_ms, h.live_ms, h.counted_ms,
               h.peak_viewers, COALESCE(prev.day, '-infinity'), 'infinity',
               COALESCE(prev.watched_before_ms, 0), COALESCE(prev.live_before_ms, 0),
               COALESCE(prev.counted_before_ms, 0)
          FROM h LEFT JOIN prev ON prev.channel_id = h.channel_id
        ON CONFLICT (channel_id, day) DO UPDATE
           SET watched_ms = r.watched_ms + EXCLUDED.watched_ms,
               live_ms = r.live_ms + EXCLUDED.live_ms,
               counted_ms = r.counted_ms + EXCLUDED.counted_ms,
               peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers)),
    linked AS (
        UPDATE rollup_channel_day_totals p SET next_day = at_day
          FROM prev WHERE p.channel_id = prev.channel_id AND p.day = prev.day)
    INSERT INTO rollup_channel_last_days AS l
    SELECT channel_id, at_day FROM h
    ON CONFLICT (channel_id) DO UPDATE SET day = EXCLUDED.day WHERE l.day < EXCLUDED.day;
END $$;
