-- Exports count against a daily row quota per key (API_EXPORT_ROWS_PER_DAY, or the key's own).
-- The API servers add each key's exported rows in batches with its other use: the rows of the
-- day (UTC) they last counted, and all rows ever. A key's quota is checked against the day's
-- rows as the servers last read them plus what each server counted since.
ALTER TABLE api_keys
    ADD COLUMN export_rows_per_day bigint CHECK (export_rows_per_day > 0), -- NULL: the default
    ADD COLUMN rows_exported bigint NOT NULL DEFAULT 0,
    ADD COLUMN export_day date,
    ADD COLUMN export_day_rows bigint NOT NULL DEFAULT 0;
