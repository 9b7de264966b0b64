-- Hidden viewer counts (YouTube lets a channel's owner hide the count; its snapshot's
-- viewer_count is NULL) are unknown in the channel and broadcast rollups, never 0.
--
-- Until now these rollups counted a hidden count as no viewers: it added nothing to watched_ms,
-- its span counted in live_ms, and the average (watched / live) was lowered by it, to 0 for a
-- channel whose every count was hidden, with a peak of 0. Each of their rows now also keeps
-- counted_ms, the part of live_ms during which the count was known: a channel's or broadcast's
-- average viewers is watched_ms / counted_ms (none when counted_ms is 0), hours streamed stay
-- live_ms, and peak_viewers is the largest known count, NULL when none was known. Game,
-- language and platform rows sum viewers, which add the counts there are: unchanged.
--
-- The day totals also keep the channel's running total of counted_ms before each day
-- (counted_before_ms, as 0011's watched_before_ms and live_before_ms), for the averages of
-- /stats/channels/rising over days. Their ranking index by average is on watched / counted
-- now, and those by average and by peak rank an unknown value last (NULLS LAST), as the API
-- does.
--
-- Rows written before this migration have counted_ms = live_ms: until now nothing was hidden
-- (Twitch and Kick always show the count; YouTube's collector has not stored a sweep yet), and
-- their peaks stay. The new columns are added with a default (no rewrite), then given their
-- value by ALTER COLUMN ... TYPE ... USING, which rewrites each table once, indexes included,
-- where an UPDATE would leave a dead copy of every row; the default goes again, so that no
-- write can leave them unset.

-- The day totals' indexes that change, dropped first: the rewrite would rebuild them.
DROP INDEX rollup_channel_day_totals_peak_idx;
DROP INDEX rollup_channel_day_totals_avg_idx;
DROP INDEX rollup_channel_day_totals_first_idx;
DROP INDEX rollup_channel_day_totals_last_idx;

ALTER TABLE rollup_channel_hours ADD COLUMN counted_ms bigint NOT NULL DEFAULT 0;
ALTER TABLE rollup_channel_hours
    ALTER COLUMN counted_ms TYPE bigint USING live_ms,
    ALTER COLUMN counted_ms DROP DEFAULT,
    ALTER COLUMN peak_viewers DROP NOT NULL;

ALTER TABLE rollup_channel_days ADD COLUMN counted_ms bigint NOT NULL DEFAULT 0;
ALTER TABLE rollup_channel_days
    ALTER COLUMN counted_ms TYPE bigint USING live_ms,
    ALTER COLUMN counted_ms DROP DEFAULT,
    ALTER COLUMN peak_viewers DROP NOT NULL;

ALTER TABLE rollup_broadcasts ADD COLUMN counted_ms bigint NOT NULL DEFAULT 0;
ALTER TABLE rollup_broadcasts
    ALTER COLUMN counted_ms TYPE bigint USING live_ms,
    ALTER COLUMN counted_ms DROP DEFAULT,
    ALTER COLUMN peak_viewers DROP NOT NULL;

-- The primary key carries the figures a ranking reads (0010): counted_ms joins them.
ALTER TABLE rollup_channel_day_totals
    ADD COLUMN counted_ms bigint NOT NULL DEFAULT 0,
    ADD COLUMN counted_before_ms bigint NOT NULL DEFAULT 0;
ALTER TABLE rollup_channel_day_totals
    DROP CONSTRAINT rollup_channel_day_totals_pkey,
    ALTER COLUMN counted_ms TYPE bigint USING live_ms,
    ALTER COLUMN counted_ms DROP DEFAULT,
    ALTER COLUMN counted_before_ms TYPE bigint USING live_before_ms,
    ALTER COLUMN counted_before_ms DROP DEFAULT,
    ALTER COLUMN peak_viewers DROP NOT NULL,
    ADD PRIMARY KEY (channel_id, day)
        INCLUDE (platform_id, watched_ms, live_ms, counted_ms, peak_viewers);

-- /stats/channels/top: each day's leaders by peak and by average (0005), unknown values last.
CREATE INDEX rollup_channel_day_totals_peak_idx
    ON rollup_channel_day_totals (day, peak_viewers DESC NULLS LAST)
    INCLUDE (channel_id, platform_id);
CREATE INDEX rollup_channel_day_totals_avg_idx
    ON rollup_channel_day_totals
       (day, (watched_ms::float8 / NULLIF(counted_ms, 0)) DESC NULLS LAST)
    INCLUDE (channel_id, platform_id);
-- The windows' edges (0011), with the running totals of counted_ms beside the others.
CREATE INDEX rollup_channel_day_totals_first_idx
    ON rollup_channel_day_totals (day, prev_day)
    INCLUDE (platform_id, channel_id, watched_before_ms, live_before_ms, counted_before_ms);
CREATE INDEX rollup_channel_day_totals_last_idx
    ON rollup_channel_day_totals (day, next_day)
    INCLUDE (platform_id, channel_id, watched_before_ms, live_before_ms, counted_before_ms,
             watched_ms, live_ms, counted_ms);
