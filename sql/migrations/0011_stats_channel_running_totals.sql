-- /stats/channels/rising over days (api/routes/stats.cpp) summed every row of both windows per
-- channel: p95 120 ms over 14 days in bench-stats' world of 5,000 channels (124,000 rows; 72
-- ms in one pass), and the more days a window has, the more rows per channel.
--
-- Each channel's day now also knows the channel's next day ('infinity': none yet) and the
-- channel's hours watched and streamed over all its earlier days (its running totals). A
-- channel's sum over a range of days is then the running total after its last day in the
-- range minus the one before its first day in the range: the row whose previous day lies before
-- the range and the one whose next day lies after it, at most two rows per channel and range,
-- whatever the range's length. Exact: integer sums.
ALTER TABLE rollup_channel_day_totals
    ADD COLUMN next_day date NOT NULL DEFAULT 'infinity',
    ADD COLUMN watched_before_ms bigint NOT NULL DEFAULT 0,
    ADD COLUMN live_before_ms bigint NOT NULL DEFAULT 0;

-- The first rows of a range are, on each of its days, the index entries before the range's
-- first day: one short index range scan per day finds them (the live-channel count of
-- /stats/summary counts them; /stats/channels/rising reads their running totals). Replaces
-- 0005's index of the count. The last rows likewise, by their next day, with the day's own
-- sums to end the running totals with.
DROP INDEX rollup_channel_day_totals_first_idx;
CREATE INDEX rollup_channel_day_totals_first_idx
    ON rollup_channel_day_totals (day, prev_day)
    INCLUDE (platform_id, channel_id, watched_before_ms, live_before_ms);
CREATE INDEX rollup_channel_day_totals_last_idx
    ON rollup_channel_day_totals (day, next_day)
    INCLUDE (platform_id, channel_id, watched_before_ms, live_before_ms, watched_ms, live_ms);

-- 0005's rollup_channel_prev_days, named for what it now keeps: the previous and next days and
-- the running totals, for the rows from p_from on of the channels that have any, and the day
-- before them (its next day) also of those that had some (after a rebuild of days from p_from,
-- whose rows may differ: raw snapshots can be gone where rollups are kept); and every
-- channel's last day.
DROP FUNCTION rollup_channel_prev_days(date);
CREATE FUNCTION rollup_channel_day_links(p_from date) RETURNS void LANGUAGE sql AS $$
    UPDATE rollup_channel_day_totals t
       SET prev_day = x.prev_day, next_day = x.next_day,
           watched_before_ms = x.watched_before_ms, live_before_ms = x.live_before_ms
      FROM (SELECT channel_id, day,
                   COALESCE(lag(day) OVER w, '-infinity') AS prev_day,
                   COALESCE(lead(day) OVER w, 'infinity') AS next_day,
                   COALESCE(sum(watched_ms) OVER w_before, 0) AS watched_before_ms,
                   COALESCE(sum(live_ms) OVER w_before, 0) AS live_before_ms
              FROM rollup_channel_day_totals
             WHERE channel_id IN (SELECT channel_id FROM rollup_channel_day_totals
                                   WHERE day >= p_from
                                      OR (next_day >= p_from AND next_day < 'infinity'))
            WINDOW w AS (PARTITION BY channel_id ORDER BY day),
                   w_before AS (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) x
     WHERE t.channel_id = x.channel_id AND t.day = x.day
       AND (t.day >= p_from OR t.next_day >= p_from)
       AND (t.prev_day, t.next_day, t.watched_before_ms, t.live_before_ms)
           IS DISTINCT FROM (x.prev_day, x.next_day, x.watched_before_ms, x.live_before_ms);
    DELETE FROM rollup_channel_last_days;
    INSERT INTO rollup_channel_last_days
    SELECT channel_id, max(day) FROM rollup_channel_day_totals GROUP BY channel_id;
$$;

SELECT rollup_channel_day_links('-infinity');

-- A folded hour's channels added to their day totals, until now a part of rollup_fold_days
-- (0009): a channel's new day starts from the running totals after its previous day, which
-- learns its next day. Days fold in order; a rebuild, which folds older days while later ones
-- exist, recomputes the links and running totals when it is done (rollup_channel_day_links).
CREATE FUNCTION rollup_fold_day_totals(p_platform smallint, p_hour timestamptz)
RETURNS void LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB'
AS $$
DECLARE
    at_day date := (p_hour AT TIME ZONE 'UTC')::date;
BEGIN
    WITH h AS (
        SELECT channel_id, sum(watched_ms) AS watched_ms, sum(live_ms) AS live_ms,
               max(peak_viewers) AS peak_viewers
          FROM rollup_channel_hours WHERE hour = p_hour AND platform_id = p_platform
         GROUP BY channel_id),
    prev AS (
        SELECT p.channel_id, p.day, p.watched_before_ms + p.watched_ms AS watched_before_ms,
               p.live_before_ms + p.live_ms AS live_before_ms
          FROM h
          JOIN rollup_channel_last_days l ON l.channel_id = h.channel_id AND l.day < at_day
          JOIN rollup_channel_day_totals p ON p.channel_id = l.channel_id AND p.day = l.day),
    totals AS (
        INSERT INTO rollup_channel_day_totals AS r
               (channel_id, day, platform_id, watched_ms, live_ms, peak_viewers, prev_day,
                next_day, watched_before_ms, live_before_ms)
        SELECT h.channel_id, at_day, p_platform, h.watched_ms, h.live_ms, h.peak_viewers,
               COALESCE(prev.day, '-infinity'), 'infinity', COALESCE(prev.watched_before_ms, 0),
               COALESCE(prev.live_before_ms, 0)
          FROM h LEFT JOIN prev ON prev.channel_id = h.channel_id
        ON CONFLICT (channel_id, day) DO UPDATE
           SET watched_ms = r.watched_ms + EXCLUDED.watched_ms,
               live_ms = r.live_ms + EXCLUDED.live_ms,
               peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers)),
    linked AS (
        UPDATE rollup_channel_day_totals p SET next_day = at_day
          FROM prev WHERE p.channel_id = prev.channel_id AND p.day = prev.day)
    INSERT INTO rollup_channel_last_days AS l
    SELECT channel_id, at_day FROM h
    ON CONFLICT (channel_id) DO UPDATE SET day = EXCLUDED.day WHERE l.day < EXCLUDED.day;
