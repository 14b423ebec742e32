-- Configuration intake. Each resource's history is its event stream configuration/{type}/{id} in es_events; these
-- tables are its read models, written in the transaction that appends the event.

-- The current item of every recorded resource (deleted ones included): the newest by capture time, so an older item
-- delivered late is history but not current. What IConfigurationItems reads.
CREATE TABLE configuration_items (
    resource_type  text        NOT NULL,
    resource_id    text        NOT NULL,
    aws_account_id text        NOT NULL,
    capture_time   timestamptz NOT NULL,
    version        bigint      NOT NULL,
    item           jsonb       NOT NULL,
    PRIMARY KEY (resource_type, resource_id)
);
CREATE INDEX configuration_items_account ON configuration_items (aws_account_id, resource_type, resource_id);

-- Every recorded item of a resource by capture time (the history endpoint pages it newest first), and the hash of its
-- content, so the same item delivered twice is recorded once.
CREATE TABLE configuration_history (
    resource_type text        NOT NULL,
    resource_id   text        NOT NULL,
    version       bigint      NOT NULL,
    capture_time  timestamptz NOT NULL,
    content_hash  bytea       NOT NULL,
    PRIMARY KEY (resource_type, resource_id, version),
    UNIQUE (resource_type, resource_id, content_hash)
);
CREATE INDEX configuration_history_time ON configuration_history (resource_type, resource_id, capture_time DESC, version DESC);

-- Items that are not items, with their bytes (up to a bound) and why: the shared quarantine's tables (Platform.Quarantine).
CREATE TABLE quarantine (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at   timestamptz NOT NULL,
    source        text        NOT NULL,
    origin        text        NOT NULL,
    rejected      integer     NOT NULL,
    reasons       text[]      NOT NULL,
    original_size integer     NOT NULL,
    raw           bytea       NOT NULL,
    stored_bytes  integer     NOT NULL
);
CREATE INDEX quarantine_received_at ON quarantine (received_at DESC, id DESC);

CREATE TABLE quarantine_usage (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    bytes    bigint  NOT NULL
);
INSERT INTO quarantine_usage (bytes) VALUES (0);
