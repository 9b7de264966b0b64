-- Streamscope schema, version 1.
--
-- Natural keys always include the platform; the platforms' own ids are opaque text.
-- Internal integer ids exist only to keep joins and the snapshot rows small.
-- Every index below names the query that needs it.
--
-- channels, streams, stream_states and snapshots have no foreign keys: they are written only by
-- the sweep writer (common/db/sweep_writer.cpp), which inserts only ids it has just joined, and a
-- foreign-key check costs about 3 microseconds a row (measured), as much as the insert itself.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE platforms (
    id   smallint PRIMARY KEY,
    name text NOT NULL UNIQUE
);
INSERT INTO platforms (id, name) VALUES (1, 'twitch'), (2, 'kick'), (3, 'youtube');

CREATE TABLE channels (
    id                   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform_id          smallint NOT NULL,
    platform_user_id     text NOT NULL,
    login                text NOT NULL,
    display_name         text NOT NULL,
    -- Profile fields: NULL until the collector has fetched the profile.
    description          text,
    profile_image_url    text,
    broadcaster_type     text,
    follower_count       bigint,
    account_created_at   timestamptz,
    profile_refreshed_at timestamptz,
    first_seen_at        timestamptz NOT NULL,
    -- Written when one of the channel's broadcasts starts or ends (not every sweep: rewriting
    -- 100,000 rows a sweep would cost more than the rest of the write path); while a broadcast
    -- is open the channel is live and its newest snapshot is newer.
    last_seen_at         timestamptz NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    -- The write path's upsert key.
    UNIQUE (platform_id, platform_user_id)
);

-- /channels/{platform}/{login}: logins are reused after renames, so this is not unique.
CREATE INDEX channels_login_idx ON channels (platform_id, login);
-- /search/channels: case-insensitive prefix and fuzzy match on login and display name. One
-- index over both names: a trigram index costs about 3 microseconds per inserted row.
CREATE INDEX channels_names_trgm_idx ON channels
    USING gin ((login || ' ' || display_name) gin_trgm_ops);

CREATE TABLE games (
    id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform_id      smallint NOT NULL REFERENCES platforms,
    platform_game_id text NOT NULL,
    name             text NOT NULL,
    box_art_url      text,
    igdb_id          text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    -- The write path's upsert key.
    UNIQUE (platform_id, platform_game_id)
);
-- /search/games and the game-name filters of /live/*.
CREATE INDEX games_name_trgm_idx ON games USING gin (name gin_trgm_ops);

-- One row per broadcast. title..thumbnail_url hold the broadcast's current state, in force
-- since state_since; stream_states keeps the states it had before. Snapshots repeat no text.
CREATE TABLE streams (
    id                 integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform_id        smallint NOT NULL,
    platform_stream_id text NOT NULL,
    channel_id         integer NOT NULL,
    started_at         timestamptz NOT NULL,
    language           text NOT NULL,
    is_mature          boolean NOT NULL DEFAULT false,
    title              text NOT NULL,
    game_id            integer,
    tags               text[] NOT NULL DEFAULT '{}',
    thumbnail_url      text NOT NULL DEFAULT '', -- a template with {width}x{height} on Twitch
    state_since        timestamptz NOT NULL,
    first_seen_at      timestamptz NOT NULL,
    -- The last sighting, set when the collector decides that the broadcast is over; NULL while
    -- it is open (its last sighting is then its newest snapshot).
    ended_at           timestamptz,
    -- The write path's upsert key.
    UNIQUE (platform_id, platform_stream_id)
);

-- /channels/{platform}/{login}/streams and /history: a channel's broadcasts, newest first.
CREATE INDEX streams_channel_idx ON streams (channel_id, started_at DESC);
-- The end-of-broadcast decision reads the broadcasts not yet ended.
CREATE INDEX streams_open_idx ON streams (platform_id) WHERE ended_at IS NULL;

-- The states a broadcast had before its current one: a row is written only when the state
-- changes, so a new broadcast costs no row here. A state holds from `since` until the next
-- row's since, or until streams.state_since for the newest row.
CREATE TABLE stream_states (
    stream_id     integer NOT NULL,
    since         timestamptz NOT NULL, -- the time of the sweep that first saw this state
    title         text NOT NULL,
    game_id       integer,
    tags          text[] NOT NULL,
    thumbnail_url text NOT NULL,
    -- The state in force at a snapshot older than streams.state_since: the row with the
    -- latest since <= collected_at.
    PRIMARY KEY (stream_id, since)
);

CREATE TABLE sweeps (
    id                 integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform_id        smallint NOT NULL REFERENCES platforms,
    started_at         timestamptz NOT NULL,
    finished_at        timestamptz NOT NULL,
    status             text NOT NULL CHECK (status IN ('complete', 'partial', 'failed')),
    pages              integer NOT NULL DEFAULT 0 CHECK (pages >= 0),
    requests           integer NOT NULL DEFAULT 0 CHECK (requests >= 0),
    retries            integer NOT NULL DEFAULT 0 CHECK (retries >= 0),
    streams_seen       integer NOT NULL DEFAULT 0 CHECK (streams_seen >= 0),
    duplicates_dropped integer NOT NULL DEFAULT 0 CHECK (duplicates_dropped >= 0),
    -- What could not be fetched, in words, for partial and failed sweeps.
    error              text,
    written_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (finished_at >= started_at),
    -- Idempotency key of the write path, and "the latest sweep of a platform".
    UNIQUE (platform_id, started_at)
);

-- The time series: one row per stream per sweep, 16 bytes of data so that a row costs about
-- 44 bytes of heap. Which sweep: the one of the stream's platform with started_at = collected_at.
-- Title and game: the stream's current state from streams.state_since on, before that the
-- stream_states row in force at collected_at. Rows of one sweep are written in stream_id order.
CREATE TABLE snapshots (
    collected_at timestamptz NOT NULL,
    stream_id    integer NOT NULL,
    viewer_count integer CHECK (viewer_count >= 0) -- NULL when the platform hides the count
) PARTITION BY RANGE (collected_at);

-- A stream's history (/channels/.../history). The key is a bucket of 16 stream ids rather
-- than the id itself: from the first sweep on, btree deduplication then keeps one key per
-- bucket with a list of row pointers (about 7 bytes a row instead of 20), and as a sweep is
-- written in stream_id order, a bucket's rows share heap pages. Queries must say
-- "stream_id / 16 = $1 / 16 AND stream_id = $1".
CREATE INDEX snapshots_stream_bucket_idx ON snapshots ((stream_id / 16));
-- Time-range scans: the latest sweep (/live/*) and /export/snapshots. Rows arrive in time
-- order, so a block-range index is exact enough and costs almost nothing.
CREATE INDEX snapshots_collected_at_idx ON snapshots USING brin (collected_at);

-- Daily partitions [day, day + 1) in UTC, named snapshots_pYYYYMMDD: ensure_snapshot_partitions
-- (sql/functions/) makes them, the first ones too.

-- The original design's two tables, as views for plain SQL users and BI tools (sql/views/).
CREATE SCHEMA compat;
