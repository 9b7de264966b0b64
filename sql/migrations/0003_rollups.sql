-- Rollups: what the /stats routes read, kept up to date after each sweep and rebuildable from
-- the raw snapshots for any range (streamscope-collector rollup --from --to).
--
-- Definitions (docs: README, "Rollups"):
-- - A snapshot stands for its sweep's span: from its sweep to the platform's next sweep, at most
--   30 minutes. A sweep that is missing therefore neither counts as zero viewers (the previous
--   snapshot holds until the next sweep) nor doubles any time (each moment is counted once).
--   A sweep is rolled up once its successor exists, since only then is its span known.
-- - Watched time = viewers x span; live time = span. Hours watched and hours streamed are their
--   sums; average viewers = watched / live; peak = the largest value in one sweep.
-- - A channel's figures in a sweep add up its broadcasts there (two at once still count the
--   span once as live time).
-- - Hour rollups follow each sweep; day rollups, follower totals and broadcasts follow each
--   completed hour.
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

-- The longest span one snapshot stands for: beyond it the collector was away, and what
-- happened meanwhile is unknown rather than held.
CREATE FUNCTION rollup_max_span_ms() RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT 1800000::bigint';

-- Adds an hour's rows to the day rollups, the follower totals and (when with_broadcasts) the
-- broadcasts, once the hour's last sweep is rolled up. Per hour rather than per sweep: these
-- touch a row per channel or broadcast, and twelve times fewer updates keep a sweep's rollup
-- within a second at 100,000 streams.
CREATE FUNCTION rollup_fold_hour(p_platform smallint, p_hour timestamptz, with_broadcasts boolean)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    at_day date := (p_hour AT TIME ZONE 'UTC')::date;
BEGIN
    INSERT INTO rollup_channel_days AS r
    SELECT channel_id, at_day, game_id, language, platform_id, watched_ms, live_ms, peak_viewers
      FROM rollup_channel_hours WHERE hour = p_hour AND platform_id = p_platform
    ON CONFLICT (channel_id, day, game_id, language) DO UPDATE
       SET watched_ms = r.watched_ms + EXCLUDED.watched_ms, live_ms = r.live_ms + EXCLUDED.live_ms,
           peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers);

    INSERT INTO rollup_game_days AS r
    SELECT game_id, at_day, platform_id, watched_ms, channel_ms, peak_viewers, peak_channels
      FROM rollup_game_hours WHERE hour = p_hour AND platform_id = p_platform
    ON CONFLICT (game_id, day) DO UPDATE
       SET watched_ms = r.watched_ms + EXCLUDED.watched_ms,
           channel_ms = r.channel_ms + EXCLUDED.channel_ms,
           peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers),
           peak_channels = GREATEST(r.peak_channels, EXCLUDED.peak_channels);

    INSERT INTO channel_follower_days AS r
    SELECT DISTINCT ON (c.id) c.id, at_day, c.follower_count
      FROM rollup_channel_hours h JOIN channels c ON c.id = h.channel_id
     WHERE h.hour = p_hour AND h.platform_id = p_platform AND c.follower_count IS NOT NULL
    ON CONFLICT (channel_id, day) DO UPDATE SET followers = EXCLUDED.followers;

    IF with_broadcasts THEN
        INSERT INTO rollup_broadcasts AS r
        SELECT s.stream_id, st.channel_id, p_platform,
               sum(COALESCE(s.viewer_count, 0) * sp.span_ms), sum(sp.span_ms),
               max(COALESCE(s.viewer_count, 0)), count(*), min(s.collected_at),
               max(s.collected_at)
          FROM (SELECT w.started_at,
                       LEAST(floor(extract(epoch FROM
                                 (SELECT min(n.started_at) FROM sweeps n
                                   WHERE n.platform_id = p_platform
                                     AND n.started_at > w.started_at) - w.started_at) * 1000)::bigint,
                             rollup_max_span_ms()) AS span_ms
                  FROM sweeps w
                 WHERE w.platform_id = p_platform AND w.started_at >= p_hour
                   AND w.started_at < p_hour + interval '1 hour'
                   AND w.rolled_up_at IS NOT NULL) sp
          JOIN snapshots s ON s.collected_at = sp.started_at
          JOIN streams st ON st.id = s.stream_id AND st.platform_id = p_platform
         GROUP BY s.stream_id, st.channel_id
        ON CONFLICT (stream_id) DO UPDATE
           SET watched_ms = r.watched_ms + EXCLUDED.watched_ms,
               live_ms = r.live_ms + EXCLUDED.live_ms,
               peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers),
               snapshots = r.snapshots + EXCLUDED.snapshots,
               first_at = LEAST(r.first_at, EXCLUDED.first_at),
               last_at = GREATEST(r.last_at, EXCLUDED.last_at);
    END IF;
END $$;

