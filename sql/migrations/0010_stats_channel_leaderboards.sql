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

-- Bumped by every statement that writes rollup_channel_day_totals (folds, rebuilds, expiry):
-- the trigger of sql/functions/rollup_day_version_bump.sql.
CREATE TABLE rollup_day_version (
    id      boolean PRIMARY KEY DEFAULT true CHECK (id),
    version bigint NOT NULL
);
INSERT INTO rollup_day_version VALUES (true, 0);

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
