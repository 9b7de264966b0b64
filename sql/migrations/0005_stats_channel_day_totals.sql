-- Long-window channel figures without reading every channel-day: /stats/summary,
-- /stats/channels/top and /stats/channels/rising over 7 days or more (api/routes/stats.cpp).
--
-- rollup_channel_days keeps a channel's day per game and language (so that the rankings can be
-- narrowed to either); unnarrowed questions only need the channel's day as one row. This table
-- is that row: the sums of the channel's rollup_channel_days rows of the day (so every figure
-- the API derives from it equals the one derived from rollup_channel_days), kept by the same
-- hour fold, plus:
-- - prev_day, the channel's previous day with a row ('-infinity': none), so that the number of
--   distinct channels live in a range of days is a count of rows (a channel counts on its first
--   day in the range: the row whose prev_day lies before it) instead of a DISTINCT over all;
-- - one index per ranking key, (day, key DESC), from which the API reads each day's leaders
--   to rank a window exactly without aggregating every channel (see channels_top in stats.cpp).
CREATE TABLE rollup_channel_day_totals (
    channel_id   integer NOT NULL,
    day          date NOT NULL,
    platform_id  smallint NOT NULL,
    watched_ms   bigint NOT NULL,
    live_ms      bigint NOT NULL,
    peak_viewers integer NOT NULL,
    prev_day     date NOT NULL,
    PRIMARY KEY (channel_id, day)
);
-- /stats/summary: channels live in a range of days, one range scan per day.
CREATE INDEX rollup_channel_day_totals_first_idx
    ON rollup_channel_day_totals (day, prev_day) INCLUDE (platform_id);
-- /stats/channels/top: each day's leaders per sort key (hours_watched, peak_viewers,
-- avg_viewers; NULLS FIRST as ORDER BY ... DESC sorts an average over nothing). Not
-- hours_streamed: many channels stream the same whole hours (or all day), and a ranking whose
-- leaders tie cannot be settled from them, so it ranks every channel anyway.
CREATE INDEX rollup_channel_day_totals_watched_idx
    ON rollup_channel_day_totals (day, watched_ms DESC) INCLUDE (channel_id, platform_id);
CREATE INDEX rollup_channel_day_totals_peak_idx
    ON rollup_channel_day_totals (day, peak_viewers DESC) INCLUDE (channel_id, platform_id);
CREATE INDEX rollup_channel_day_totals_avg_idx
    ON rollup_channel_day_totals (day, (watched_ms::float8 / NULLIF(live_ms, 0)) DESC NULLS FIRST)
    INCLUDE (channel_id, platform_id);

-- /stats/channels/top?game=...: the game's rows of a range of days, instead of every row of
-- the range filtered. Key columns only, so that the fold's updates stay possible in place.
CREATE INDEX rollup_channel_days_game_idx ON rollup_channel_days (game_id, day);

-- Each channel's latest day in rollup_channel_day_totals: the previous day of its next one.
CREATE TABLE rollup_channel_last_days (
    channel_id integer PRIMARY KEY,
    day        date NOT NULL
);

-- A deployed database has its rollup_channel_days already: the totals from them.
INSERT INTO rollup_channel_day_totals
SELECT channel_id, day, platform_id, watched_ms, live_ms, peak_viewers,
       COALESCE(lag(day) OVER (PARTITION BY channel_id ORDER BY day), '-infinity')
  FROM (SELECT channel_id, day, min(platform_id) AS platform_id, sum(watched_ms) AS watched_ms,
               sum(live_ms) AS live_ms, max(peak_viewers) AS peak_viewers
          FROM rollup_channel_days GROUP BY channel_id, day) d;
INSERT INTO rollup_channel_last_days
SELECT channel_id, max(day) FROM rollup_channel_day_totals GROUP BY channel_id;

-- Recomputes prev_day for the rows from p_from on, and every channel's last day (after a
-- rebuild of days from p_from, whose rows may differ: raw snapshots can be gone where rollups
-- are kept).
CREATE FUNCTION rollup_channel_prev_days(p_from date) RETURNS void LANGUAGE sql AS $$
    UPDATE rollup_channel_day_totals t SET prev_day = x.prev_day
      FROM (SELECT channel_id, day,
                   COALESCE(lag(day) OVER (PARTITION BY channel_id ORDER BY day),
                            '-infinity') AS prev_day
              FROM rollup_channel_day_totals
             WHERE channel_id IN (SELECT channel_id FROM rollup_channel_day_totals
                                   WHERE day >= p_from)) x
     WHERE t.channel_id = x.channel_id AND t.day = x.day AND t.day >= p_from
       AND t.prev_day IS DISTINCT FROM x.prev_day;
    DELETE FROM rollup_channel_last_days;
    INSERT INTO rollup_channel_last_days
    SELECT channel_id, max(day) FROM rollup_channel_day_totals GROUP BY channel_id;
