-- The URL at which a stream is watched on its platform (compat.live_snapshots' stream_url).
CREATE OR REPLACE FUNCTION stream_url(platform text, login text, platform_user_id text,
                                      platform_stream_id text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE platform
               WHEN 'twitch' THEN 'https://www.twitch.tv/' || login
               WHEN 'kick' THEN 'https://kick.com/' || login
               WHEN 'youtube' THEN 'https://www.youtube.com/watch?v=' || platform_stream_id
           END
$$;
