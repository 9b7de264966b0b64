-- A rebuild of the UTC days [p_from, p_to), in steps that the caller runs while holding the
-- session advisory locks hashtext('streamscope.rollups') and hashtext('streamscope.rollups.fold')
-- (common/db/rollups.cpp, rebuild_rollups):
--   1. rollup_rebuild_reset (here): the range's rollup rows and the broadcasts that were live in
--      it are deleted, and the range's sweeps marked as not rolled up (returns their ids);
--   2. rollup_sweep for each, in any batches, each followed by rollup_fold_pending without
--      broadcasts for the range's hours that are complete;
--   3. rollup_rebuild_broadcasts: the broadcasts live in the range, from all their snapshots;
--   4. rollup_channel_day_links from p_from: the links and running totals of the day totals.
CREATE OR REPLACE FUNCTION rollup_rebuild_reset(p_from date, p_to date)
RETURNS SETOF integer LANGUAGE plpgsql AS $$
DECLARE
    t_from timestamptz := p_from::timestamp AT TIME ZONE 'UTC';
    t_to   timestamptz := p_to::timestamp AT TIME ZONE 'UTC';
BEGIN
    DELETE FROM rollup_channel_hours WHERE hour >= t_from AND hour < t_to;
    DELETE FROM rollup_channel_days WHERE day >= p_from AND day < p_to;
    DELETE FROM rollup_channel_day_totals WHERE day >= p_from AND day < p_to;
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
