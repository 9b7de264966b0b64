-- /stats/channels/rising over days (api/routes/stats.cpp) summed every row of both windows per
-- channel: p95 120 ms over 14 days in bench-stats' world of 5,000 channels (124,000 rows; 72
-- ms in one pass), and the more days a window has, the more rows per channel.
--
-- Each channel's day now also knows the channel's next day ('infinity': none yet) and the
-- channel's hours watched and streamed over all its earlier days (its running totals). A
-- channel's sum over a range of days is then the running total after its last day in the
-- range minus the one before its first day in the range: the row whose previous day lies before
-- the range and the one whose next day lies after it, at most two rows per channel and range,
-- whatever the range's length. Exact: integer sums.
ALTER TABLE rollup_channel_day_totals
    ADD COLUMN next_day date NOT NULL DEFAULT 'infinity',
    ADD COLUMN watched_before_ms bigint NOT NULL DEFAULT 0,
    ADD COLUMN live_before_ms bigint NOT NULL DEFAULT 0;

-- The first rows of a range are, on each of its days, the index entries before the range's
-- first day: one short index range scan per day finds them (the live-channel count of
-- /stats/summary counts them; /stats/channels/rising reads their running totals). Replaces
-- 0005's index of the count. The last rows likewise, by their next day, with the day's own
-- sums to end the running totals with.
DROP INDEX rollup_channel_day_totals_first_idx;
CREATE INDEX rollup_channel_day_totals_first_idx
    ON rollup_channel_day_totals (day, prev_day)
    INCLUDE (platform_id, channel_id, watched_before_ms, live_before_ms);
CREATE INDEX rollup_channel_day_totals_last_idx
    ON rollup_channel_day_totals (day, next_day)
    INCLUDE (platform_id, channel_id, watched_before_ms, live_before_ms, watched_ms, live_ms);

-- The rows written before this migration get their links and running totals, each from the
-- channel's other days, and every channel its last day: what rollup_channel_day_links (in
-- sql/functions/; it replaces 0005's rollup_channel_prev_days) keeps from here on.
DROP FUNCTION IF EXISTS rollup_channel_prev_days(date);
UPDATE rollup_channel_day_totals t
   SET prev_day = COALESCE((SELECT max(o.day) FROM rollup_channel_day_totals o
                             WHERE o.channel_id = t.channel_id AND o.day < t.day), '-infinity'),
       next_day = COALESCE((SELECT min(o.day) FROM rollup_channel_day_totals o
                             WHERE o.channel_id = t.channel_id AND o.day > t.day), 'infinity'),
       (watched_before_ms, live_before_ms) =
           (SELECT COALESCE(sum(o.watched_ms), 0), COALESCE(sum(o.live_ms), 0)
              FROM rollup_channel_day_totals o
             WHERE o.channel_id = t.channel_id AND o.day < t.day);
DELETE FROM rollup_channel_last_days;
INSERT INTO rollup_channel_last_days
SELECT channel_id, max(day) FROM rollup_channel_day_totals GROUP BY channel_id;

-- /stats/channels/rising?sort=followers over days ranks every qualifying channel (a day window
-- holds most channels in both halves) by its follower gain: the window's last total minus the
-- total before its first (prev_followers, 0009). Each total now also knows the channel's
-- previous and next day with a total, so that the window's first and last totals of every
-- channel are found as the day totals' edges are, a short index range scan per day, instead of
-- summing every total of the window.
ALTER TABLE channel_follower_days
    ADD COLUMN prev_day date NOT NULL DEFAULT '-infinity',
    ADD COLUMN next_day date NOT NULL DEFAULT 'infinity';
UPDATE channel_follower_days d SET prev_day = x.prev_day, next_day = x.next_day
  FROM (SELECT channel_id, day,
               COALESCE(lag(day) OVER w, '-infinity') AS prev_day,
               COALESCE(lead(day) OVER w, 'infinity') AS next_day
          FROM channel_follower_days
        WINDOW w AS (PARTITION BY channel_id ORDER BY day)) x
 WHERE d.channel_id = x.channel_id AND d.day = x.day
   AND (d.prev_day, d.next_day) IS DISTINCT FROM (x.prev_day, x.next_day);
CREATE INDEX channel_follower_days_first_idx
    ON channel_follower_days (day, prev_day) INCLUDE (channel_id, prev_followers);
CREATE INDEX channel_follower_days_last_idx
    ON channel_follower_days (day, next_day) INCLUDE (channel_id, followers);