-- Adds one sweep's snapshots to the hour rollups and marks it rolled up; when it is its hour's
-- last sweep, folds the hour (above). Returns the number of snapshots added; 0 and nothing
-- done when the sweep is rolled up already or has no successor yet.
CREATE FUNCTION rollup_sweep(p_sweep integer, with_broadcasts boolean DEFAULT true)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    w        sweeps%ROWTYPE;
    next_at  timestamptz;
    span_ms  bigint;
    at_hour  timestamptz;
    added    integer;
BEGIN
    SELECT * INTO w FROM sweeps WHERE id = p_sweep FOR UPDATE;
    IF NOT FOUND OR w.rolled_up_at IS NOT NULL THEN
        RETURN 0;
    END IF;
    SELECT min(started_at) INTO next_at
      FROM sweeps WHERE platform_id = w.platform_id AND started_at > w.started_at;
    IF next_at IS NULL THEN
        RETURN 0;
    END IF;
    span_ms := LEAST(floor(extract(epoch FROM next_at - w.started_at) * 1000)::bigint,
                     rollup_max_span_ms());
    at_hour := date_trunc('hour', w.started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';

    -- One statement: the sweep's rows (with the channel, language and game each broadcast had
    -- at the time) are read once and feed every hour rollup.
    WITH rows AS MATERIALIZED (
        SELECT st.channel_id, st.language,
               CASE WHEN s.collected_at >= st.state_since THEN st.game_id
                    ELSE (SELECT ss.game_id FROM stream_states ss
                           WHERE ss.stream_id = st.id AND ss.since <= s.collected_at
                           ORDER BY ss.since DESC LIMIT 1) END AS game_id,
               COALESCE(s.viewer_count, 0)::bigint AS viewers
          FROM snapshots s JOIN streams st ON st.id = s.stream_id
         WHERE s.collected_at = w.started_at AND st.platform_id = w.platform_id),
    channel_hours AS (
        INSERT INTO rollup_channel_hours AS r
        SELECT channel_id, at_hour, COALESCE(game_id, 0), language, w.platform_id,
               sum(viewers) * span_ms, span_ms, sum(viewers)
          FROM rows GROUP BY channel_id, COALESCE(game_id, 0), language
        ON CONFLICT (channel_id, hour, game_id, language) DO UPDATE
           SET watched_ms = r.watched_ms + EXCLUDED.watched_ms,
               live_ms = r.live_ms + EXCLUDED.live_ms,
               peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers)),
    game_hours AS (
        INSERT INTO rollup_game_hours AS r
        SELECT game_id, at_hour, w.platform_id, sum(viewers) * span_ms,
               count(DISTINCT channel_id) * span_ms, sum(viewers), count(DISTINCT channel_id)
          FROM rows WHERE game_id IS NOT NULL GROUP BY game_id
        ON CONFLICT (game_id, hour) DO UPDATE
           SET watched_ms = r.watched_ms + EXCLUDED.watched_ms,
               channel_ms = r.channel_ms + EXCLUDED.channel_ms,
               peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers),
               peak_channels = GREATEST(r.peak_channels, EXCLUDED.peak_channels)),
    language_hours AS (
        INSERT INTO rollup_language_hours AS r
        SELECT w.platform_id, language, at_hour, sum(viewers) * span_ms,
               count(DISTINCT channel_id) * span_ms, sum(viewers), count(DISTINCT channel_id)
          FROM rows GROUP BY language
        ON CONFLICT (platform_id, language, hour) DO UPDATE
           SET watched_ms = r.watched_ms + EXCLUDED.watched_ms,
               channel_ms = r.channel_ms + EXCLUDED.channel_ms,
               peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers),
               peak_channels = GREATEST(r.peak_channels, EXCLUDED.peak_channels)),
    platform_hours AS (
        INSERT INTO rollup_platform_hours AS r
        SELECT w.platform_id, at_hour, span_ms, COALESCE(sum(viewers), 0) * span_ms,
               count(DISTINCT channel_id) * span_ms, COALESCE(sum(viewers), 0),
               count(DISTINCT channel_id)
          FROM rows
        ON CONFLICT (platform_id, hour) DO UPDATE
           SET covered_ms = r.covered_ms + EXCLUDED.covered_ms,
               watched_ms = r.watched_ms + EXCLUDED.watched_ms,
               channel_ms = r.channel_ms + EXCLUDED.channel_ms,
               peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers),
               peak_channels = GREATEST(r.peak_channels, EXCLUDED.peak_channels))
    SELECT count(*) INTO added FROM rows;

    UPDATE sweeps SET rolled_up_at = now() WHERE id = p_sweep;
    IF date_trunc('hour', next_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' > at_hour THEN
        PERFORM rollup_fold_hour(w.platform_id, at_hour, with_broadcasts);
    END IF;
    RETURN added;
END $$;

-- Rolls up the platform's sweeps that wait for it (oldest first, at most max_sweeps). Returns
-- how many were rolled up. Only one session rolls up at a time: when another one does (a
-- rebuild), this returns -1 at once and the sweeps wait for the next call.
CREATE FUNCTION rollup_pending(p_platform smallint, max_sweeps integer DEFAULT 50)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    done integer := 0;
    pending record;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('streamscope.rollups')) THEN
        RETURN -1;
    END IF;
    FOR pending IN
        SELECT w.id FROM sweeps w
         WHERE w.platform_id = p_platform AND w.rolled_up_at IS NULL
           AND EXISTS (SELECT 1 FROM sweeps n WHERE n.platform_id = w.platform_id
                                                AND n.started_at > w.started_at)
         ORDER BY w.started_at LIMIT max_sweeps
    LOOP
        PERFORM rollup_sweep(pending.id);
        done := done + 1;
    END LOOP;
    RETURN done;
