-- What changed between two sweeps of a platform: the outbox of the live feed (/live/events,
-- /live/ws) and of webhooks. The collector derives a sweep's events in memory from the sweep
-- and the one before it (collector/events/) and writes them in the sweep's own transaction,
-- so that a stored sweep always has its events and a sweep written twice has them once.
--
-- Ids are handed out under a transaction-level advisory lock held to the commit
-- (hashtext('streamscope_events')): events commit in id order across platforms, so a reader
-- that has seen id N has seen every event before it and may resume from N.
CREATE TABLE events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform_id smallint NOT NULL REFERENCES platforms,
    sweep_id    integer NOT NULL,
    at          timestamptz NOT NULL, -- the sweep's time (its snapshots' collected_at)
    type        text NOT NULL CHECK (type IN ('stream.live', 'stream.ended', 'stream.changed',
                                              'top.entered', 'top.left', 'viewers.crossed',
                                              'game.trending')),
    -- What feeds filter on without reading `data`: the stream's username, its game, and its
    -- viewers at the event (NULL: hidden, or not a stream's event).
    channel     text NOT NULL DEFAULT '',
    game_id     text NOT NULL DEFAULT '',
    game_name   text NOT NULL DEFAULT '',
    viewers     integer,
    data        text NOT NULL -- the event's "data" object, JSON
);
-- Expiry (EVENTS_RETENTION_HOURS) deletes the oldest; resuming reads by id.
CREATE INDEX events_at_idx ON events USING brin (at);
