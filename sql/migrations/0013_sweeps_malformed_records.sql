-- How many records a sweep left out because the platform sent them malformed (a null or
-- out-of-range viewer count, a tag that is not a string, a missing field): the sweep skips such
-- a record instead of its page, and says here how many it skipped, so that a platform that
-- starts sending bad data shows in the sweeps rather than as quietly missing streams.
ALTER TABLE sweeps
    ADD COLUMN malformed_records integer NOT NULL DEFAULT 0 CHECK (malformed_records >= 0);
