namespace Platform.SqlQueries;

/// <summary>
/// The SQL a query compiles to: <see cref="Postgres"/> over ingestion's raw log store (the hot tier) or
/// <see cref="DuckDb"/> over the archive's Parquet files (the archive tier). The parser, the checks and the shape of
/// the statement are the compiler's, one for both; only these fragments differ. Each is fixed text of the compiler's
/// (paths from the column tables, generated placeholders), never text of the query.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>What the archive tier's statements read: a view of the fetched Parquet files' <c>event_time</c> and <c>record</c>.</summary>
    public const string ArchiveEvents = "archive_events";

    private SqlTable? _cloudTrail;
    private SqlTable? _vpcFlowLogs;

    public static SqlDialect Postgres { get; } = new PostgresDialect();

    public static SqlDialect DuckDb { get; } = new DuckDbDialect();

    /// <summary>An event data store's columns in this dialect.</summary>
    public SqlTable CloudTrail => _cloudTrail ??= SqlTable.BuildCloudTrail(this);

    /// <summary>The flow logs table's columns in this dialect.</summary>
    public SqlTable VpcFlowLogs => _vpcFlowLogs ??= SqlTable.BuildFlowLogs(this);

    /// <summary>The JSON value at <paramref name="path"/> of the row's event (<c>e.d</c>).</summary>
    internal abstract string Json(IReadOnlyList<string> path);

    /// <summary>The text at <paramref name="path"/> (a JSON string's value, other values as JSON).</summary>
    internal abstract string Text(IReadOnlyList<string> path);

    /// <summary>The whole number at <paramref name="path"/>; null when the value there is not a number.</summary>
    internal abstract string BigInt(IReadOnlyList<string> path);

    /// <summary><c>YYYY/MM/DD</c> (UTC) of the row's event time.</summary>
    internal abstract string Day { get; }

    /// <summary>A JSON value written as text.</summary>
    internal abstract string JsonAsText(string json);

    /// <summary>The parameter value that reads <paramref name="key"/> of a map with <c>-&gt;&gt;</c>.</summary>
    internal abstract string MapKey(string key);

    /// <summary>The rows, each <c>d</c> (the event as JSON) and <c>event_time</c>: the table's events from <paramref name="since"/> when given.</summary>
    internal abstract string Source(string sourceType, DateTimeOffset? since, SqlParameters parameters);

    /// <summary>One row: how many events the query reads and their stored size.</summary>
    internal abstract string Scope(string sourceType, DateTimeOffset? since, SqlParameters parameters);

    /// <summary><paramref name="value"/> equals one of <paramref name="values"/>.</summary>
    internal abstract string EqualsAny(string value, string[] values, SqlParameters parameters);

    /// <summary><paramref name="value"/> is like one of <paramref name="patterns"/> ('\' escapes).</summary>
    internal abstract string LikeAny(string value, string[] patterns, SqlParameters parameters);

    private sealed class PostgresDialect : SqlDialect
    {
        internal override string Json(IReadOnlyList<string> path) =>
            path.Count == 1 ? $"(e.d->'{path[0]}')" : $"(e.d #> '{{{string.Join(',', path)}}}')";

        internal override string Text(IReadOnlyList<string> path) =>
            path.Count == 1 ? $"(e.d->>'{path[0]}')" : $"(e.d #>> '{{{string.Join(',', path)}}}')";

        internal override string BigInt(IReadOnlyList<string> path) =>
            $"(CASE WHEN jsonb_typeof({Json(path)}) = 'number' THEN {Text(path)}::bigint END)";

        internal override string Day => "to_char(e.event_time AT TIME ZONE 'UTC', 'YYYY/MM/DD')";

        internal override string JsonAsText(string json) => $"({json})::text";

        internal override string MapKey(string key) => key;

        // The record parsed once per row (OFFSET 0 keeps Postgres from inlining the subquery and parsing it again for
        // every column read).
        internal override string Source(string sourceType, DateTimeOffset? since, SqlParameters parameters) =>
            $"SELECT coalesce(document, record)::jsonb AS d, event_time FROM log_events{Where(sourceType, since, parameters)} OFFSET 0";

        internal override string Scope(string sourceType, DateTimeOffset? since, SqlParameters parameters) =>
            $"SELECT count(*), coalesce(sum(pg_column_size(record)), 0) FROM log_events{Where(sourceType, since, parameters)}";

        private static string Where(string sourceType, DateTimeOffset? since, SqlParameters parameters) =>
            $" WHERE source_type = {parameters.Add(sourceType)}" + (since is { } start ? $" AND event_time >= {parameters.Add(start)}" : "");

        internal override string EqualsAny(string value, string[] values, SqlParameters parameters) => $"{value} = ANY({parameters.Add(values)})";

        internal override string LikeAny(string value, string[] patterns, SqlParameters parameters) => $"{value} LIKE ANY({parameters.Add(patterns)})";
    }

    /// <summary>DuckDB's JSON functions with JSON pointers (<c>/userIdentity/arn</c>): a key is never read as a path.</summary>
    private sealed class DuckDbDialect : SqlDialect
    {
        internal override string Json(IReadOnlyList<string> path) => $"(e.d->'{Pointer(path)}')";

        internal override string Text(IReadOnlyList<string> path) => $"(e.d->>'{Pointer(path)}')";

        internal override string BigInt(IReadOnlyList<string> path) =>
            $"(CASE WHEN json_type(e.d, '{Pointer(path)}') IN ('BIGINT', 'UBIGINT') THEN CAST({Text(path)} AS BIGINT) END)";

        internal override string Day => "strftime(e.event_time, '%Y/%m/%d')";

        internal override string JsonAsText(string json) => $"CAST({json} AS VARCHAR)";

        internal override string MapKey(string key) => Pointer([key]);

        // The view holds the table's files only: the source type chose them.
        internal override string Source(string sourceType, DateTimeOffset? since, SqlParameters parameters) =>
            $"SELECT CAST(record AS JSON) AS d, event_time FROM {ArchiveEvents}{Where(since, parameters)}";

        internal override string Scope(string sourceType, DateTimeOffset? since, SqlParameters parameters) =>
            $"SELECT count(*), coalesce(sum(strlen(record)), 0) FROM {ArchiveEvents}{Where(since, parameters)}";

        private static string Where(DateTimeOffset? since, SqlParameters parameters) =>
            since is { } start ? $" WHERE event_time >= {parameters.Add(start)}" : "";

        internal override string EqualsAny(string value, string[] values, SqlParameters parameters) => $"list_contains({parameters.Add(values)}, {value})";

        internal override string LikeAny(string value, string[] patterns, SqlParameters parameters) =>
            "(" + string.Join(" OR ", patterns.Select(p => $"{value} LIKE {parameters.Add(p)} ESCAPE '\\'")) + ")";

        /// <summary>A JSON pointer (RFC 6901): '~' and '/' in a key escaped.</summary>
        private static string Pointer(IEnumerable<string> path) =>
            string.Concat(path.Select(key => "/" + key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));
    }
}
