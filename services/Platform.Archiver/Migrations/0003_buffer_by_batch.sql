-- The buffer by batch, not by event. A row per event cost the database more than anything else the platform does
-- (session 17, routine traffic: the buffer's INSERT 145 µs of statement time per event against 66 for ingestion's COPY
-- of the same events, then an UPDATE of every row when its file was planned, and each record kept for the deduplication
-- window after its file was written). Now a delivered batch is one row of archive_batches (its id: ingestion derives a
-- batch's id from its event ids and publishes an event in one batch only, ever, so a redelivery carries the same id) and
-- one row of archive_chunks per partition group and log group it touches, its events' columns as arrays in the batch's
-- order, built by the archiver so the database only stores them. A chunk is deleted once its file is written; a batch
-- id is kept for the deduplication window.

CREATE TABLE archive_batches (
    batch_id    uuid        PRIMARY KEY,
    buffered_at timestamptz NOT NULL,
    events      integer     NOT NULL
);
CREATE INDEX archive_batches_buffered_at ON archive_batches (buffered_at);

-- A batch's events of one group (source type, account, region, hour, KMS key) and log group, in the batch's order. seq
-- orders the chunks and names the files. Records are the UTF-8 bytes received, compressed together with LZ4 (the array
-- is one value).
CREATE TABLE archive_chunks (
    seq          bigint        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_type  text          NOT NULL,
    account      text          NOT NULL,
    region       text          NOT NULL,
    hour         timestamptz   NOT NULL,
    kms_key_id   text          NOT NULL,
    log_group    text,
    buffered_at  timestamptz   NOT NULL,
    ingested_at  timestamptz   NOT NULL,
    events       integer       NOT NULL,
    record_bytes bigint        NOT NULL,
    file_id      bigint,
    event_ids     text[]        NOT NULL,
    event_times   timestamptz[] NOT NULL,
    log_streams   text[]        NOT NULL,
    event_sources text[]        NOT NULL,
    event_names   text[]        NOT NULL,
    principals    text[]        NOT NULL,
    source_ips    text[]        NOT NULL,
    error_codes   text[]        NOT NULL,
    records       bytea[]       COMPRESSION lz4 NOT NULL
);

-- What the writer looks for: pending chunks per group, and a planned file's chunks.
CREATE INDEX archive_chunks_pending ON archive_chunks (source_type, account, region, hour, kms_key_id, seq) WHERE file_id IS NULL;
CREATE INDEX archive_chunks_file ON archive_chunks (file_id, seq) WHERE file_id IS NOT NULL;

-- The events still to be archived (pending, or in a planned file not yet written) move over, a chunk per group, log group,
-- file and ingestion time, in buffer order. The ids of events already archived are not carried: the batches that held them are
-- not known, so a batch delivered again after this migration, whose events were archived before it, is archived again.
INSERT INTO archive_chunks (source_type, account, region, hour, kms_key_id, log_group, buffered_at, ingested_at, events, record_bytes, file_id,
    event_ids, event_times, log_streams, event_sources, event_names, principals, source_ips, error_codes, records)
SELECT b.source_type, b.account, b.region, b.hour, b.kms_key_id, b.log_group, min(b.buffered_at), b.ingested_at, count(*),
    sum(b.record_bytes), b.file_id, array_agg(b.event_id ORDER BY b.seq), array_agg(b.event_time ORDER BY b.seq),
    array_agg(b.log_stream ORDER BY b.seq), array_agg(b.event_source ORDER BY b.seq), array_agg(b.event_name ORDER BY b.seq),
    array_agg(b.principal ORDER BY b.seq), array_agg(b.source_ip ORDER BY b.seq), array_agg(b.error_code ORDER BY b.seq),
    array_agg(convert_to(b.record, 'UTF8') ORDER BY b.seq)
FROM archive_buffer b LEFT JOIN archive_files f ON f.id = b.file_id
WHERE b.file_id IS NULL OR f.written_at IS NULL
GROUP BY b.source_type, b.account, b.region, b.hour, b.kms_key_id, b.log_group, b.file_id, b.ingested_at
ORDER BY min(b.seq);

DROP TABLE archive_buffer;
