-- Quarantine: one row per rejected payload (how many of its records were rejected, the first reasons), its total
-- size bounded (quarantine_usage keeps the sum, so the cap is checked without a scan) and a retention of its own.
ALTER TABLE quarantine ADD COLUMN rejected integer NOT NULL DEFAULT 1;
ALTER TABLE quarantine ADD COLUMN reasons text[];
UPDATE quarantine SET reasons = ARRAY[reason];
ALTER TABLE quarantine ALTER COLUMN reasons SET NOT NULL, ALTER COLUMN rejected DROP DEFAULT, DROP COLUMN reason;
-- What a row counts against the cap: its kept bytes and its reasons.
ALTER TABLE quarantine ADD COLUMN stored_bytes integer;
UPDATE quarantine SET stored_bytes = octet_length(raw) + octet_length(array_to_string(reasons, ''));
ALTER TABLE quarantine ALTER COLUMN stored_bytes SET NOT NULL;

CREATE TABLE quarantine_usage (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    bytes    bigint  NOT NULL
);
INSERT INTO quarantine_usage (bytes) SELECT coalesce(sum(stored_bytes), 0) FROM quarantine;