END $$;

-- A rebuild of [p_from, p_to) (UTC days), in three steps that the caller runs while holding
-- the session advisory lock hashtext('streamscope.rollups'):
--   1. rollup_rebuild_reset: the range's rollup rows and the broadcasts that were live in it
--      are deleted, and the range's sweeps marked as not rolled up (returns their ids);
--   2. rollup_sweep(id, false) for each, in any batches (a progress bar can follow);
--   3. rollup_rebuild_broadcasts: the broadcasts live in the range, from all their snapshots.
CREATE FUNCTION rollup_rebuild_reset(p_from date, p_to date)
RETURNS SETOF integer LANGUAGE plpgsql AS $$
DECLARE
    t_from timestamptz := p_from::timestamp AT TIME ZONE 'UTC';
    t_to   timestamptz := p_to::timestamp AT TIME ZONE 'UTC';
BEGIN
    DELETE FROM rollup_channel_hours WHERE hour >= t_from AND hour < t_to;
    DELETE FROM rollup_channel_days WHERE day >= p_from AND day < p_to;
    DELETE FROM rollup_game_hours WHERE hour >= t_from AND hour < t_to;
    DELETE FROM rollup_game_days WHERE day >= p_from AND day < p_to;
    DELETE FROM rollup_language_hours WHERE hour >= t_from AND hour < t_to;
    DELETE FROM rollup_platform_hours WHERE hour >= t_from AND hour < t_to;
    DELETE FROM rollup_broadcasts
     WHERE stream_id IN (SELECT stream_id FROM snapshots
                          WHERE collected_at >= t_from AND collected_at < t_to);
    UPDATE sweeps SET rolled_up_at = NULL WHERE started_at >= t_from AND started_at < t_to;
    RETURN QUERY SELECT id FROM sweeps WHERE started_at >= t_from AND started_at < t_to
                  ORDER BY started_at;
END $$;

CREATE FUNCTION rollup_rebuild_broadcasts(p_from date, p_to date)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    t_from timestamptz := p_from::timestamp AT TIME ZONE 'UTC';
    t_to   timestamptz := p_to::timestamp AT TIME ZONE 'UTC';
    written integer;
BEGIN
    INSERT INTO rollup_broadcasts
    SELECT st.id, st.channel_id, st.platform_id,
           sum(COALESCE(s.viewer_count, 0) * LEAST(sp.gap_ms, rollup_max_span_ms())),
           sum(LEAST(sp.gap_ms, rollup_max_span_ms())), max(COALESCE(s.viewer_count, 0)),
           count(*), min(s.collected_at), max(s.collected_at)
      FROM streams st
      JOIN snapshots s ON s.stream_id / 16 = st.id / 16 AND s.stream_id = st.id
      JOIN (SELECT platform_id, started_at, rolled_up_at,
                   -- NULL for the newest sweep (LEAST alone would make it the maximum)
                   floor(extract(epoch FROM lead(started_at) OVER (
                             PARTITION BY platform_id ORDER BY started_at) - started_at)
                         * 1000)::bigint AS gap_ms
              FROM sweeps) sp
        ON sp.platform_id = st.platform_id AND sp.started_at = s.collected_at
     WHERE st.id IN (SELECT stream_id FROM snapshots
                      WHERE collected_at >= t_from AND collected_at < t_to)
       -- as the incremental path: the sweeps of hours already folded (rolled up, and a sweep
       -- of a later hour exists)
       AND sp.rolled_up_at IS NOT NULL AND sp.gap_ms IS NOT NULL
       AND EXISTS (SELECT 1 FROM sweeps l
                    WHERE l.platform_id = sp.platform_id
                      AND l.started_at >= date_trunc('hour', sp.started_at AT TIME ZONE 'UTC')
                                          AT TIME ZONE 'UTC' + interval '1 hour')
     GROUP BY st.id, st.channel_id, st.platform_id
    ON CONFLICT (stream_id) DO NOTHING;
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END $$;
