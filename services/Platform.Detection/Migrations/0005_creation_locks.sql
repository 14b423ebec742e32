-- The rows a batch may change or create (findings, Insights' keys), locked in one round trip and one order: first a
-- transaction-scoped advisory lock for every key (by hash), then the rows that exist (by key), read on a snapshot taken
-- after the advisory locks, so a row another batch created while this one waited is read and locked, not inserted
-- again. Every batch takes its advisory locks before any row lock, so two batches never wait on each other's rows in
-- opposite orders (locking existing rows first, then creating the missing ones, could).
CREATE FUNCTION take_creation_locks(names text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM count(pg_advisory_xact_lock(h))
    FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest(names) AS u(k) ORDER BY h) AS locks;
END $$;

CREATE FUNCTION lock_findings(ids uuid[], names text[]) RETURNS SETOF findings LANGUAGE plpgsql AS $$
BEGIN
    PERFORM take_creation_locks(names);
    RETURN QUERY SELECT * FROM findings WHERE id = ANY(ids) ORDER BY id FOR UPDATE;
END $$;

CREATE FUNCTION lock_insight_keys(keys text[], names text[]) RETURNS SETOF insight_keys LANGUAGE plpgsql AS $$
BEGIN
    PERFORM take_creation_locks(names);
    RETURN QUERY SELECT * FROM insight_keys WHERE key = ANY(keys) ORDER BY key FOR UPDATE;
END $$;
