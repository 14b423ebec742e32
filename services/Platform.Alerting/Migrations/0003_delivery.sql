-- Deliveries: one row per subscriber and idempotency key (scheduling the same message again inserts nothing).
-- status: pending (waiting for its next attempt), delivered, failed (not retried by itself: unknown target, refused
-- address), dead (every attempt failed). A sender leases due rows (lease_until) so no two instances send one at once.
CREATE TABLE deliveries (
    id              uuid        PRIMARY KEY,
    target          text        NOT NULL,
    subscriber      text        NOT NULL,
    protocol        text        NOT NULL,
    endpoint        text        NOT NULL,
    resource        text,
    idempotency_key text        NOT NULL,
    subject         text        NOT NULL,
    body            text        NOT NULL,
    status          text        NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    -- Attempts made before the last manual retry: a retried delivery gets the full number of attempts again.
    retried_after   integer     NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    lease_until     timestamptz,
    last_error      text,
    UNIQUE (subscriber, idempotency_key)
);

-- The sender's query: due pending rows, oldest first.
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
-- The API's list: newest first per status, id breaks ties.
CREATE INDEX deliveries_by_status ON deliveries (status, created_at DESC, id DESC);

-- Every attempt: when, how long, what came back (the response cut to a few KB).
CREATE TABLE delivery_attempts (
    delivery_id uuid        NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    number      integer     NOT NULL,
    started_at  timestamptz NOT NULL,
    duration_ms integer     NOT NULL,
    status_code integer,
    error       text,
    response    text,
    PRIMARY KEY (delivery_id, number)
);
