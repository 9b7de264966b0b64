-- Folds the platform's complete hours that are not folded yet, oldest first, at most
-- max_hours of them, only those within [p_from, p_to). An hour is complete when all its
-- sweeps are rolled up and a later sweep exists (no sweep can join it any more, short of a
-- late one from a spool). Returns how many were folded; -1 at once when another session folds
-- (a rebuild, or a second collector): the hours wait for the next call. The collector's fold
-- job calls it on a connection of its own (collector/store/rollup_folder.hpp), so that no
-- sweep waits for a fold.
CREATE OR REPLACE FUNCTION rollup_fold_pending(p_platform smallint, with_broadcasts boolean,
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
