-- The original design's live_snapshots table, for plain SQL users and BI tools: each snapshot
-- with the title, game and thumbnail its broadcast had at the time.
-- id: no row id is stored, so it is derived from the row's key (collected_at, stream_id):
-- unique and stable, epoch seconds in the high bits.
CREATE OR REPLACE VIEW compat.live_snapshots AS
SELECT (extract(epoch FROM s.collected_at)::bigint << 31) + s.stream_id AS id,
       st.channel_id,
       coalesce(old.title, st.title) AS title,
       g.name                        AS game_name,
       g.platform_game_id            AS game_id,
       s.viewer_count,
       st.language,
       st.started_at,
       s.collected_at,
       replace(coalesce(old.thumbnail_url, st.thumbnail_url), '{width}x{height}', '440x248')
                                     AS thumbnail_url,
       stream_url(p.name, c.login, c.platform_user_id, st.platform_stream_id) AS stream_url,
       w.id                          AS sweep_id,
       st.platform_stream_id         AS stream_id
  FROM snapshots s
  JOIN streams st ON st.id = s.stream_id
  JOIN channels c ON c.id = st.channel_id
  JOIN platforms p ON p.id = st.platform_id
  JOIN sweeps w ON w.platform_id = st.platform_id AND w.started_at = s.collected_at
  LEFT JOIN LATERAL (SELECT x.title, x.game_id, x.thumbnail_url
                       FROM stream_states x
                      WHERE s.collected_at < st.state_since
                        AND x.stream_id = s.stream_id AND x.since <= s.collected_at
                      ORDER BY x.since DESC
                      LIMIT 1) old ON true
  LEFT JOIN games g ON g.id = CASE WHEN s.collected_at < st.state_since THEN old.game_id
                                   ELSE st.game_id END;
