using Platform.LogsInsights;

namespace Platform.Ingestion.Queries;

/// <summary>StartQuery's body: the query, its log groups (one of the three forms, or SOURCE in the query) and time range.</summary>
/// <param name="QueryString">The Logs Insights query.</param>
/// <param name="LogGroupName">One log group.</param>
/// <param name="LogGroupNames">Up to 50 log groups.</param>
/// <param name="LogGroupIdentifiers">Up to 50 log group names or ARNs.</param>
/// <param name="StartTime">Epoch seconds, inclusive.</param>
/// <param name="EndTime">Epoch seconds, inclusive.</param>
/// <param name="Limit">The most rows returned (1 to 10,000; 1,000 when absent).</param>
public sealed record StartQueryRequest(
    string? QueryString, string? LogGroupName, IReadOnlyList<string?>? LogGroupNames, IReadOnlyList<string?>? LogGroupIdentifiers,
    long? StartTime, long? EndTime, int? Limit);

public sealed record StartQueryResponse(string QueryId);

public sealed record ResultField(string Field, string Value);

public sealed record QueryStatistics(double RecordsMatched, double RecordsScanned, double BytesScanned);

/// <summary>GetQueryResults' answer; <see cref="Error"/> says why a Failed run failed.</summary>
public sealed record GetQueryResultsResponse(string Status, IReadOnlyList<IReadOnlyList<ResultField>> Results, QueryStatistics Statistics, string? Error);

public sealed record StopQueryResponse(bool Success);

/// <summary>
/// Logs Insights over the raw log store, answering like StartQuery / GetQueryResults / StopQuery: the query is parsed
/// and compiled here, and run by <see cref="QueryRuns"/> (kind <c>insights</c>).
/// </summary>
public static class InsightsQueriesApi
{
    public const string Kind = "insights";

    public const int DefaultLimit = 1000;

    private const long LatestEpochSeconds = 253_402_300_799;

