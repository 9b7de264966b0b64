-- Rollups per channel leave the sweep's path.
--
-- Until now each sweep's rollup upserted a row per live channel into rollup_channel_hours
-- (about 0.7 s at 100,000 channels, twelve times an hour), and the sweep that completed an
-- hour also folded it into the day tables, follower totals and broadcasts (4 s more). Now:
-- - a sweep's rollup adds it to the game, language and platform hours (tens of rows: what is
--   live now stays current to the sweep);
-- - the collector folds each complete hour in a job of its own (rollup_fold_pending below,
--   on its own connection, so the next sweep never waits for it): one pass over the hour's
--   snapshots gives each broadcast's figures, from which come the channel's hour (and the
--   broadcasts' rollup), then the days, day totals and follower totals as in 0005.
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

-- The game a broadcast had at `p_at`, 0 for none: its current one from state_since on, else
-- the stream_states row in force then.
CREATE FUNCTION rollup_game_at(p_stream integer, p_state_since timestamptz, p_game integer,
                               p_at timestamptz)
RETURNS integer LANGUAGE sql STABLE AS $$
    SELECT COALESCE(CASE WHEN p_at >= p_state_since THEN p_game
                         ELSE (SELECT ss.game_id FROM stream_states ss
                                WHERE ss.stream_id = p_stream AND ss.since <= p_at
                                ORDER BY ss.since DESC LIMIT 1) END, 0)
$$;

-- A sweep's rollup: its snapshots added to the game, language and platform hours (0003's
-- statement without rollup_channel_hours), nothing more. The with_broadcasts argument went
-- with the fold. rollup_pending (0003) calls rollup_sweep(id), which now finds this one.
DROP FUNCTION rollup_sweep(integer, boolean);
CREATE FUNCTION rollup_sweep(p_sweep integer) RETURNS integer LANGUAGE plpgsql
    -- 0006's settings.
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB'
AS $$
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

    WITH rows AS MATERIALIZED (
        SELECT st.channel_id, st.language,
               -- rollup_game_at's rule, written out: a function call per snapshot (its
               -- sub-select keeps PostgreSQL from inlining it) doubled this rollup's time
               CASE WHEN s.collected_at >= st.state_since THEN COALESCE(st.game_id, 0)
                    ELSE COALESCE((SELECT ss.game_id FROM stream_states ss
                                    WHERE ss.stream_id = st.id AND ss.since <= s.collected_at
                                    ORDER BY ss.since DESC LIMIT 1), 0) END AS game_id,
               COALESCE(s.viewer_count, 0)::bigint AS viewers
          FROM snapshots s JOIN streams st ON st.id = s.stream_id
         WHERE s.collected_at = w.started_at AND st.platform_id = w.platform_id),
    game_hours AS (
        INSERT INTO rollup_game_hours AS r
        SELECT game_id, at_hour, w.platform_id, sum(viewers) * span_ms,
               count(DISTINCT channel_id) * span_ms, sum(viewers), count(DISTINCT channel_id)
          FROM rows WHERE game_id <> 0 GROUP BY game_id
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
        INSERT INTO rollup_platform_hours AS r (platform_id, hour, covered_ms, watched_ms,
                                                channel_ms, peak_viewers, peak_channels)
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
    RETURN added;
END $$;

-- Adds a folded hour's channel and game rows to the days, the channels' day totals (and last
-- days) and the follower totals, as 0005's fold did: the part of a fold that needs only the
-- hour tables.
CREATE FUNCTION rollup_fold_days(p_platform smallint, p_hour timestamptz)
RETURNS void LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB'
AS $$
DECLARE
    at_day date := (p_hour AT TIME ZONE 'UTC')::date;
BEGIN
    INSERT INTO rollup_channel_days AS r
    SELECT channel_id, at_day, game_id, language, platform_id, watched_ms, live_ms, peak_viewers
      FROM rollup_channel_hours WHERE hour = p_hour AND platform_id = p_platform
    ON CONFLICT (channel_id, day, game_id, language) DO UPDATE
       SET watched_ms = r.watched_ms + EXCLUDED.watched_ms, live_ms = r.live_ms + EXCLUDED.live_ms,
           peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers);

    -- As in 0005.
    WITH h AS (
        SELECT channel_id, sum(watched_ms) AS watched_ms, sum(live_ms) AS live_ms,
               max(peak_viewers) AS peak_viewers
          FROM rollup_channel_hours WHERE hour = p_hour AND platform_id = p_platform
         GROUP BY channel_id),
    totals AS (
        INSERT INTO rollup_channel_day_totals AS r
        SELECT h.channel_id, at_day, p_platform, h.watched_ms, h.live_ms, h.peak_viewers,
               COALESCE(l.day, '-infinity')
          FROM h LEFT JOIN rollup_channel_last_days l
            ON l.channel_id = h.channel_id AND l.day < at_day
        ON CONFLICT (channel_id, day) DO UPDATE
           SET watched_ms = r.watched_ms + EXCLUDED.watched_ms,
               live_ms = r.live_ms + EXCLUDED.live_ms,
               peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers))
    INSERT INTO rollup_channel_last_days AS l
    SELECT channel_id, at_day FROM h
    ON CONFLICT (channel_id) DO UPDATE SET day = EXCLUDED.day WHERE l.day < EXCLUDED.day;

    INSERT INTO rollup_game_days AS r
    SELECT game_id, at_day, platform_id, watched_ms, channel_ms, peak_viewers, peak_channels
      FROM rollup_game_hours WHERE hour = p_hour AND platform_id = p_platform
    ON CONFLICT (game_id, day) DO UPDATE
       SET watched_ms = r.watched_ms + EXCLUDED.watched_ms,
           channel_ms = r.channel_ms + EXCLUDED.channel_ms,
           peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers),
           peak_channels = GREATEST(r.peak_channels, EXCLUDED.peak_channels);

    -- Written only when the total changed: most channels' totals stay the same all day.
    INSERT INTO channel_follower_days AS r
    SELECT DISTINCT ON (c.id) c.id, at_day, c.follower_count
      FROM rollup_channel_hours h JOIN channels c ON c.id = h.channel_id
     WHERE h.hour = p_hour AND h.platform_id = p_platform AND c.follower_count IS NOT NULL
    ON CONFLICT (channel_id, day) DO UPDATE SET followers = EXCLUDED.followers
     WHERE r.followers IS DISTINCT FROM EXCLUDED.followers;
