-- The event store: every stream of this service, and the outbox (rows not yet published).
CREATE TABLE es_events (
    global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        uuid        NOT NULL UNIQUE,
    stream_id       text        NOT NULL,
    stream_version  bigint      NOT NULL,
    event_type      text        NOT NULL,
    data            jsonb       NOT NULL,
    metadata        jsonb,
    recorded_at     timestamptz NOT NULL,
    published_at    timestamptz,
    CONSTRAINT es_events_stream_version UNIQUE (stream_id, stream_version)
);

-- The relay scans only what waits to be published.
CREATE INDEX es_events_unpublished ON es_events (global_position) WHERE published_at IS NULL;

-- Wakes the relay when a transaction that appended events commits (notifications are sent on commit).
CREATE FUNCTION es_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('es_events_appended', '');
    RETURN NULL;
END $$;

CREATE TRIGGER es_events_appended AFTER INSERT ON es_events
    FOR EACH STATEMENT EXECUTE FUNCTION es_events_notify();

-- Idempotent consumers: a message id each consumer has already handled.
CREATE TABLE es_inbox (
    message_id   uuid        NOT NULL,
    consumer     text        NOT NULL,
    processed_at timestamptz NOT NULL,
    PRIMARY KEY (message_id, consumer)
);