    public static IEndpointRouteBuilder MapInsightsQueriesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/queries").WithTags("Logs Insights").RequireAuthorization(PlatformPolicies.Read);
        group.MapPost("/", StartAsync)
            .WithSummary("Starts a Logs Insights query (StartQuery): {queryString, logGroupName | logGroupNames | logGroupIdentifiers, startTime, endTime, limit}.")
            .WithDescription("Times are epoch seconds, inclusive. A query that does not parse answers 400 naming queryString with the line, column and what was expected.");
        group.MapGet("/{id}", Get).WithSummary("The run's status, results so far and statistics (GetQueryResults).");
        group.MapDelete("/{id}", StopAsync).WithSummary("Cancels a running query, in the database too (StopQuery).");
        return app;
    }

    public static async Task<IResult> StartAsync(HttpContext http, QueryRuns runs, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<StartQueryRequest>(http, JsonBody.RequestOptions, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }
        return Start(body.Value ?? new StartQueryRequest(null, null, null, null, null, null, null), runs);
    }

    /// <summary>Checks, compiles and starts a StartQuery request (a saved query's too): the answer StartQuery gives.</summary>
    public static IResult Start(StartQueryRequest request, QueryRuns runs)
    {
        var errors = new ValidationErrors();
        InsightsQuery? query = null;
        if (string.IsNullOrWhiteSpace(request.QueryString))
        {
            errors.Add("queryString", "is required");
        }
        else
        {
            try
            {
                query = InsightsParser.Parse(request.QueryString);
            }
            catch (InsightsSyntaxException ex)
            {
                errors.Add("queryString", ex.Message);
            }
        }
        var logGroups = LogGroups(request, query, errors);
        if (request.StartTime is not { } start || start is < 0 or > LatestEpochSeconds)
        {
            errors.Add("startTime", $"is required: epoch seconds from 0 to {LatestEpochSeconds}");
        }
        if (request.EndTime is not { } end || end is < 0 or > LatestEpochSeconds)
        {
            errors.Add("endTime", $"is required: epoch seconds from 0 to {LatestEpochSeconds}");
        }
        else if (request.StartTime is { } begin && end < begin)
        {
            errors.Add("endTime", "is before startTime");
        }
        if (request.Limit is < 1 or > InsightsParser.MaxLimit)
        {
            errors.Add("limit", $"is 1 to {InsightsParser.MaxLimit}");
        }
        if (errors.HasErrors)
        {
            return errors.ToProblem();
        }
        CompiledInsightsQuery compiled;
        try
        {
            compiled = InsightsCompiler.Compile(query!, new InsightsScope(
                DateTimeOffset.FromUnixTimeSeconds(request.StartTime!.Value), DateTimeOffset.FromUnixTimeSeconds(request.EndTime!.Value), logGroups));
        }
        catch (InsightsSyntaxException ex)
        {
            return ProblemDetailsExtensions.FieldProblem("queryString", ex.Message);
        }
        return runs.Start(new QueryRunRequest(Kind, compiled.Statement, compiled.Scope, request.Limit ?? DefaultLimit)) is { } run
            ? TypedResults.Ok(new StartQueryResponse(run.Id))
            : TooManyRuns();
    }

    public static IResult Get(string id, QueryRuns runs) =>
        runs.Find(Kind, id) is { } run ? TypedResults.Ok(Shape(run)) : TypedResults.NotFound();

    public static async Task<IResult> StopAsync(string id, QueryRuns runs) =>
        runs.Find(Kind, id) is null ? TypedResults.NotFound() : TypedResults.Ok(new StopQueryResponse(await runs.CancelAsync(Kind, id)));

    /// <summary>A run as GetQueryResults answers it: each row the fields that have a value, in column order.</summary>
    private static GetQueryResultsResponse Shape(QueryRunSnapshot run)
    {
        var rows = run.Rows.Select(row => (IReadOnlyList<ResultField>)row
            .Select((value, i) => value is null ? null : new ResultField(run.Columns[i], value))
            .OfType<ResultField>()
            .ToArray()).ToArray();
        var statistics = new QueryStatistics(run.Statistics.RecordsMatched, run.Statistics.RecordsScanned, run.Statistics.BytesScanned);
        return new GetQueryResultsResponse(run.Status.ToString(), rows, statistics, run.Error);
    }

    /// <summary>The log groups the request names (any of the three forms), or none when the query names them with SOURCE.</summary>
    private static IReadOnlyList<string> LogGroups(StartQueryRequest request, InsightsQuery? query, ValidationErrors errors)
    {
        var forms = new (string Field, IReadOnlyList<string?>? Values)[]
        {
            ("logGroupName", request.LogGroupName is null ? null : [request.LogGroupName]),
            ("logGroupNames", request.LogGroupNames),
            ("logGroupIdentifiers", request.LogGroupIdentifiers),
        }.Where(f => f.Values is not null).ToArray();
        if (forms.Length > 1)
        {
            errors.Add(forms[1].Field, $"give one of logGroupName, logGroupNames and logGroupIdentifiers, not {forms[0].Field} too");
            return [];
        }
        if (forms.Length == 0)
        {
            if (query is not null && query.Source is null)
            {
                errors.Add("logGroupNames", "is required unless the queryString starts with SOURCE");
            }
            return [];
        }
        var (field, values) = forms[0];
        if (query?.Source is not null)
        {
            errors.Add(field, "the queryString names its log groups with SOURCE: give them in one place");
        }
        if (values!.Count is 0 or > InsightsCompiler.MaxLogGroups)
        {
            errors.Add(field, $"holds {values.Count} log groups: 1 to {InsightsCompiler.MaxLogGroups}");
            return [];
        }
        var names = new List<string>();
        for (var i = 0; i < values.Count; i++)
        {
            var name = field == "logGroupIdentifiers" ? LogGroupName(values[i]) : values[i];
            if (string.IsNullOrEmpty(name) || name.Length > 512 || name.Contains('\0'))
            {
                errors.Add(field == "logGroupName" ? field : $"{field}[{i}]", "is not a log group name (1 to 512 characters) or ARN");
                continue;
            }
            names.Add(name);
        }
        return names;
    }

    /// <summary>A log group identifier is its name or its ARN (<c>arn:aws:logs:region:account:log-group:name[:*]</c>).</summary>
    private static string? LogGroupName(string? identifier)
    {
        if (identifier is null || !identifier.StartsWith("arn:", StringComparison.Ordinal))
        {
            return identifier;
        }
        var at = identifier.IndexOf(":log-group:", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }
        var name = identifier[(at + ":log-group:".Length)..];
        return name.EndsWith(":*", StringComparison.Ordinal) ? name[..^2] : name;
    }

    private static IResult TooManyRuns() => TypedResults.Problem(
        statusCode: StatusCodes.Status429TooManyRequests,
        title: "Too many queries are running.",
        detail: "Every kept query run is still running (Platform:Ingestion:Queries:MaxKeptRuns); try again when one ends.");
}
