-- /stats/channels/top?sort=followers walks the channels in follower order until enough of them
-- were live in the window (api/routes/stats.cpp), instead of summing every channel of the
-- window and sorting: 483 ms over 30 days with 100,000 channels, a few ms this way.
-- NULLS LAST and id: the ranking's own order, so that the walk needs no sort.
CREATE INDEX channels_followers_idx ON channels (follower_count DESC NULLS LAST, id);
