-- Events waiting for, or recently written to, an archive file. The key is the event's: a redelivered batch inserts
-- nothing (ON CONFLICT DO NOTHING), so each event is in exactly one file. seq orders the events and names the files.
CREATE TABLE archive_buffer (
    source_type  text        NOT NULL,
    event_id     text        NOT NULL,
    seq          bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    account      text        NOT NULL,
    region       text        NOT NULL,
    hour         timestamptz NOT NULL,
    kms_key_id   text        NOT NULL,
    event_time   timestamptz NOT NULL,
    ingested_at  timestamptz NOT NULL,
    buffered_at  timestamptz NOT NULL,
    log_group    text,
    log_stream   text,
    event_source text,
    event_name   text,
    principal    text,
    source_ip    text,
    error_code   text,
    record       text        NOT NULL,
    record_bytes integer     NOT NULL,
    file_id      bigint,
    PRIMARY KEY (source_type, event_id)
);

-- What the writer looks for: pending events per partition.
CREATE INDEX archive_buffer_pending ON archive_buffer (source_type, account, region, hour, kms_key_id, seq) WHERE file_id IS NULL;
CREATE INDEX archive_buffer_file ON archive_buffer (file_id, seq) WHERE file_id IS NOT NULL;

-- Archive files: planned (its events chosen, written_at null) then written once the PUT succeeded. A planned file
-- found at start is written again from the same events under the same key.
CREATE TABLE archive_files (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    object_key  text        NOT NULL UNIQUE,
    kms_key_id  text        NOT NULL,
    events      integer     NOT NULL,
    planned_at  timestamptz NOT NULL,
    written_at  timestamptz,
    bytes       bigint,
    sha256      text,
    digest_seq  bigint
);

CREATE INDEX archive_files_undigested ON archive_files (written_at) WHERE written_at IS NOT NULL AND digest_seq IS NULL;

-- Signed digests, a chain: each names the previous one's hash. content is the object's exact bytes, so a digest
-- planned before a crash is written again unchanged.
CREATE TABLE archive_digests (
    seq             bigint      PRIMARY KEY,
    object_key      text        NOT NULL UNIQUE,
    period_start    timestamptz NOT NULL,
    period_end      timestamptz NOT NULL,
    content         bytea       NOT NULL,
    sha256          text        NOT NULL,
    signature       text        NOT NULL,
    written_at      timestamptz
);

-- Each log group's KMS key, from provisioning's events (versions make redelivered or late events harmless).
CREATE TABLE log_group_keys (
    name       text   PRIMARY KEY,
    kms_key_id text,
    version    bigint NOT NULL
);

-- The generated signing key, where configuration gives none (local use).
CREATE TABLE signing_key (
    id          integer PRIMARY KEY CHECK (id = 1),
    private_pem text    NOT NULL
);
