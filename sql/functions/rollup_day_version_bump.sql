-- rollup_day_version counts the statements that wrote rollup_channel_day_totals (folds,
-- rebuilds, expiry): a leaderboard ranked from the day totals of one version is used only while
-- the version stays (rollup_refresh_leaderboards.sql). The trigger is this function's only use,
-- so it lives here; CREATE OR REPLACE TRIGGER (PostgreSQL 14) lets the file be applied again.
CREATE OR REPLACE FUNCTION rollup_day_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE rollup_day_version SET version = version + 1;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER rollup_channel_day_totals_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rollup_channel_day_totals
    FOR EACH STATEMENT EXECUTE FUNCTION rollup_day_version_bump();
