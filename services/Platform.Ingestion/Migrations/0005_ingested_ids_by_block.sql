-- The claimed ids' ingestion time is read only by retention (ids older than the longest retention are forgotten), and
-- ids are claimed in ingestion order: a block range index finds them in a few pages, where the B-tree took an entry for
-- every event stored (session 17: the claim was the database's fourth largest statement under the attack mix).
DROP INDEX ingested_event_ids_ingested_at;
CREATE INDEX ingested_event_ids_ingested_at ON ingested_event_ids USING brin (ingested_at);
