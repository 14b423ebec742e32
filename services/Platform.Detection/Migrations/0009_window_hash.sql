-- A window's rows found by a 64-bit hash of its correlation and group instead of the two strings: the window and writer
-- indexes held both (a correlation's key and the group's values, often a hundred bytes or more) in every entry, and
-- every observation writes an entry into each. The reads still compare the strings, so two windows that share a hash
-- cost each other only rows read and dropped.
ALTER TABLE correlation_observations
    ADD COLUMN window_hash bigint GENERATED ALWAYS AS (hashtextextended(correlation_key || E'\x1f' || group_key, 0)) STORED;
DROP INDEX correlation_observations_window;
DROP INDEX correlation_observations_writer;
CREATE INDEX correlation_observations_window ON correlation_observations (window_hash, event_time);
CREATE INDEX correlation_observations_writer ON correlation_observations (window_hash, written_by);
-- The cleanup's index (rows older than the longest timespan) as a block range index: a few pages however many rows,
-- and never a path for a window's read, which a B-tree on event_time alone offered the planner (every window's rows
-- in the time range, filtered by hash).
DROP INDEX correlation_observations_time;
CREATE INDEX correlation_observations_time ON correlation_observations USING brin (event_time);

-- Retro-hunts' windows, the same but for the cleanup's index: a hunt's rows are deleted by its key prefix, through the
-- primary key. Their indexes were copied with the table, under generated names.
ALTER TABLE retro_hunt_observations
    ADD COLUMN window_hash bigint GENERATED ALWAYS AS (hashtextextended(correlation_key || E'\x1f' || group_key, 0)) STORED;
DO $$
DECLARE copied text;
BEGIN
    FOR copied IN
        SELECT c.relname FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
        WHERE x.indrelid = 'retro_hunt_observations'::regclass AND NOT x.indisprimary
    LOOP
        EXECUTE format('DROP INDEX %I', copied);
    END LOOP;
END $$;
CREATE INDEX retro_hunt_observations_window ON retro_hunt_observations (window_hash, event_time);
CREATE INDEX retro_hunt_observations_writer ON retro_hunt_observations (window_hash, written_by);