END $$;

-- As in 0009, with the day totals by rollup_fold_day_totals.
CREATE OR REPLACE FUNCTION rollup_fold_days(p_platform smallint, p_hour timestamptz)
RETURNS void LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB'
AS $$
DECLARE
    at_day date := (p_hour AT TIME ZONE 'UTC')::date;
BEGIN
    INSERT INTO rollup_channel_days AS r
    SELECT channel_id, at_day, game_id, language, platform_id, watched_ms, live_ms, peak_viewers
      FROM rollup_channel_hours WHERE hour = p_hour AND platform_id = p_platform
    ON CONFLICT (channel_id, day, game_id, language) DO UPDATE
       SET watched_ms = r.watched_ms + EXCLUDED.watched_ms, live_ms = r.live_ms + EXCLUDED.live_ms,
           peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers);

    PERFORM rollup_fold_day_totals(p_platform, p_hour);

    INSERT INTO rollup_game_days AS r
    SELECT game_id, at_day, platform_id, watched_ms, channel_ms, peak_viewers, peak_channels
      FROM rollup_game_hours WHERE hour = p_hour AND platform_id = p_platform
    ON CONFLICT (game_id, day) DO UPDATE
       SET watched_ms = r.watched_ms + EXCLUDED.watched_ms,
           channel_ms = r.channel_ms + EXCLUDED.channel_ms,
           peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers),
           peak_channels = GREATEST(r.peak_channels, EXCLUDED.peak_channels);

    PERFORM rollup_fold_followers(p_platform, p_hour);
END $$;

-- /stats/channels/rising?sort=followers over days ranks every qualifying channel (a day window
-- holds most channels in both halves) by its follower gain: the window's last total minus the
-- total before its first (prev_followers, 0009). Each total now also knows the channel's
-- previous and next day with a total, so that the window's first and last totals of every
-- channel are found as the day totals' edges are, a short index range scan per day, instead of
-- summing every total of the window.
ALTER TABLE channel_follower_days
    ADD COLUMN prev_day date NOT NULL DEFAULT '-infinity',
    ADD COLUMN next_day date NOT NULL DEFAULT 'infinity';
UPDATE channel_follower_days d SET prev_day = x.prev_day, next_day = x.next_day
  FROM (SELECT channel_id, day,
               COALESCE(lag(day) OVER w, '-infinity') AS prev_day,
               COALESCE(lead(day) OVER w, 'infinity') AS next_day
          FROM channel_follower_days
        WINDOW w AS (PARTITION BY channel_id ORDER BY day)) x
 WHERE d.channel_id = x.channel_id AND d.day = x.day
   AND (d.prev_day, d.next_day) IS DISTINCT FROM (x.prev_day, x.next_day);
CREATE INDEX channel_follower_days_first_idx
    ON channel_follower_days (day, prev_day) INCLUDE (channel_id, prev_followers);
CREATE INDEX channel_follower_days_last_idx
    ON channel_follower_days (day, next_day) INCLUDE (channel_id, followers);

-- As in 0009, and a channel's new total linked to its previous one (which learns its next).
CREATE OR REPLACE FUNCTION rollup_fold_followers(p_platform smallint, p_hour timestamptz)
RETURNS void LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB'
AS $$
DECLARE
    at_day date := (p_hour AT TIME ZONE 'UTC')::date;
BEGIN
    -- Written only when the total changed: most channels' totals stay the same all day.
    WITH latest AS (
        SELECT c.id AS channel_id, c.follower_count, l.day, l.followers
          FROM (SELECT DISTINCT channel_id FROM rollup_channel_hours
                 WHERE hour = p_hour AND platform_id = p_platform) h
          JOIN channels c ON c.id = h.channel_id
          LEFT JOIN LATERAL (SELECT p.day, p.followers FROM channel_follower_days p
                              WHERE p.channel_id = c.id ORDER BY p.day DESC LIMIT 1) l ON true
         WHERE c.follower_count IS NOT NULL AND (l.day IS NULL OR l.day <= at_day)),
    totals AS (
        INSERT INTO channel_follower_days AS r
               (channel_id, day, followers, prev_followers, prev_day, next_day)
        SELECT channel_id, at_day, follower_count, followers, COALESCE(day, '-infinity'),
               'infinity'
          FROM latest
        ON CONFLICT (channel_id, day) DO UPDATE SET followers = EXCLUDED.followers
         WHERE r.followers IS DISTINCT FROM EXCLUDED.followers)
    UPDATE channel_follower_days p SET next_day = at_day
      FROM latest WHERE p.channel_id = latest.channel_id AND p.day = latest.day
       AND latest.day < at_day;
END $$;
