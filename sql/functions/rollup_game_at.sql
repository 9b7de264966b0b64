-- The game a broadcast had at `p_at`, 0 for none: its current one from state_since on, else
-- the stream_states row in force then.
CREATE OR REPLACE FUNCTION rollup_game_at(p_stream integer, p_state_since timestamptz,
                                          p_game integer, p_at timestamptz)
RETURNS integer LANGUAGE sql STABLE AS $$
    SELECT COALESCE(CASE WHEN p_at >= p_state_since THEN p_game
                         ELSE (SELECT ss.game_id FROM stream_states ss
                                WHERE ss.stream_id = p_stream AND ss.since <= p_at
                                ORDER BY ss.since DESC LIMIT 1) END, 0)
$$;
