-- Rollups per channel leave the sweep's path.
--
-- Until now each sweep's rollup upserted a row per live channel into rollup_channel_hours
-- (about 0.7 s at 100,000 channels, twelve times an hour), and the sweep that completed an
-- hour also folded it into the day tables, follower totals and broadcasts (4 s more). Now:
-- - a sweep's rollup adds it to the game, language and platform hours (tens of rows: what is
--   live now stays current to the sweep);
-- - the collector folds each complete hour in a job of its own (rollup_fold_pending, in
--   sql/functions/, on its own connection, so the next sweep never waits for it): one pass
--   over the hour's snapshots gives each broadcast's figures, from which come the channel's
--   hour (and the broadcasts' rollup), then the days, day totals and follower totals as in
--   0005.
-- Channel figures therefore cover complete hours: the current one joins them when it ends.
-- The definitions of 0003 are unchanged, and so is every figure of a complete hour.
--
-- Each platform hour says whether it is folded: readers of the day tables count exactly the
-- hours that are in them (before, the API assumed all but the newest hour were), and the fold
-- job finds its work without a queue of its own.
ALTER TABLE rollup_platform_hours ADD COLUMN folded_at timestamptz;
-- The hours 0003's synchronous fold has folded: those whose sweeps are all rolled up and
-- that a later sweep follows.
UPDATE rollup_platform_hours h SET folded_at = now()
 WHERE NOT EXISTS (SELECT 1 FROM sweeps w
                    WHERE w.platform_id = h.platform_id AND w.started_at >= h.hour
                      AND w.started_at < h.hour + interval '1 hour' AND w.rolled_up_at IS NULL)
   AND EXISTS (SELECT 1 FROM sweeps l
                WHERE l.platform_id = h.platform_id AND l.started_at >= h.hour + interval '1 hour');
-- The channels' rows of hours not folded yet came from 0003's per-sweep rollups: the fold
-- now makes them whole from the hour's snapshots.
DELETE FROM rollup_channel_hours c USING rollup_platform_hours h
 WHERE h.folded_at IS NULL AND c.platform_id = h.platform_id AND c.hour = h.hour;
-- The fold job's question: which hours wait for it.
CREATE INDEX rollup_platform_hours_unfolded_idx
    ON rollup_platform_hours (platform_id, hour) WHERE folded_at IS NULL;

-- The fold rewrites a live channel's day row and a live broadcast's row every hour: room on
-- each page lets PostgreSQL do that in place (their indexed columns do not change).
-- rollup_channel_day_totals cannot: its ranking keys are indexed.
ALTER TABLE rollup_channel_days SET (fillfactor = 70);
ALTER TABLE rollup_game_days SET (fillfactor = 70);
ALTER TABLE rollup_broadcasts SET (fillfactor = 70);
