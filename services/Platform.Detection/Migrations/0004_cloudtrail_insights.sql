-- CloudTrail Insights: per account, region, event source and event name (the key), the per-minute counts of write calls
-- and of errors by event time, and each key's progress. Written in the batch's transaction with its inbox row, so a
-- redelivered batch counts nothing twice; a restart keeps the baselines and the open Insights.
CREATE TABLE insight_keys (
    key            text        PRIMARY KEY,
    account        text,
    region         text,
    event_source   text        NOT NULL,
    event_name     text        NOT NULL,
    -- The earliest minute seen: the baseline's history starts here.
    first_minute   timestamptz NOT NULL,
    -- Minutes before this one are judged (an Insight started, went on or ended); later ones still take events.
    closed_through timestamptz NOT NULL,
    -- The latest minute an event of the key fell in: minutes more than the lateness before it get judged.
    latest_minute  timestamptz NOT NULL,
    -- Calls and errors in the baseline window before closed_through (what is summed as minutes close, less what ages out).
    baseline_calls bigint      NOT NULL DEFAULT 0,
    baseline_errors bigint     NOT NULL DEFAULT 0,
    -- The Insights in progress, by type (JSON).
    open_insights  jsonb       NOT NULL DEFAULT '{}'
);

-- Idle keys go first when the cap on keys is reached.
CREATE INDEX insight_keys_latest ON insight_keys (latest_minute);

-- Per key and minute of event time: write calls, errors, and their top principals, user agents and error codes (JSON).
-- Minutes older than the baseline window before the key's closed minutes are deleted as they age out.
CREATE TABLE insight_minutes (
    key          text        NOT NULL,
    minute       timestamptz NOT NULL,
    calls        bigint      NOT NULL,
    errors       bigint      NOT NULL,
    attributions jsonb       NOT NULL,
    PRIMARY KEY (key, minute)
);
