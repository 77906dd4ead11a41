-- Webhooks (API.md "Webhooks"): a cursor per webhook into the event log, never a queue of its own.
-- Delivery is claimed per webhook with a lease (lease_expires_at, fenced by lease_epoch), as tasks are claimed, so
-- every instance delivers and no two deliver for one webhook at a time; an instance that dies is taken over after
-- the lease, and the event it had in flight is delivered again (at least once).
CREATE TABLE webhooks (
    id                    bigserial PRIMARY KEY,
    url                   text        NOT NULL CHECK (length(url) BETWEEN 8 AND 2000 AND url ~ '^https?://'),
    types                 text[]      NOT NULL DEFAULT '{}' CHECK (cardinality(types) <= 50),
    assignee              text        CHECK (assignee ~ '^[a-z][a-z0-9-]{1,31}$'),
    label                 text        CHECK (length(label) BETWEEN 1 AND 100),
    description           text        CHECK (length(description) <= 2000),
    state                 text        NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused', 'disabled')),
    -- the last event id acknowledged by the receiver (or rewound to by a replay)
    cursor                bigint      NOT NULL CHECK (cursor >= 0),
    -- every event up to here was looked at: none after `cursor` matched the filters (saves re-reading them)
    scanned_through       bigint      NOT NULL CHECK (scanned_through >= 0),
    failures              integer     NOT NULL DEFAULT 0 CHECK (failures >= 0),
    failing_since         timestamptz,
    last_error            text,
    last_delivered_at     timestamptz,
    next_attempt_at       timestamptz NOT NULL DEFAULT now(),
    lease_expires_at      timestamptz,
    lease_epoch           bigint      NOT NULL DEFAULT 0,
    secret                bytea       NOT NULL CHECK (length(secret) = 32),
    previous_secret       bytea       CHECK (length(previous_secret) = 32),
    previous_secret_until timestamptz,
    created_by            text        NOT NULL,
    version               bigint      NOT NULL DEFAULT 1,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);

-- The deliverers' claim: active webhooks that are due, oldest due first.
CREATE INDEX webhooks_due ON webhooks (next_attempt_at) WHERE state = 'active';

-- Recent attempts per webhook (pruned to olympus.webhooks.deliveries-kept), read newest first.
CREATE TABLE webhook_deliveries (
    id          bigserial   PRIMARY KEY,
    webhook_id  bigint      NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id    bigint      NOT NULL,
    attempt     integer     NOT NULL CHECK (attempt >= 1),
    status      integer,
    duration_ms integer     NOT NULL CHECK (duration_ms >= 0),
    error       text        CHECK (length(error) <= 500),
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_recent ON webhook_deliveries (webhook_id, id DESC);
