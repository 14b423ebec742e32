-- Kinesis consumption state, shared by every ingestion instance (like the Kinesis Client Library's lease table).

-- One row per shard of a source. Every change is a conditional UPDATE on lease_counter, so two instances
-- never both own a shard: whoever changes the row first wins, the other sees its expected counter gone.
CREATE TABLE kinesis_leases (
    source           text        NOT NULL,
    shard_id         text        NOT NULL,
    owner            text        NULL,
    lease_counter    bigint      NOT NULL DEFAULT 0,
    expires_at       timestamptz NULL,
    -- The last sequence number stored and published, or SHARD_END once a closed shard is fully read.
    checkpoint       text        NULL,
    parent_shard_ids text[]      NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (source, shard_id)
);

-- Instances consuming a source, so a balanced share counts instances that hold no lease yet.
CREATE TABLE kinesis_instances (
    source       text        NOT NULL,
    instance_id  text        NOT NULL,
    heartbeat_at timestamptz NOT NULL,
    PRIMARY KEY (source, instance_id)
);

-- Sources provisioned through the provisioning service, so a restart knows them while it is down.
CREATE TABLE kinesis_sources (
    name       text        PRIMARY KEY,
    spec       jsonb       NULL,
    version    bigint      NOT NULL,
    deleted    boolean     NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL
);
