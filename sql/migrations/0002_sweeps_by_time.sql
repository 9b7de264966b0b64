-- /export/snapshots walks the sweeps of all platforms in time order, one moment at a time:
-- "the next sweep at or after t" is an index probe instead of a scan of every sweep.
CREATE INDEX sweeps_started_at_idx ON sweeps (started_at);
