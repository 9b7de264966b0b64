-- Spends `units` of quota day `day`'s bucket of `method` when the bucket holds them: returns the
-- bucket's total after spending, or NULL, spending nothing, when it would pass `quota`.
-- search.list has a bucket of its own; every other method shares one. Serialised per day, so
-- that collectors sharing the database never overspend together.
CREATE OR REPLACE FUNCTION youtube_spend_quota(day date, method text, units integer, quota bigint)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    spent bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('youtube_quota'), day - date '2000-01-01');
    SELECT coalesce(sum(q.units), 0) INTO spent
      FROM youtube_quota q
     WHERE q.day = youtube_spend_quota.day
       AND (q.method = 'search.list') = (youtube_spend_quota.method = 'search.list');
    IF spent + units > quota THEN
        RETURN NULL;
    END IF;
    INSERT INTO youtube_quota AS q (day, method, units)
    VALUES (youtube_spend_quota.day, youtube_spend_quota.method, youtube_spend_quota.units)
    ON CONFLICT ON CONSTRAINT youtube_quota_pkey
    DO UPDATE SET units = q.units + excluded.units;
    RETURN spent + units;
END $$;
