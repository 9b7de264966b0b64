-- /stats/channels/rising over days (api/routes/stats.cpp) sums every channel's days of the
-- window and of the window before it, and looks up each qualifying channel's follower gain:
-- p95 120 ms by growth and 268 ms by follower gain over 14 days, in bench-stats' world of
-- 5,000 channels. No bound prunes a ranking by growth (a small channel may grow the most).
--
-- For the windows of window=7d, 30d and 90d (the days [today - n, today], and the as many days
-- before them) the fold job keeps, beside the leaderboards (sql/0010) and as current as they
-- are, every channel that qualifies by time (an hour streamed in each window, viewers in the
-- previous one) with its figures of both windows and its follower gain. The API then filters
-- by min_avg_viewers and ranks these rows alone; other windows are summed as before.

-- The windows ranked, and the version of the day totals they were read from (a window with
-- no qualifying channel has no rows below, but is current all the same).
CREATE TABLE rollup_rising_windows (
    from_day date NOT NULL,
    to_day   date NOT NULL,
    version  bigint NOT NULL,
    PRIMARY KEY (from_day, to_day)
);

-- A channel's sums over [from_day, to_day) and over the as many days before (prev_*), and its
-- follower gain over [from_day, to_day) (NULL: no total before the window), as the API's
-- day-window ranking defines them. The primary key answers the API's look-up of a window.
CREATE TABLE rollup_channel_rising (
    from_day        date NOT NULL,
    to_day          date NOT NULL,
    channel_id      integer NOT NULL,
    platform_id     smallint NOT NULL,
    watched_ms      bigint NOT NULL,
    live_ms         bigint NOT NULL,
    peak_viewers    integer NOT NULL,
    prev_watched_ms bigint NOT NULL,
    prev_live_ms    bigint NOT NULL,
    follower_gain   bigint,
    PRIMARY KEY (from_day, to_day, channel_id)
);

-- Both windows of each span and every channel in them, in one pass over their days. A
-- follower gain is the sum of the window's totals' changes (each total records the one before
-- it, sql/0009, so the sum telescopes to the last total minus the one before the window): NULL
-- when one of them is a channel's first, 0 when the window has none but an earlier one exists.
-- One statement, so that the version stored is the one of the totals read.
CREATE FUNCTION rollup_refresh_rising(p_today date) RETURNS void LANGUAGE sql
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB'
AS $$
    DELETE FROM rollup_channel_rising;
    DELETE FROM rollup_rising_windows;
    WITH windows AS (
        SELECT p_today - days AS from_day, p_today + 1 AS to_day,
               p_today - days - (days + 1) AS prev_from
          FROM (VALUES (7), (30), (90)) s (days)),
    stored_windows AS (
        INSERT INTO rollup_rising_windows
        SELECT w.from_day, w.to_day, v.version FROM windows w, rollup_day_version v),
    -- Each channel's sums per stretch between two window bounds: every row is read once,
    -- however many windows hold it (twice as fast as a pass per window).
    bounds AS (
        SELECT array_agg(b ORDER BY b) AS b
          FROM (SELECT from_day FROM windows UNION SELECT prev_from FROM windows) x (b)),
    stretches AS (
        SELECT r.channel_id, r.platform_id, bounds.b[width_bucket(r.day, bounds.b)] AS first_day,
               sum(r.watched_ms)::bigint AS watched_ms, sum(r.live_ms)::bigint AS live_ms,
               max(r.peak_viewers) AS peak_viewers
          FROM bounds
          JOIN rollup_channel_day_totals r ON r.day >= bounds.b[1] AND r.day < p_today + 1
         GROUP BY 1, 2, 3),
    totals AS (
        SELECT w.from_day, w.to_day, s.channel_id, s.platform_id,
               sum(s.watched_ms) FILTER (WHERE s.first_day >= w.from_day) AS watched_ms,
               sum(s.live_ms) FILTER (WHERE s.first_day >= w.from_day) AS live_ms,
               max(s.peak_viewers) FILTER (WHERE s.first_day >= w.from_day) AS peak_viewers,
               sum(s.watched_ms) FILTER (WHERE s.first_day < w.from_day) AS prev_watched_ms,
               sum(s.live_ms) FILTER (WHERE s.first_day < w.from_day) AS prev_live_ms
          FROM windows w JOIN stretches s ON s.first_day >= w.prev_from
         GROUP BY w.from_day, w.to_day, s.channel_id, s.platform_id),
    qualified AS (
        SELECT * FROM totals
         WHERE live_ms >= 3600000 AND prev_live_ms >= 3600000 AND prev_watched_ms > 0),
    follower_stretches AS (
        SELECT d.channel_id, bounds.b[width_bucket(d.day, bounds.b)] AS first_day,
               sum(d.followers - d.prev_followers)::bigint AS gain,
               count(*) - count(d.prev_followers) AS firsts
          FROM bounds
          JOIN channel_follower_days d
            ON d.day >= (SELECT min(from_day) FROM windows) AND d.day < p_today + 1
         GROUP BY 1, 2),
    gains AS (
        SELECT w.from_day, f.channel_id, CASE WHEN sum(f.firsts) = 0 THEN sum(f.gain) END AS gain
          FROM windows w JOIN follower_stretches f ON f.first_day >= w.from_day
         GROUP BY 1, 2)
    INSERT INTO rollup_channel_rising
    SELECT q.from_day, q.to_day, q.channel_id, q.platform_id, q.watched_ms, q.live_ms,
           q.peak_viewers, q.prev_watched_ms, q.prev_live_ms,
           CASE WHEN g.channel_id IS NOT NULL THEN g.gain
                WHEN EXISTS (SELECT 1 FROM channel_follower_days e
                              WHERE e.channel_id = q.channel_id AND e.day < q.from_day) THEN 0
           END
      FROM qualified q
      LEFT JOIN gains g ON g.from_day = q.from_day AND g.channel_id = q.channel_id;
