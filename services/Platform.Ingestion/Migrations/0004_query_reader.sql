-- Query runs (Logs Insights, the SQL subset) run as this role, so a compiled statement can read the raw log store
-- and nothing else, and can write nothing at all (the runner also sets the transaction READ ONLY). Roles belong to
-- the cluster, not the database: the role is created once, whichever database migrates first (several may at once).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'platform_query_reader') THEN
        CREATE ROLE platform_query_reader NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;
GRANT SELECT ON log_events TO platform_query_reader;
-- The service's own user switches to the role with SET LOCAL ROLE inside each query's transaction.
DO $$
BEGIN
    EXECUTE format('GRANT platform_query_reader TO %I', current_user);
EXCEPTION WHEN duplicate_object OR invalid_grant_operation THEN
    NULL;
END
$$;

-- Conversions compiled queries use on values read from JSON documents, which may be anything: NULL where a value
-- is not a number or an IP address instead of an error that would fail the whole query.
CREATE FUNCTION query_numeric(value text) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN value ~ '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]{1,4})?\s*$' THEN value::numeric END;

CREATE FUNCTION query_inet(value text) RETURNS inet
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
    IF value IS NULL OR value !~ '^[0-9A-Fa-f.:/]{2,64}$' THEN
        RETURN NULL;
    END IF;
    RETURN value::inet;
EXCEPTION WHEN invalid_text_representation OR invalid_parameter_value THEN
    RETURN NULL;
END
$$;
