-- Config rules as evaluation applies them: the provisioned spec (a deleted rule keeps its row as a tombstone, so an
-- older provisioning change arriving late cannot revive it) and its evaluation runs (re-evaluation of every applicable
-- resource on creation, change, request and schedule): one run at a time per rule, taken by the instance that holds
-- the run pass.
CREATE TABLE config_rules (
    name                    text        PRIMARY KEY,
    provisioned_version     bigint      NOT NULL,
    deleted                 boolean     NOT NULL DEFAULT false,
    spec                    jsonb       NOT NULL,
    run_due_at              timestamptz,
    run_state               text        NOT NULL,
    run_requested_at        timestamptz,
    run_started_at          timestamptz,
    run_finished_at         timestamptz,
    run_resources_total     integer     NOT NULL DEFAULT 0,
    run_resources_evaluated integer     NOT NULL DEFAULT 0,
    run_error               text
);

CREATE INDEX config_rules_due ON config_rules (run_due_at) WHERE NOT deleted AND run_due_at IS NOT NULL;

-- Current compliance per (rule, resource): the fold of its stream (evaluations/<rule>/<type>/<id>), version being the
-- stream's, kept in step in the same transaction as each ComplianceChanged appended.
CREATE TABLE compliance_evaluations (
    config_rule_name   text        NOT NULL,
    resource_type      text        NOT NULL,
    resource_id        text        NOT NULL,
    aws_account_id     text        NOT NULL,
    aws_region         text        NOT NULL,
    compliance_type    text        NOT NULL,
    annotation         text,
    ordering_timestamp timestamptz NOT NULL,
    recorded_at        timestamptz NOT NULL,
    version            bigint      NOT NULL,
    PRIMARY KEY (config_rule_name, resource_type, resource_id)
);

-- GET /v1/compliance/resources/{type}/{id}, and a deleted resource's rules.
CREATE INDEX compliance_evaluations_resource ON compliance_evaluations (resource_type, resource_id);
-- GET /v1/compliance/rules/{name}?complianceTypes=...
CREATE INDEX compliance_evaluations_rule_type ON compliance_evaluations (config_rule_name, compliance_type, resource_type, resource_id);
-- The summary per account.
CREATE INDEX compliance_evaluations_account ON compliance_evaluations (aws_account_id, compliance_type);

-- The accounts and resource types configuration items were recorded for: what a run lists through IConfigurationItems.
CREATE TABLE evaluation_scopes (
    aws_account_id text NOT NULL,
    resource_type  text NOT NULL,
    aws_region     text NOT NULL,
    PRIMARY KEY (aws_account_id, resource_type)
);

-- The ResultToken a CUSTOM_LAMBDA function is invoked with: PutEvaluations (POST /v1/evaluations) names it.
CREATE TABLE evaluation_result_tokens (
    token            text        PRIMARY KEY,
    config_rule_name text        NOT NULL,
    aws_account_id   text        NOT NULL,
    aws_region       text        NOT NULL,
    expires_at       timestamptz NOT NULL
);

CREATE INDEX evaluation_result_tokens_expiry ON evaluation_result_tokens (expires_at);

-- A resource's timeline finds its evaluation streams (evaluations/<rule>/<type>/<id>) by their end.
CREATE INDEX es_events_evaluation_streams ON es_events (reverse(stream_id) text_pattern_ops) WHERE stream_id LIKE 'evaluations/%';
