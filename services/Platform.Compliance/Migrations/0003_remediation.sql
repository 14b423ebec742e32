-- Remediation executions: one row per (rule, resource), the current state of what its stream
-- remediations/<rule>/<resourceType>/<resourceId> records (stream_version is the stream's version, so every change to
-- the row appends to the stream in the same transaction). A runner leases a due row (lease_until) so no two instances
-- run one attempt at once; an attempt whose instance stopped is taken over when its lease runs out.
-- state: QUEUED (next_attempt_at is when), IN_PROGRESS (next_attempt_at = lease_until), SUCCEEDED, FAILED.
CREATE TABLE remediation_executions (
    config_rule_name  text        NOT NULL,
    resource_type     text        NOT NULL,
    resource_id       text        NOT NULL,
    aws_account_id    text,
    aws_region        text,
    state             text        NOT NULL,
    automatic         boolean     NOT NULL,
    -- Attempts of the current execution.
    attempt           integer     NOT NULL DEFAULT 0,
    -- The automatic attempts budget: attempts since window_started_at; flagged once it is spent without success.
    window_started_at timestamptz,
    window_attempts   integer     NOT NULL DEFAULT 0,
    flagged           boolean     NOT NULL DEFAULT false,
    -- The last ComplianceChanged version heard: a redelivered one starts nothing.
    compliance_version bigint     NOT NULL DEFAULT 0,
    invoked_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    next_attempt_at   timestamptz,
    lease_until       timestamptz,
    last_error        text,
    stream_version    bigint      NOT NULL,
    PRIMARY KEY (config_rule_name, resource_type, resource_id)
);

-- The runner's query: due rows, oldest first.
CREATE INDEX remediation_executions_due ON remediation_executions (next_attempt_at) WHERE state IN ('QUEUED', 'IN_PROGRESS');
-- The timeline's query: a resource's remediations under every rule.
CREATE INDEX remediation_executions_by_resource ON remediation_executions (resource_type, resource_id);
