-- YouTube cannot be swept whole: the Data API lists no "every live stream" and allows 10,000
-- quota units a day. The collector follows a watchlist of channels, finds their new videos in
-- their feeds (no quota), and asks videos.list about the candidates, 50 for a unit.

-- The watchlist. handle: channels.list's customUrl without its "@", lower case (NULL until
-- known); source: who put the channel here (the `youtube add` command, YOUTUBE_CHANNELS, or
-- discovery through search.list).
CREATE TABLE youtube_channels (
    channel_id     text PRIMARY KEY CHECK (channel_id ~ '^UC[A-Za-z0-9_-]{22}$'),
    handle         text,
    title          text,
    source         text NOT NULL CHECK (source IN ('command', 'setting', 'discovered')),
    added_at       timestamptz NOT NULL DEFAULT now(),
    feed_polled_at timestamptz,               -- its feed's (or uploads playlist's) last answer
    feed_failures  integer NOT NULL DEFAULT 0 -- feed failures in a row
);
CREATE INDEX youtube_channels_handle_idx ON youtube_channels (handle);

-- The videos of watched channels that the collector has found, and where each is in its life:
-- new (found, not asked yet), upcoming, live, ended, not_a_broadcast (an upload), gone
-- (videos.list leaves it out: deleted or private). The sweep asks about new, live and upcoming
-- ones; the others are kept so that a feed listing them again costs nothing. A channel taken off
-- the watchlist takes its videos with it, also those a feed poll found while it was removed.
CREATE TABLE youtube_videos (
    video_id        text PRIMARY KEY,
    channel_id      text NOT NULL REFERENCES youtube_channels ON DELETE CASCADE,
    phase           text NOT NULL CHECK (phase IN ('new', 'upcoming', 'live', 'ended',
                                                   'not_a_broadcast', 'gone')),
    scheduled_start timestamptz,
    found_at        timestamptz NOT NULL DEFAULT now(),
    checked_at      timestamptz
);
CREATE INDEX youtube_videos_asked_idx ON youtube_videos (phase, scheduled_start)
    WHERE phase IN ('new', 'upcoming', 'live');
CREATE INDEX youtube_videos_channel_idx ON youtube_videos (channel_id);

-- The quota ledger, shared by every collector on the database: units spent per quota day
-- (midnight to midnight, America/Los_Angeles, as YouTube counts) and method. search.list has a
-- bucket of its own; the other methods share one. 'elsewhere': what YouTube said was spent by
-- another application on the same key (a quotaExceeded answer before our ledger was full).
CREATE TABLE youtube_quota (
    day    date NOT NULL,
    method text NOT NULL,
    units  bigint NOT NULL DEFAULT 0 CHECK (units >= 0),
    PRIMARY KEY (day, method)
);
