-- /stats/channels/rising?sort=followers over hours (api/routes/stats.cpp) looked up two
-- follower totals for each qualifying channel of the window (2,600 channels: 60 ms).
--
-- A channel's follower gain over a window is its last total in it minus its total before it.
-- prev_followers is that total before, as it was when the row was written (NULL: the
-- channel's first total), so every channel's gain comes from the window's rows alone, read
-- from this index, and the ranking walks the channels by gain until enough qualify.
ALTER TABLE channel_follower_days ADD COLUMN prev_followers bigint;
UPDATE channel_follower_days d SET prev_followers = p.prev
  FROM (SELECT channel_id, day,
               lag(followers) OVER (PARTITION BY channel_id ORDER BY day) AS prev
          FROM channel_follower_days) p
 WHERE p.channel_id = d.channel_id AND p.day = d.day AND p.prev IS NOT NULL;
CREATE INDEX channel_follower_days_day_idx
    ON channel_follower_days (day) INCLUDE (channel_id, followers, prev_followers);

-- The follower totals of a folded hour's channels, until now a part of rollup_fold_days: a
-- function of its own, so that the next change to either copies nothing of the other. A
-- channel's first total of a day records the latest total before it (prev_followers), and a
-- total is written only into the channel's latest day or a later one: the total a channel has
-- now was seen when it was last live, and a fold of an older day (a rebuild) wrote it over
-- that day's own total before.
CREATE FUNCTION rollup_fold_followers(p_platform smallint, p_hour timestamptz)
RETURNS void LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB'
AS $$
DECLARE
    at_day date := (p_hour AT TIME ZONE 'UTC')::date;
BEGIN
    -- Written only when the total changed: most channels' totals stay the same all day.
    INSERT INTO channel_follower_days AS r (channel_id, day, followers, prev_followers)
    SELECT c.id, at_day, c.follower_count, l.followers
      FROM (SELECT DISTINCT channel_id FROM rollup_channel_hours
             WHERE hour = p_hour AND platform_id = p_platform) h
      JOIN channels c ON c.id = h.channel_id
      LEFT JOIN LATERAL (SELECT p.day, p.followers FROM channel_follower_days p
                          WHERE p.channel_id = c.id ORDER BY p.day DESC LIMIT 1) l ON true
     WHERE c.follower_count IS NOT NULL AND (l.day IS NULL OR l.day <= at_day)
    ON CONFLICT (channel_id, day) DO UPDATE SET followers = EXCLUDED.followers
     WHERE r.followers IS DISTINCT FROM EXCLUDED.followers;
END $$;

-- As in 0007, with the follower totals by rollup_fold_followers.
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

    WITH h AS (
        SELECT channel_id, sum(watched_ms) AS watched_ms, sum(live_ms) AS live_ms,
               max(peak_viewers) AS peak_viewers
          FROM rollup_channel_hours WHERE hour = p_hour AND platform_id = p_platform
         GROUP BY channel_id),
    totals AS (
        INSERT INTO rollup_channel_day_totals AS r
        SELECT h.channel_id, at_day, p_platform, h.watched_ms, h.live_ms, h.peak_viewers,
               COALESCE(l.day, '-infinity')
          FROM h LEFT JOIN rollup_channel_last_days l
            ON l.channel_id = h.channel_id AND l.day < at_day
        ON CONFLICT (channel_id, day) DO UPDATE
           SET watched_ms = r.watched_ms + EXCLUDED.watched_ms,
               live_ms = r.live_ms + EXCLUDED.live_ms,
               peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers))
    INSERT INTO rollup_channel_last_days AS l
    SELECT channel_id, at_day FROM h
    ON CONFLICT (channel_id) DO UPDATE SET day = EXCLUDED.day WHERE l.day < EXCLUDED.day;

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
