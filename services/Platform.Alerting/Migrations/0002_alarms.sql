-- Alarms: the current state of each alarm, kept in step with its stream (alarms/<name>) in the same transaction.
-- A deleted alarm keeps its row as a tombstone, so an older provisioning change arriving late cannot revive it.
CREATE TABLE alarms (
    name                text        PRIMARY KEY,
    version             bigint      NOT NULL,
    provisioned_version bigint      NOT NULL,
    deleted             boolean     NOT NULL DEFAULT false,
    spec                jsonb       NOT NULL,
    metric_key          text        NOT NULL,
    state_value         text        NOT NULL,
    state_reason        text        NOT NULL,
    state_reason_data   jsonb,
    state_updated_at    timestamptz NOT NULL
);

-- Metric data arriving finds the alarms that watch it.
CREATE INDEX alarms_metric_key ON alarms (metric_key) WHERE NOT deleted;

-- GET /v1/alarms?stateValue=...
CREATE INDEX alarms_state_name ON alarms (state_value, name) WHERE NOT deleted;
