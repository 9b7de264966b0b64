-- The original design's channels table, for plain SQL users and BI tools.
CREATE OR REPLACE VIEW compat.channels AS
SELECT c.id,
       p.name             AS platform,
       c.platform_user_id AS channel_id,
       c.login            AS username,
       c.display_name,
       c.description,
       c.profile_image_url,
       c.follower_count,
       c.created_at,
       c.updated_at
  FROM channels c
  JOIN platforms p ON p.id = c.platform_id;
