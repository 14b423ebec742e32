-- The raw log store: one row per event, partitioned by the day it was ingested (retention counts from
-- ingestion, so old partitions are dropped whole). The original record is text, not jsonb: binary COPY into
-- text is about three times faster, and the record is kept byte for byte. Records over the TOAST threshold
-- (about 2 kB, a third of CloudTrail records) are compressed with lz4: faster to write than pglz.
CREATE TABLE log_events (
    event_id             text        NOT NULL,
    source_type          text        NOT NULL,
    event_time           timestamptz NOT NULL,
    ingested_at          timestamptz NOT NULL,
    log_group            text,
    log_stream           text,
    account              text,
    region               text,
    event_source         text,
    event_name           text,
    principal            text,
    source_ip            text,
    error_code           text,
    source               text        NOT NULL,
    subscription_filters text[],
    policy_level         text,
    record               text        COMPRESSION lz4 NOT NULL,
    -- The document rules match against, when it is not the record itself (flow log fields, plain text).
    document             text        COMPRESSION lz4
) PARTITION BY RANGE (ingested_at);

CREATE INDEX log_events_event_time ON log_events (event_time DESC, event_id DESC);
CREATE INDEX log_events_log_group ON log_events (log_group, ingested_at);

-- Dedupe across partitions (a unique index on a partitioned table must include the partition key). With
-- the event time, also how an event is found by id (log_events_event_time), so COPY maintains no index on
-- log_events.event_id.
CREATE TABLE ingested_event_ids (
    event_id    text        PRIMARY KEY,
    event_time  timestamptz NOT NULL,
    ingested_at timestamptz NOT NULL
);
CREATE INDEX ingested_event_ids_ingested_at ON ingested_event_ids (ingested_at);

-- The at-least-once hand-off: a row per stored batch, written in the store transaction and deleted once the
-- batch is on the broker, so only batches whose publication has not completed are here (the sweeper
-- publishes those). One row per batch instead of an update of every stored event id.
CREATE TABLE pending_publications (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source      text        NOT NULL,
    ingested_at timestamptz NOT NULL,
    event_ids   text[]      COMPRESSION lz4 NOT NULL
);

-- Retention per log group, from provisioning's LogGroupProvisioned / LogGroupDeleted. A null retention
-- means the configured default.
CREATE TABLE log_group_retention (
    log_group      text        PRIMARY KEY,
    retention_days integer,
    version        bigint      NOT NULL,
    updated_at     timestamptz NOT NULL
);

-- Input that could not be decoded or parsed, with its bytes (up to a bound) for an operator to inspect.
CREATE TABLE quarantine (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at   timestamptz NOT NULL,
    source        text        NOT NULL,
    origin        text        NOT NULL,
    reason        text        NOT NULL,
    original_size integer     NOT NULL,
    raw           bytea       NOT NULL
);
CREATE INDEX quarantine_received_at ON quarantine (received_at DESC, id DESC);