$$;

-- As in 0010, and the rising channels of the same windows with the leaderboards.
CREATE OR REPLACE FUNCTION rollup_refresh_leaderboards(p_today date) RETURNS boolean
LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB'
AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('streamscope.rollups.leaderboards'));
    IF EXISTS (SELECT 1 FROM rollup_channel_leaderboards l
                 JOIN rollup_day_version v ON v.version = l.version
                WHERE l.to_day = p_today + 1)
       AND EXISTS (SELECT 1 FROM rollup_rising_windows r
                     JOIN rollup_day_version v ON v.version = r.version
                    WHERE r.to_day = p_today + 1) THEN
        RETURN false;
    END IF;
    DELETE FROM rollup_channel_leaderboards;
    INSERT INTO rollup_channel_leaderboards
    WITH spans (days) AS (VALUES (7), (30), (90)),
    totals AS MATERIALIZED (
        SELECT s.days, r.channel_id, r.platform_id, sum(r.watched_ms) AS watched,
               sum(r.live_ms) AS live
          FROM spans s
          JOIN rollup_channel_day_totals r ON r.day >= p_today - s.days AND r.day <= p_today
         GROUP BY s.days, r.channel_id, r.platform_id),
    scopes (platform, platform_id) AS (
        SELECT '', NULL::smallint UNION ALL SELECT name, id FROM platforms)
    SELECT p_today - s.days, p_today + 1, sc.platform, k.sort, v.version,
           ARRAY(SELECT t.channel_id FROM totals t
                  WHERE t.days = s.days
                    AND (sc.platform_id IS NULL OR t.platform_id = sc.platform_id)
                  ORDER BY CASE k.sort WHEN 'hours_watched' THEN t.watched ELSE t.live END DESC,
                           t.channel_id
                  LIMIT 100)
      FROM spans s, scopes sc, (VALUES ('hours_watched'), ('hours_streamed')) k (sort),
           rollup_day_version v;
    PERFORM rollup_refresh_rising(p_today);
    RETURN true;
END $$;
