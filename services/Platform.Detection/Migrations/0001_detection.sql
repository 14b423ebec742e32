-- Findings read model: one row per finding stream, updated in the transaction that appends its events.
-- state holds the folded finding (the API's view); the columns beside it serve filtering and paging.
CREATE TABLE findings (
    id            uuid        PRIMARY KEY,
    fingerprint   text        NOT NULL UNIQUE,
    rule_id       text        NOT NULL,
    status        text        NOT NULL,
    severity      integer     NOT NULL,
    principal     text,
    account       text,
    first_seen_at timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    occurrences   bigint      NOT NULL,
    version       bigint      NOT NULL,
    state         jsonb       NOT NULL
);

-- Keyset paging: newest lastSeenAt first, id breaks ties.
CREATE INDEX findings_last_seen ON findings (last_seen_at DESC, id DESC);
CREATE INDEX findings_rule ON findings (rule_id, last_seen_at DESC);
CREATE INDEX findings_status ON findings (status, last_seen_at DESC);

-- Correlation windows shared by every detection instance. An observation is stored once per
-- (correlation, group, event, rule): redelivered events count once.
CREATE TABLE correlation_observations (
    correlation_key text        NOT NULL,
    group_key       text        NOT NULL,
    event_id        text        NOT NULL,
    rule_key        text        NOT NULL,
    event_time      timestamptz NOT NULL,
    value           text,
    PRIMARY KEY (correlation_key, group_key, event_id, rule_key)
);

CREATE INDEX correlation_observations_window ON correlation_observations (correlation_key, group_key, event_time);
CREATE INDEX correlation_observations_time ON correlation_observations (event_time);

-- Matches per rule and hour, for GET /v1/rules (matchesLast24h); written with the batch's findings.
CREATE TABLE rule_match_counts (
    rule_key text        NOT NULL,
    hour     timestamptz NOT NULL,
    matches  bigint      NOT NULL,
    PRIMARY KEY (rule_key, hour)
);
