-- One index fewer for every observation written. The primary key (correlation_key, group_key, event_id, rule_key)
-- served only to recognise an observation written again (a redelivered batch: ON CONFLICT DO NOTHING); no read uses
-- it, and its entries held both keys (often a hundred bytes or more) and were the widest of the table's indexes (session
-- 17, the attack mix: the observations' INSERT was the database's largest statement, 85 µs per row). The window index
-- now recognises them: an event's time never changes, so (window_hash, event_time, event_id, rule_key) names an
-- observation as the key did, but for two windows whose 64-bit hashes collide observing the same event for the same
-- rule, where the second is not written. Window reads still use its leading (window_hash, event_time).
ALTER TABLE correlation_observations DROP CONSTRAINT correlation_observations_pkey;
DROP INDEX correlation_observations_window;
CREATE UNIQUE INDEX correlation_observations_window ON correlation_observations (window_hash, event_time, event_id, rule_key);
