-- /stats/channels/top?sort=hours_streamed and hours_watched over days, without a game or a
-- language (api/routes/stats.cpp), summed every channel of the window for hours streamed
-- (258 ms over 30 days with a day of 100,000 channels in it).
--
-- For the windows of window=7d, 30d and 90d (the days [today - n, today]), the fold job keeps
-- the best 100 channels of each (rollup_channel_leaderboards), valid for as long as the day
-- totals they were ranked from stay the same (rollup_day_version); the API then sums only
-- those channels. For other windows: a channel whose total over n days reaches T has a day of
-- at least T/n. The API takes T from the channels that lead some day (the limit-th best of
-- their totals, which the answer's last row reaches at least) and sums only the channels with
-- such a day, found in this index (hours watched: in 0005's).
CREATE INDEX rollup_channel_day_totals_live_idx
    ON rollup_channel_day_totals (day, live_ms DESC) INCLUDE (channel_id, platform_id);

-- The candidates' figures are their days' sums: read from the primary key alone (an index-only
-- scan) once it carries them; 48 -> 34 ms p50 for a 30-day window that no leaderboard holds,
-- in bench-stats' world. Costs no HOT updates: the fold's updates change these columns, which
-- the per-key indexes hold already.
ALTER TABLE rollup_channel_day_totals
    DROP CONSTRAINT rollup_channel_day_totals_pkey,
    ADD PRIMARY KEY (channel_id, day) INCLUDE (platform_id, watched_ms, live_ms, peak_viewers);

-- Bumped by every statement that writes rollup_channel_day_totals (folds, rebuilds, expiry).
CREATE TABLE rollup_day_version (
    id      boolean PRIMARY KEY DEFAULT true CHECK (id),
    version bigint NOT NULL
);
INSERT INTO rollup_day_version VALUES (true, 0);

CREATE FUNCTION rollup_day_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE rollup_day_version SET version = version + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER rollup_channel_day_totals_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rollup_channel_day_totals
    FOR EACH STATEMENT EXECUTE FUNCTION rollup_day_version_bump();

-- The best 100 channels by `sort` over the days [from_day, to_day) on `platform` ('': all), by
-- the totals of rollup_day_version `version`, best first (ties: lower channel id first).
CREATE TABLE rollup_channel_leaderboards (
    from_day    date NOT NULL,
    to_day      date NOT NULL,
    platform    text NOT NULL,
    sort        text NOT NULL CHECK (sort IN ('hours_watched', 'hours_streamed')),
    version     bigint NOT NULL,
    channel_ids integer[] NOT NULL,
    PRIMARY KEY (from_day, to_day, platform, sort)
);

-- Ranks the windows of 7, 30 and 90 days that end with p_today again, unless the leaderboards
-- are of these windows and of the current day totals already. Returns whether it ranked. One
-- statement, so the version stored is the one of the totals read.
CREATE FUNCTION rollup_refresh_leaderboards(p_today date) RETURNS boolean LANGUAGE plpgsql
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
