using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Ingestion.Queries;
using Platform.SqlQueries;

namespace Platform.Ingestion.SqlQueries;

/// <summary>
/// CloudTrail Lake's StartQuery / GetQueryResults / CancelQuery over the raw log store: <c>/v1/sql-queries</c>. A
/// statement is parsed and compiled here (400 naming the construct and its position when it is outside the subset),
/// then run by <see cref="QueryRuns"/>, the runner every query language shares.
/// </summary>
public static class SqlQueriesApi
{
    /// <summary>The runs of this API, among the runner's.</summary>
    public const string RunKind = "sql";

    private const int MaxBodyBytes = SqlParser.MaxLength * 4 + 1024;

    private static readonly JsonSerializerOptions RequestJson = JsonBody.ForRequests(PlatformJson.Options);

    public static IEndpointRouteBuilder MapSqlQueriesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/sql-queries").WithTags("SQL queries").RequireAuthorization(PlatformPolicies.Read);
        group.MapPost("/", StartAsync)
            .WithSummary("Start a SQL query (StartQuery): {\"queryStatement\", \"tier\"} → {\"queryId\"}. FROM an event data store (name, id or ARN) or vpc_flow_logs. tier: hot (the raw log store, default) or archive (the archive's Parquet files in S3, the partitions the WHERE allows). 400 names the construct outside the subset and its position.");
        group.MapGet("/{id}", Get)
            .WithSummary("A query's status and results (GetQueryResults): QueryStatus, QueryStatistics, QueryResultRows, ErrorMessage.");
        group.MapDelete("/{id}", CancelAsync)
            .WithSummary("Cancel a running query (CancelQuery). 409 when it has already ended.");
        return app;
    }

    /// <summary>The tier a query runs over when the body names none: the raw log store.</summary>
    public const string HotTier = "hot";

    /// <summary>The archive's Parquet files in S3, read by an embedded DuckDB (<see cref="ArchiveQueries"/>).</summary>
    public const string ArchiveTier = "archive";

    /// <summary>StartQuery's body.</summary>
    /// <param name="QueryStatement">The SELECT.</param>
    /// <param name="Tier"><c>hot</c> (the raw log store, the default) or <c>archive</c> (the archive's Parquet files).</param>
    public sealed record StartSqlQuery(string? QueryStatement, string? Tier = null);

    public sealed record SqlQueryStarted(string QueryId);

    /// <summary>GetQueryResults' answer, AWS's names and casing.</summary>
    public sealed record SqlQueryResults(
        [property: JsonPropertyName("QueryStatus")] string QueryStatus,
        [property: JsonPropertyName("QueryStatistics")] SqlQueryStatistics QueryStatistics,
        [property: JsonPropertyName("QueryResultRows")] IReadOnlyList<IReadOnlyList<IReadOnlyDictionary<string, string?>>> QueryResultRows,
        [property: JsonPropertyName("ErrorMessage")] string? ErrorMessage);

    public sealed record SqlQueryStatistics(
        [property: JsonPropertyName("ResultsCount")] long ResultsCount,
        [property: JsonPropertyName("TotalResultsCount")] long TotalResultsCount,
        [property: JsonPropertyName("BytesScanned")] long BytesScanned);

    public sealed record SqlQueryCancelled(
        [property: JsonPropertyName("QueryId")] string QueryId,
        [property: JsonPropertyName("QueryStatus")] string QueryStatus);

    public static async Task<IResult> StartAsync(
        HttpContext context, LiveEventDataStores stores, QueryRuns runs, ArchiveQueries archive, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<StartSqlQuery>(context, RequestJson, cancellationToken, MaxBodyBytes);
        if (body.Problem is { } problem)
        {
            return problem;
        }
        var tier = body.Value?.Tier ?? HotTier;
        if (tier is not (HotTier or ArchiveTier))
        {
            return ProblemDetailsExtensions.FieldProblem("tier", $"must be {HotTier} (the raw log store) or {ArchiveTier} (the archive's Parquet files)");
        }
        return Start(body.Value?.QueryStatement, "queryStatement", stores, runs, time, tier == ArchiveTier ? archive : null);
    }

    /// <summary>
    /// Compiles and starts a statement (a saved query's too) over the raw log store, or over the archive when
    /// <paramref name="archive"/> is given: the answer StartQuery gives, a refusal naming <paramref name="field"/>.
    /// </summary>
    public static IResult Start(string? statement, string field, LiveEventDataStores stores, QueryRuns runs, TimeProvider time, ArchiveQueries? archive = null)
    {
        if (string.IsNullOrWhiteSpace(statement))
        {
            return ProblemDetailsExtensions.FieldProblem(field, "is required: a SELECT statement");
        }
        var dialect = archive is null ? SqlDialect.Postgres : SqlDialect.DuckDb;
        if (SqlQueryCompiler.TryCompile(statement, [.. stores.Current.Values], time.GetUtcNow(), dialect, out var error) is not { } compiled)
        {
            return ProblemDetailsExtensions.FieldProblem(field, error!.ToString(), "The query is outside the supported SQL.");
        }
        if (runs.Start(new QueryRunRequest(RunKind, compiled.Query, compiled.Scope, int.MaxValue, archive?.For(compiled.Archive))) is not { } run)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many queries.",
                detail: "As many queries as the service keeps are running; wait for one to finish or cancel one.");
        }
        return TypedResults.Ok(new SqlQueryStarted(run.Id));
    }

    public static IResult Get(string id, QueryRuns runs) =>
        runs.Find(RunKind, id) is { } run ? TypedResults.Ok(ResultsOf(run)) : NotFound(id);

    public static async Task<IResult> CancelAsync(string id, QueryRuns runs)
    {
        if (await runs.CancelAsync(RunKind, id))
        {
            return TypedResults.Ok(new SqlQueryCancelled(id, Status(QueryRunStatus.Cancelled)));
        }
        return runs.Find(RunKind, id) is { } run
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The query is not running.",
                detail: $"Query {id} has already ended: {Status(run.Status)}.")
            : NotFound(id);
    }

    /// <summary>A run as GetQueryResults answers: each row a list of one-column objects, in the select list's order.</summary>
    public static SqlQueryResults ResultsOf(QueryRunSnapshot run) => new(
        Status(run.Status),
        new SqlQueryStatistics(run.Rows.Count, run.Rows.Count, run.Statistics.BytesScanned),
        run.Rows.Select(row => (IReadOnlyList<IReadOnlyDictionary<string, string?>>)row
            .Select((value, i) => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?>(StringComparer.Ordinal) { [run.Columns[i]] = value })
            .ToList()).ToList(),
        run.Error);

    /// <summary>The runner's status under CloudTrail Lake's name.</summary>
    public static string Status(QueryRunStatus status) => status switch
    {
        QueryRunStatus.Scheduled => "QUEUED",
        QueryRunStatus.Running => "RUNNING",
        QueryRunStatus.Complete => "FINISHED",
        QueryRunStatus.Cancelled => "CANCELLED",
        QueryRunStatus.Timeout => "TIMED_OUT",
        _ => "FAILED",
    };

    private static ProblemHttpResult NotFound(string id) =>
        ProblemDetailsExtensions.NoSuch("query", $"There is no SQL query '{id}' (results are kept for a while after it ends).");
}
