-- Where each batch of a publication begins (positions in event_ids, the first 0), recorded when the publication is
-- stored. Published again (a retry, another instance's replay, the sweeper), a publication is cut where it was cut the
-- first time, so its batches keep their ids, which consumers recognise, even if Ingestion:PublishBatchSize or
-- PublishBatchBytes changed between a crash and the publication's completion. Null for publications stored before this
-- column: those are cut by the settings of the instance that publishes them, as before.
ALTER TABLE pending_publications ADD COLUMN batch_starts integer[];
