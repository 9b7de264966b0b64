-- API keys (streamscope-api keys ..., /admin/keys). The key itself is never stored: only the
-- SHA-256 of it, which identifies it (a key is 256 random bits, so a fast hash is enough), and
-- its first characters to recognise it by in lists and logs. A revoked or expired key stays
-- listed with its use until someone deletes the row.
CREATE TABLE api_keys (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    prefix text NOT NULL UNIQUE,
    key_hash bytea NOT NULL UNIQUE CHECK (octet_length(key_hash) = 32),
    name text NOT NULL CHECK (name <> ''),
    -- read: every GET but /export and /metrics; export: read and /export; webhooks: read and
    -- subscriptions; admin: everything, /admin/keys included.
    scope text NOT NULL CHECK (scope IN ('read', 'export', 'webhooks', 'admin')),
    requests_per_minute integer CHECK (requests_per_minute > 0), -- NULL: API_KEY_RATE
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    revoked_at timestamptz,
    -- Use, added in batches by the API servers.
    requests bigint NOT NULL DEFAULT 0,
    bytes_exported bigint NOT NULL DEFAULT 0,
    last_used_at timestamptz
);
