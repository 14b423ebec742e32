-- Retro-hunts: a rule run over stored events of a past range. One row per hunt, its progress updated in the
-- transaction that records each batch (with the batch's inbox row and findings), so a batch counts once.
CREATE TABLE retro_hunts (
    id          uuid        PRIMARY KEY,
    -- The hunt's rules as Sigma YAML: what every instance compiles to evaluate its batches.
    rule_yaml   text        NOT NULL,
    -- The one rule whose findings count (a rule named by id); null: every rule of the YAML.
    rule_key    text,
    rule_id     text        NOT NULL,
    title       text        NOT NULL,
    range_from  timestamptz NOT NULL,
    range_to    timestamptz NOT NULL,
    status      text        NOT NULL,
    -- Events in the range: counted by ingestion at the start, final once it has streamed them all (streamed).
    total       bigint,
    streamed    boolean     NOT NULL DEFAULT false,
    scanned     bigint      NOT NULL DEFAULT 0,
    findings    bigint      NOT NULL DEFAULT 0,
    failure     text,
    created_at  timestamptz NOT NULL,
    ended_at    timestamptz
);

-- Retro-hunt findings are the hunt's own: the list filters on the hunt.
ALTER TABLE findings ADD COLUMN hunt_id uuid;
CREATE INDEX findings_hunt ON findings (hunt_id, last_seen_at DESC) WHERE hunt_id IS NOT NULL;

-- Correlation windows of hunts, apart from live ones (whose cleanup keeps only recent event times): each hunt's
-- correlation keys start with its id, and its rows are deleted when it ends.
CREATE TABLE retro_hunt_observations (LIKE correlation_observations INCLUDING ALL);
