-- /stats/channels/rising?sort=followers over hours (api/routes/stats.cpp) looked up two
-- follower totals for each qualifying channel of the window (2,600 channels: 60 ms).
--
-- A channel's follower gain over a window is its last total in it minus its total before it.
-- prev_followers is that total before, as it was when the row was written (NULL: the
-- channel's first total), so every channel's gain comes from the window's rows alone, read
-- from this index, and the ranking walks the channels by gain until enough qualify.
ALTER TABLE channel_follower_days ADD COLUMN prev_followers bigint;
UPDATE channel_follower_days d SET prev_followers = p.prev
  FROM (SELECT channel_id, day,
               lag(followers) OVER (PARTITION BY channel_id ORDER BY day) AS prev
          FROM channel_follower_days) p
 WHERE p.channel_id = d.channel_id AND p.day = d.day AND p.prev IS NOT NULL;
CREATE INDEX channel_follower_days_day_idx
    ON channel_follower_days (day) INCLUDE (channel_id, followers, prev_followers);