END $$;

-- Folds a complete hour: the channels' hour rows and (when with_broadcasts) the broadcasts
-- from the hour's snapshots, then rollup_fold_days.
CREATE OR REPLACE FUNCTION rollup_fold_hour(p_platform smallint, p_hour timestamptz,
                                            with_broadcasts boolean)
RETURNS void LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB'
AS $$
DECLARE
    sweep_at timestamptz[];
    sweep_ms bigint[];
    exact_streams integer[];
BEGIN
    -- The hour's sweeps and the time each stands for, as arrays: PostgreSQL then plans for
    -- their true number (a dozen) and joins them to the hour's snapshots by a hash, where a
    -- table or CTE of them, estimated at one row from statistics that predate the hour, had
    -- it scan the hour once per sweep.
    SELECT array_agg(w.started_at),
           array_agg(LEAST(floor(extract(epoch FROM
                               (SELECT min(n.started_at) FROM sweeps n
                                 WHERE n.platform_id = p_platform
                                   AND n.started_at > w.started_at) - w.started_at)
                             * 1000)::bigint,
                           rollup_max_span_ms()))
      INTO sweep_at, sweep_ms
      FROM sweeps w
     WHERE w.platform_id = p_platform AND w.started_at >= p_hour
       AND w.started_at < p_hour + interval '1 hour' AND w.rolled_up_at IS NOT NULL;

    -- Each broadcast's hour is summed from its snapshots in one pass (a snapshot stands for
    -- its sweep's span). Most channels had one broadcast in the hour, in one game throughout:
    -- its sums are the channel's row. The others ("exact" below: a channel with several
    -- broadcasts in the hour, at once or one after the other, or a broadcast whose state
    -- changed since the hour began) are summed per sweep from their snapshots, as 0003 did
    -- for every channel: two broadcasts at once count the span once as live time, the peak
    -- is the largest sum of one sweep, and each snapshot counts for the game it had then.
    WITH per_broadcast AS MATERIALIZED (
        SELECT st.id AS stream_id, st.channel_id, st.language, st.game_id, st.state_since,
               b.watched_ms, b.live_ms, b.peak_viewers, b.snapshots, b.first_at, b.last_at,
               count(*) OVER (PARTITION BY st.channel_id) > 1 OR st.state_since > b.first_at
                   AS exact
          FROM (SELECT s.stream_id, sum(COALESCE(s.viewer_count, 0) * sp.span_ms) AS watched_ms,
                       sum(sp.span_ms) AS live_ms, max(COALESCE(s.viewer_count, 0)) AS peak_viewers,
                       count(*) AS snapshots, min(s.collected_at) AS first_at,
                       max(s.collected_at) AS last_at
                  FROM unnest(sweep_at, sweep_ms) AS sp(started_at, span_ms)
                  JOIN snapshots s ON s.collected_at = sp.started_at
                 -- the hour as constants: only its partition is read
                 WHERE s.collected_at >= p_hour AND s.collected_at < p_hour + interval '1 hour'
                 GROUP BY s.stream_id) b
          JOIN streams st ON st.id = b.stream_id
         WHERE st.platform_id = p_platform),
    channel_hours AS (
        INSERT INTO rollup_channel_hours
        SELECT channel_id, p_hour, COALESCE(game_id, 0), language, p_platform, watched_ms,
               live_ms, peak_viewers
          FROM per_broadcast WHERE NOT exact),
    broadcasts AS (
        INSERT INTO rollup_broadcasts AS r
        SELECT stream_id, channel_id, p_platform, watched_ms, live_ms, peak_viewers, snapshots,
               first_at, last_at
          FROM per_broadcast WHERE with_broadcasts
        ON CONFLICT (stream_id) DO UPDATE
           SET watched_ms = r.watched_ms + EXCLUDED.watched_ms,
               live_ms = r.live_ms + EXCLUDED.live_ms,
               peak_viewers = GREATEST(r.peak_viewers, EXCLUDED.peak_viewers),
               snapshots = r.snapshots + EXCLUDED.snapshots,
               first_at = LEAST(r.first_at, EXCLUDED.first_at),
               last_at = GREATEST(r.last_at, EXCLUDED.last_at))
    SELECT array_agg(stream_id) INTO exact_streams FROM per_broadcast WHERE exact;

    -- The exact ones, as a filter on one more pass over the hour (a join to the few streams
    -- could be planned as a scan of the hour per stream).
    IF exact_streams IS NOT NULL THEN
        INSERT INTO rollup_channel_hours
        SELECT channel_id, p_hour, game_id, language, p_platform, sum(viewers * span_ms),
               sum(span_ms), max(viewers)
          FROM (SELECT st.channel_id, st.language,
                       rollup_game_at(st.id, st.state_since, st.game_id, s.collected_at)
                           AS game_id,
                       sp.span_ms, sum(COALESCE(s.viewer_count, 0)) AS viewers
                  FROM unnest(sweep_at, sweep_ms) AS sp(started_at, span_ms)
                  JOIN snapshots s ON s.collected_at = sp.started_at
                  JOIN streams st ON st.id = s.stream_id
                 WHERE s.collected_at >= p_hour AND s.collected_at < p_hour + interval '1 hour'
                   AND s.stream_id = ANY (exact_streams)
                 GROUP BY st.channel_id, st.language, 3, s.collected_at, sp.span_ms) per_sweep
         GROUP BY channel_id, game_id, language;
    END IF;

    PERFORM rollup_fold_days(p_platform, p_hour);
