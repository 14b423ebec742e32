using Platform.Ingestion.Queries;
using Platform.Ingestion.SqlQueries;

namespace Platform.Ingestion.SavedQueries;

/// <summary>
/// The provisioned saved queries (kind <c>saved-queries</c>), listed and run by name: a run starts the query as
/// <c>/v1/queries</c> or <c>/v1/sql-queries</c> starts it, by the same code, and answers as they do
/// (<c>{"queryId"}</c>, polled at <c>/v1/queries/{id}</c> or <c>/v1/sql-queries/{id}</c> by the query's language).
/// </summary>
public static class SavedQueriesApi
{
    /// <summary>How far back a Logs Insights saved query reads when the run gives no <c>startTime</c> (the seed's query reads a week).</summary>
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(7);

    public static IEndpointRouteBuilder MapSavedQueriesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/saved-queries").WithTags("Saved queries").RequireAuthorization(PlatformPolicies.Read);
        group.MapGet("/", List)
            .WithSummary("The saved queries, by name: name, language (logs-insights | sql), queryString, logGroupNames, description.");
        group.MapPost("/{name}/run", RunAsync)
            .WithSummary("Runs a saved query: {startTime, endTime} (epoch seconds, Logs Insights only; the last 7 days when absent) → {queryId}, polled at /v1/queries/{id} (logs-insights) or /v1/sql-queries/{id} (sql).");
        return app;
    }

    /// <summary>A saved query as listed.</summary>
    public sealed record SavedQueryView(string Name, string Language, string QueryString, IReadOnlyList<string>? LogGroupNames, string? Description);

    /// <summary>A run's optional overrides of the time range.</summary>
    public sealed record RunSavedQuery(long? StartTime, long? EndTime);

    public static IResult List(LiveSavedQueries queries) =>
        TypedResults.Ok(queries.Current.Select(q => new SavedQueryView(
            q.Key, q.Value.Language ?? SavedQueryLanguages.LogsInsights, q.Value.QueryString ?? "", q.Value.LogGroupNames, q.Value.Description)).ToList());

    public static async Task<IResult> RunAsync(
        string name, HttpContext http, LiveSavedQueries queries, LiveEventDataStores stores, QueryRuns runs, TimeProvider time,
        CancellationToken cancellationToken)
    {
        // An empty body runs the query as saved.
        var body = await JsonBody.ReadAsync<RunSavedQuery>(http, JsonBody.RequestOptions, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }
        if (queries.Find(name) is not { } saved)
        {
            return ProblemDetailsExtensions.NoSuch("saved query", $"There is no saved query '{name}' (provision it as kind {ProvisioningKinds.SavedQueries}).");
        }
        var range = body.Value ?? new RunSavedQuery(null, null);
        if (saved.Language == SavedQueryLanguages.Sql)
        {
            var errors = new ValidationErrors();
            foreach (var (field, value) in new[] { ("startTime", range.StartTime), ("endTime", range.EndTime) })
            {
                if (value is not null)
                {
                    errors.Add(field, "applies to Logs Insights queries only: a SQL query's range is in its WHERE clause");
                }
            }
            return errors.HasErrors ? errors.ToProblem() : SqlQueriesApi.Start(saved.QueryString, "queryString", stores, runs, time);
        }
        var end = range.EndTime ?? time.GetUtcNow().ToUnixTimeSeconds();
        var start = range.StartTime ?? end - (long)DefaultRange.TotalSeconds;
        return InsightsQueriesApi.Start(
            new StartQueryRequest(saved.QueryString, null, saved.LogGroupNames is { Count: > 0 } groups ? [.. groups] : null, null, start, end, null), runs);
    }
}