$$;

-- As in 0003, and the hour's channel rows also added to rollup_channel_day_totals.
CREATE OR REPLACE FUNCTION rollup_fold_hour(p_platform smallint, p_hour timestamptz,
                                            with_broadcasts boolean)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    at_day date := (p_hour AT TIME ZONE 'UTC')::date;
BEGIN
    INSERT INTO rollup_channel_days AS r
    SELECT channel_id, at_day, game_id, language, platform_id, watched_ms, live_ms, peak_viewers
      FROM rollup_channel_hours WHERE hour = p_hour AND platform_id = p_platform
    ON CONFLICT (channel_id, day, game_id, language) DO UPDATE
       SET watched_ms = r.watched_ms + EXCLUDED.watched_ms, live_ms = r.live_ms + EXCLUDED.live_ms,
           peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers);

    -- The channel's previous day comes from rollup_channel_last_days by an equality join (a
    -- look-up per channel in rollup_channel_day_totals could be planned as a scan per channel
    -- when the table was small, and the first sweep of 100,000 streams would take minutes).
    -- Every sub-statement sees the last days as they were before this one.
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

    INSERT INTO channel_follower_days AS r
    SELECT DISTINCT ON (c.id) c.id, at_day, c.follower_count
      FROM rollup_channel_hours h JOIN channels c ON c.id = h.channel_id
     WHERE h.hour = p_hour AND h.platform_id = p_platform AND c.follower_count IS NOT NULL
    ON CONFLICT (channel_id, day) DO UPDATE SET followers = EXCLUDED.followers;

    IF with_broadcasts THEN
        INSERT INTO rollup_broadcasts AS r
        SELECT s.stream_id, st.channel_id, p_platform,
               sum(COALESCE(s.viewer_count, 0) * sp.span_ms), sum(sp.span_ms),
               max(COALESCE(s.viewer_count, 0)), count(*), min(s.collected_at),
               max(s.collected_at)
          FROM (SELECT w.started_at,
                       LEAST(floor(extract(epoch FROM
                                 (SELECT min(n.started_at) FROM sweeps n
                                   WHERE n.platform_id = p_platform
                                     AND n.started_at > w.started_at) - w.started_at) * 1000)::bigint,
                             rollup_max_span_ms()) AS span_ms
                  FROM sweeps w
                 WHERE w.platform_id = p_platform AND w.started_at >= p_hour
                   AND w.started_at < p_hour + interval '1 hour'
                   AND w.rolled_up_at IS NOT NULL) sp
          JOIN snapshots s ON s.collected_at = sp.started_at
          JOIN streams st ON st.id = s.stream_id AND st.platform_id = p_platform
         GROUP BY s.stream_id, st.channel_id
        ON CONFLICT (stream_id) DO UPDATE
           SET watched_ms = r.watched_ms + EXCLUDED.watched_ms,
               live_ms = r.live_ms + EXCLUDED.live_ms,
               peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers),
               snapshots = r.snapshots + EXCLUDED.snapshots,
               first_at = LEAST(r.first_at, EXCLUDED.first_at),
               last_at = GREATEST(r.last_at, EXCLUDED.last_at);
    END IF;
END $$;

-- As in 0003, and the range's rollup_channel_day_totals deleted too (the caller recomputes
-- prev_day with rollup_channel_prev_days once the range is rolled up again).
CREATE OR REPLACE FUNCTION rollup_rebuild_reset(p_from date, p_to date)
RETURNS SETOF integer LANGUAGE plpgsql AS $$
DECLARE
    t_from timestamptz := p_from::timestamp AT TIME ZONE 'UTC';
    t_to   timestamptz := p_to::timestamp AT TIME ZONE 'UTC';
BEGIN
    DELETE FROM rollup_channel_hours WHERE hour >= t_from AND hour < t_to;
    DELETE FROM rollup_channel_days WHERE day >= p_from AND day < p_to;
    DELETE FROM rollup_channel_day_totals WHERE day >= p_from AND day < p_to;
    DELETE FROM rollup_game_hours WHERE hour >= t_from AND hour < t_to;
    DELETE FROM rollup_game_days WHERE day >= p_from AND day < p_to;
    DELETE FROM rollup_language_hours WHERE hour >= t_from AND hour < t_to;
    DELETE FROM rollup_platform_hours WHERE hour >= t_from AND hour < t_to;
    DELETE FROM rollup_broadcasts
     WHERE stream_id IN (SELECT stream_id FROM snapshots
                          WHERE collected_at >= t_from AND collected_at < t_to);
    UPDATE sweeps SET rolled_up_at = NULL WHERE started_at >= t_from AND started_at < t_to;
    RETURN QUERY SELECT id FROM sweeps WHERE started_at >= t_from AND started_at < t_to
                  ORDER BY started_at;
END $$;
