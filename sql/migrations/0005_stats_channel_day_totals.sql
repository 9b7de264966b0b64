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
