-- The longest span one snapshot stands for: beyond it the collector was away, and what
-- happened meanwhile is unknown rather than held.
CREATE OR REPLACE FUNCTION rollup_max_span_ms() RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT 1800000::bigint';
