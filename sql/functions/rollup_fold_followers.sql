-- The follower totals of a folded hour's channels (a part of rollup_fold_days). A channel's
-- first total of a day records the latest total before it (prev_followers) and is linked to
-- the channel's previous total, which learns its next day: the window's first and last totals
-- of every channel are then found by a short index range scan per day. A total is written only
-- into the channel's latest day or a later one: the total a channel has now was seen when it
-- was last live, and a fold of an older day (a rebuild) would write it over that day's own.
-- at_day: the UTC day that holds p_hour, as rollup_fold_days computed it.
DROP FUNCTION IF EXISTS rollup_fold_followers(smallint, timestamptz);
CREATE OR REPLACE FUNCTION rollup_fold_followers(p_platform smallint, p_hour timestamptz, at_day date)
RETURNS void LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB'
AS $$
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
