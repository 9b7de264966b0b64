-- Adds a folded hour's channel and game rows to the days, the channels' day totals
-- (rollup_fold_day_totals) and the follower totals (rollup_fold_followers): the part of a fold
-- that needs only the hour tables.
CREATE OR REPLACE FUNCTION rollup_fold_days(p_platform smallint, p_hour timestamptz)
RETURNS void LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB'
AS $$
DECLARE
    at_day date := (p_hour AT TIME ZONE 'UTC')::date;
BEGIN
    -- GREATEST skips NULLs: a peak stays unknown only while every hour's is.
    INSERT INTO rollup_channel_days AS r (channel_id, day, game_id, language, platform_id,
                                          watched_ms, live_ms, counted_ms, peak_viewers)
    SELECT channel_id, at_day, game_id, language, platform_id, watched_ms, live_ms, counted_ms,
           peak_viewers
      FROM rollup_channel_hours WHERE hour = p_hour AND platform_id = p_platform
    ON CONFLICT (channel_id, day, game_id, language) DO UPDATE
       SET watched_ms = r.watched_ms + EXCLUDED.watched_ms, live_ms = r.live_ms + EXCLUDED.live_ms,
           counted_ms = r.counted_ms + EXCLUDED.counted_ms,
           peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers);

    PERFORM rollup_fold_day_totals(p_platform, p_hour, at_day);

    INSERT INTO rollup_game_days AS r
    SELECT game_id, at_day, platform_id, watched_ms, channel_ms, peak_viewers, peak_channels
      FROM rollup_game_hours WHERE hour = p_hour AND platform_id = p_platform
    ON CONFLICT (game_id, day) DO UPDATE
       SET watched_ms = r.watched_ms + EXCLUDED.watched_ms,
           channel_ms = r.channel_ms + EXCLUDED.channel_ms,
           peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers),
           peak_channels = GREATEST(r.peak_channels, EXCLUDED.peak_channels);

    PERFORM rollup_fold_followers(p_platform, p_hour, at_day);
END $$;
