-- Rolls up the platform's sweeps that wait for it (oldest first, at most max_sweeps). Returns
-- how many were rolled up. Only one session rolls up at a time: when another one does (a
-- rebuild), this returns -1 at once and the sweeps wait for the next call.
CREATE OR REPLACE FUNCTION rollup_pending(p_platform smallint, max_sweeps integer DEFAULT 50)
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
