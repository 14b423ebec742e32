-- The findings a batch changes, locked as lock_findings locked them (the creation locks, then the rows in id order),
-- answering only each row's version: detection keeps the states it committed and reads a finding's state (kilobytes of
-- jsonb, turned to text and parsed again) only when its version shows another writer changed it since.
CREATE FUNCTION lock_finding_versions(ids uuid[], names text[]) RETURNS TABLE (id uuid, version bigint) LANGUAGE plpgsql AS $$
BEGIN
    PERFORM take_creation_locks(names);
    RETURN QUERY SELECT f.id, f.version FROM findings AS f WHERE f.id = ANY(ids) ORDER BY f.id FOR UPDATE;
END $$;

DROP FUNCTION lock_findings(uuid[], text[]);