END $$;

-- Folds the platform's complete hours that are not folded yet, oldest first, at most
-- max_hours of them, only those within [p_from, p_to). An hour is complete when all its
-- sweeps are rolled up and a later sweep exists (no sweep can join it any more, short of a
-- late one from a spool). Returns how many were folded; -1 at once when another session folds
-- (a rebuild, or a second collector): the hours wait for the next call.
CREATE FUNCTION rollup_fold_pending(p_platform smallint, with_broadcasts boolean,
                                    max_hours integer,
                                    p_from timestamptz DEFAULT '-infinity',
                                    p_to timestamptz DEFAULT 'infinity')
RETURNS integer LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB'
AS $$
DECLARE
    done integer := 0;
    pending record;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('streamscope.rollups.fold')) THEN
        RETURN -1;
    END IF;
    FOR pending IN
        SELECT h.hour FROM rollup_platform_hours h
         WHERE h.platform_id = p_platform AND h.folded_at IS NULL
           AND h.hour >= p_from AND h.hour < p_to
           AND NOT EXISTS (SELECT 1 FROM sweeps w
                            WHERE w.platform_id = p_platform AND w.rolled_up_at IS NULL
                              AND w.started_at >= h.hour
                              AND w.started_at < h.hour + interval '1 hour')
           AND EXISTS (SELECT 1 FROM sweeps l
                        WHERE l.platform_id = p_platform
                          AND l.started_at >= h.hour + interval '1 hour')
         ORDER BY h.hour LIMIT max_hours
    LOOP
        PERFORM rollup_fold_hour(p_platform, pending.hour, with_broadcasts);
        UPDATE rollup_platform_hours SET folded_at = now()
         WHERE platform_id = p_platform AND hour = pending.hour;
        done := done + 1;
    END LOOP;
    RETURN done;
END $$;

-- As in 0003, counting the sweeps of folded hours (the incremental path's broadcasts are
-- those of folded hours; a complete hour may now wait for the fold job).
CREATE OR REPLACE FUNCTION rollup_rebuild_broadcasts(p_from date, p_to date)
RETURNS integer LANGUAGE plpgsql
    SET plan_cache_mode = force_custom_plan SET jit = off SET work_mem = '64MB'
AS $$
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
      JOIN (SELECT platform_id, started_at,
                   floor(extract(epoch FROM lead(started_at) OVER (
                             PARTITION BY platform_id ORDER BY started_at) - started_at)
                         * 1000)::bigint AS gap_ms
              FROM sweeps) sp
        ON sp.platform_id = st.platform_id AND sp.started_at = s.collected_at
     WHERE st.id IN (SELECT stream_id FROM snapshots
                      WHERE collected_at >= t_from AND collected_at < t_to)
       AND sp.gap_ms IS NOT NULL
       AND EXISTS (SELECT 1 FROM rollup_platform_hours f
                    WHERE f.platform_id = sp.platform_id AND f.folded_at IS NOT NULL
                      AND f.hour = date_trunc('hour', sp.started_at AT TIME ZONE 'UTC')
                                   AT TIME ZONE 'UTC')
     GROUP BY st.id, st.channel_id, st.platform_id
    ON CONFLICT (stream_id) DO NOTHING;
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END $$;
