-- Ranks the windows of 7, 30 and 90 days that end with p_today again (the best 100 channels of
-- each by hours watched and by hours streamed, per platform and for all: the API sums only
-- those for window=7d, 30d and 90d), unless the leaderboards are of these windows and of the
-- current day totals already. Returns whether it ranked. One statement, so the version stored
-- is the one of the totals read.
CREATE OR REPLACE FUNCTION rollup_refresh_leaderboards(p_today date) RETURNS boolean
LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB'
AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('streamscope.rollups.leaderboards'));
    IF EXISTS (SELECT 1 FROM rollup_channel_leaderboards l
                 JOIN rollup_day_version v ON v.version = l.version
                WHERE l.to_day = p_today + 1) THEN
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
    RETURN true;
END $$;
