-- Rollups: what the /stats routes read, kept up to date after each sweep and rebuildable from
-- the raw snapshots for any range (streamscope-collector rollup --from --to). The functions that
-- keep and rebuild them are in sql/functions/ (rollup_*.sql).
--
-- Definitions (README, "Statistics: what the numbers mean"):
-- - A snapshot stands for its sweep's span: from its sweep to the platform's next sweep, at most
--   30 minutes. A sweep that is missing therefore neither counts as zero viewers (the previous
--   snapshot holds until the next sweep) nor doubles any time (each moment is counted once).
--   A sweep is rolled up once its successor exists, since only then is its span known.
-- - Watched time = viewers x span; live time = span. Hours watched and hours streamed are their
--   sums; average viewers = watched / live; peak = the largest value in one sweep.
-- - A channel's figures in a sweep add up its broadcasts there (two at once still count the
--   span once as live time).
-- - The game, language and platform hours follow each sweep; the channels' hours, the days,
--   follower totals and broadcasts follow each complete hour (0007).
-- Times are integers (milliseconds; viewer-milliseconds) so that sums are exact: the incremental
-- result equals a rebuild bit for bit. Hours and days are UTC.

ALTER TABLE sweeps ADD COLUMN rolled_up_at timestamptz;
-- The sweeps still to roll up, per platform.
CREATE INDEX sweeps_not_rolled_up_idx ON sweeps (platform_id, started_at) WHERE rolled_up_at IS NULL;

-- Rows are updated a dozen times an hour: free space on each page lets PostgreSQL update
-- them in place (no index changes).
-- A channel's hour per game and language it streamed in (usually one row), so that the
-- channel rankings can be narrowed to a game or a language. game_id 0: no category.
CREATE TABLE rollup_channel_hours (
    channel_id   integer NOT NULL,
    hour         timestamptz NOT NULL,
    game_id      integer NOT NULL,
    language     text NOT NULL,
    platform_id  smallint NOT NULL,
    watched_ms   bigint NOT NULL,
    live_ms      bigint NOT NULL,
    peak_viewers integer NOT NULL,
    PRIMARY KEY (channel_id, hour, game_id, language)
) WITH (fillfactor = 70);
-- /stats/channels/* and /stats/heatmap over a window.
CREATE INDEX rollup_channel_hours_hour_idx ON rollup_channel_hours (hour);

CREATE TABLE rollup_channel_days (
    channel_id   integer NOT NULL,
    day          date NOT NULL,
    game_id      integer NOT NULL,
    language     text NOT NULL,
    platform_id  smallint NOT NULL,
    watched_ms   bigint NOT NULL,
    live_ms      bigint NOT NULL,
    peak_viewers integer NOT NULL,
    PRIMARY KEY (channel_id, day, game_id, language)
);
CREATE INDEX rollup_channel_days_day_idx ON rollup_channel_days (day);

-- The follower total a channel had on a day (the last one seen that day). Not rebuilt: raw
-- snapshots do not hold follower totals.
CREATE TABLE channel_follower_days (
    channel_id integer NOT NULL,
    day        date NOT NULL,
    followers  bigint NOT NULL,
    PRIMARY KEY (channel_id, day)
);

-- Games: channel_ms is channel-time (two channels for an hour: two hours), peak_channels the
-- most channels in one sweep.
CREATE TABLE rollup_game_hours (
    game_id       integer NOT NULL,
    hour          timestamptz NOT NULL,
    platform_id   smallint NOT NULL,
    watched_ms    bigint NOT NULL,
    channel_ms    bigint NOT NULL,
    peak_viewers  bigint NOT NULL,
    peak_channels integer NOT NULL,
    PRIMARY KEY (game_id, hour)
) WITH (fillfactor = 70);
CREATE INDEX rollup_game_hours_hour_idx ON rollup_game_hours (hour);

CREATE TABLE rollup_game_days (
    game_id       integer NOT NULL,
    day           date NOT NULL,
    platform_id   smallint NOT NULL,
    watched_ms    bigint NOT NULL,
    channel_ms    bigint NOT NULL,
    peak_viewers  bigint NOT NULL,
    peak_channels integer NOT NULL,
    PRIMARY KEY (game_id, day)
);
CREATE INDEX rollup_game_days_day_idx ON rollup_game_days (day);

CREATE TABLE rollup_language_hours (
    platform_id   smallint NOT NULL,
    language      text NOT NULL,
    hour          timestamptz NOT NULL,
    watched_ms    bigint NOT NULL,
    channel_ms    bigint NOT NULL,
    peak_viewers  bigint NOT NULL,
    peak_channels integer NOT NULL,
    PRIMARY KEY (platform_id, language, hour)
) WITH (fillfactor = 70);
CREATE INDEX rollup_language_hours_hour_idx ON rollup_language_hours (hour);

-- covered_ms: the time the hour's sweeps stand for (less than an hour when the collector was
-- away): the denominator of average concurrent viewers.
CREATE TABLE rollup_platform_hours (
    platform_id   smallint NOT NULL,
    hour          timestamptz NOT NULL,
    covered_ms    bigint NOT NULL,
    watched_ms    bigint NOT NULL,
    channel_ms    bigint NOT NULL,
    peak_viewers  bigint NOT NULL,
    peak_channels integer NOT NULL,
    PRIMARY KEY (platform_id, hour)
) WITH (fillfactor = 70);
CREATE INDEX rollup_platform_hours_hour_idx ON rollup_platform_hours (hour);

-- One row per broadcast. The games it played are in streams and stream_states.
CREATE TABLE rollup_broadcasts (
    stream_id    integer PRIMARY KEY,
    channel_id   integer NOT NULL,
    platform_id  smallint NOT NULL,
    watched_ms   bigint NOT NULL,
    live_ms      bigint NOT NULL,
    peak_viewers integer NOT NULL,
    snapshots    integer NOT NULL,
    first_at     timestamptz NOT NULL,
    last_at      timestamptz NOT NULL
);
CREATE INDEX rollup_broadcasts_channel_idx ON rollup_broadcasts (channel_id, first_at DESC);
