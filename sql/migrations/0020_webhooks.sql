-- Webhook subscriptions and their deliveries (docs/API.md, "Webhooks"). The API creates and
-- deletes subscriptions (as streamscope_key_manager); one collector per database delivers
-- (collector/webhooks/delivery.cpp): it fans the events table out into webhook_deliveries,
-- one row per subscription and event, and sends each subscription's deliveries in order.
CREATE TABLE webhooks (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_id          bigint NOT NULL REFERENCES api_keys,
    url             text NOT NULL,          -- https://..., or mailto:address for format email
    format          text NOT NULL CHECK (format IN ('json', 'slack', 'discord', 'email')),
    event_types     text[] NOT NULL,        -- empty: every type
    filters         jsonb NOT NULL DEFAULT '{}', -- {platform, channel, game, min_viewers}: lists
    secret          text NOT NULL,          -- whsec_...: needed in clear to sign
    after_event_id  bigint NOT NULL,        -- deliveries start after this event
    created_at      timestamptz NOT NULL DEFAULT now(),
    disabled_at     timestamptz,
    disabled_reason text
);
CREATE INDEX webhooks_key_idx ON webhooks (key_id);

-- One event for one subscription: its body rendered once, so that every retry sends the same
-- bytes. Not a foreign key to events: events expire (EVENTS_RETENTION_HOURS), deliveries stay.
CREATE TABLE webhook_deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_id      bigint NOT NULL REFERENCES webhooks ON DELETE CASCADE,
    event_id        bigint NOT NULL,
    event_type      text NOT NULL,
    payload         text NOT NULL,
    state           text NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    first_attempt_at timestamptz,
    last_status     integer,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    UNIQUE (webhook_id, event_id)
);
-- The oldest pending delivery of each subscription (dispatch), and a subscription's newest
-- first (GET /webhooks/{id}/deliveries) through the unique index read backwards.
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (webhook_id, id)
    WHERE state = 'pending';

CREATE TABLE webhook_attempts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id bigint NOT NULL REFERENCES webhook_deliveries ON DELETE CASCADE,
    at          timestamptz NOT NULL DEFAULT now(),
    status      integer,      -- the HTTP status (SMTP: 250 when accepted), NULL: no answer
    error       text,         -- why it failed, NULL when delivered
    duration_ms integer NOT NULL
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);

-- How far fan-out has read the events table: one row, advanced in the transaction that
-- inserts the deliveries (ids commit in order: 0018_events.sql).
CREATE TABLE webhook_cursor (
    one           boolean PRIMARY KEY DEFAULT true CHECK (one),
    last_event_id bigint NOT NULL
);
INSERT INTO webhook_cursor (last_event_id) SELECT coalesce(max(id), 0) FROM events;

-- Secrets are the key manager's alone (the default privileges of 0015 gave the reader SELECT);
-- deliveries hold events, which the reader reads anyway.
REVOKE ALL ON webhooks FROM streamscope_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON webhooks TO streamscope_key_manager;
GRANT SELECT, UPDATE ON webhook_deliveries TO streamscope_key_manager;
GRANT SELECT ON webhook_attempts TO streamscope_key_manager;
DO $$
BEGIN
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO streamscope_key_manager',
                   pg_get_serial_sequence('webhooks', 'id'));
END $$;
