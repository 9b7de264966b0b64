-- The write path, made cheaper for a sweep of 100,000 streams.

-- It compares each streamed broadcast with what is stored by one number instead of its whole
-- text (common/db/stream_state_key.hpp): only new and changed broadcasts are then sent in full.
-- NULL (broadcasts stored before this migration) counts as changed, so the first sweep after
-- the upgrade takes the full path once and fills it in.
ALTER TABLE streams ADD COLUMN state_key bigint;

-- A channel's last sighting is no longer rewritten when one of its broadcasts starts (a first
-- sweep rewrote every known channel's row, and through the trigram index that cost more than
-- inserting the broadcasts): readers take the newer of this and the newest snapshot of the
-- channel's open broadcasts.
COMMENT ON COLUMN channels.last_seen_at IS
    'the channel''s first sighting, or the end of its latest ended broadcast; while a broadcast '
    'is open its newest snapshot is newer';

-- Rows updated in place (follower totals, profiles, broadcast ends and state changes) keep
-- their indexes untouched when the page has room for the new version.
ALTER TABLE channels SET (fillfactor = 85);
ALTER TABLE streams SET (fillfactor = 90);
