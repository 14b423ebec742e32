using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;

namespace Platform.Alerting.Api;

/// <summary>
/// CloudWatch's metric reads: <c>GET /v1/metrics</c> (ListMetrics) and <c>POST /v1/metrics/data</c> (GetMetricData), in
/// AWS's field names, so a metric listed is a metric a query can name as it is.
/// </summary>
public static partial class MetricsApi
{
    /// <summary>GetMetricData's limit on queries per request.</summary>
    public const int MaxQueries = 500;

    /// <summary>GetMetricData's limit on data points per request.</summary>
    public const int MaxDataPoints = 100_800;

    /// <summary>CloudWatch's limit on a metric's dimensions.</summary>
    public const int MaxDimensions = 30;

    /// <summary>ListMetrics' limit on dimension filters.</summary>
    public const int MaxDimensionFilters = 10;

    public static RouteGroupBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/metrics").WithTags("Metrics").RequireAuthorization(PlatformPolicies.Read);
        group.MapGet("/", ListMetricsAsync)
            .WithOperation("ListMetrics", "The metrics that have data points (like CloudWatch's ListMetrics)",
                "Filters: `namespace`, `metricName`, and up to 10 `dimension` (`Name=Value`, or `Name` for any value; a metric " +
                "matches when it has every one). Page with `limit` and `cursor` (the previous page's `nextCursor`).");
        group.MapPost("/data", GetMetricDataAsync)
            .WithOperation("GetMetricData", "Statistics of metrics over periods (like CloudWatch's GetMetricData)",
                "{\"MetricDataQueries\": [{\"Id\": \"errors\", \"MetricStat\": {\"Metric\": {\"Namespace\": \"AWS/CloudTrail\", " +
                "\"MetricName\": \"APIErrorRate\", \"Dimensions\": []}, \"Period\": 300, \"Stat\": \"Average\"}}], " +
                "\"StartTime\": \"...\", \"EndTime\": \"...\"}. Stat: Sum, Average, Minimum, Maximum, SampleCount; Period: a multiple " +
                $"of 60 seconds; at most {MaxQueries} queries and {MaxDataPoints} data points. Periods without data are absent. " +
                "Newest first unless ScanBy is TimestampAscending.")
            .Produces<GetMetricDataResponse>()
            .ProducesValidationProblem();
        return group;
    }

    public static async Task<Results<Ok<Page<MetricView>>, ValidationProblem>> ListMetricsAsync(
        MetricStore store,
        [FromQuery(Name = "namespace")] string? ns,
        [FromQuery] string? metricName,
        [FromQuery] string[]? dimension,
        [FromQuery] string? limit,
        [FromQuery] string? cursor,
        CancellationToken cancellationToken)
    {
        string? nameValue = null;
        var pageSize = 0;
        if ((QueryParameters.TryText("namespace", ns, out var nsValue)
             ?? QueryParameters.TryText("metricName", metricName, out nameValue)
             ?? QueryParameters.TryPageWindow(null, null, limit, out _, out _, out pageSize)) is { } problem)
        {
            return problem;
        }

        var filters = new Dictionary<string, string?>(StringComparer.Ordinal);
        var errors = new ValidationErrors();
        var given = dimension ?? [];
        if (given.Length > MaxDimensionFilters)
        {
            errors.Add("dimension", $"{given.Length} dimension filters: at most {MaxDimensionFilters}");
        }
        foreach (var text in given)
        {
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? text : text[..equals];
            var value = equals < 0 ? null : text[(equals + 1)..];
            if (name.Length == 0 || value?.Length == 0 || text.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add("dimension", $"'{QueryParameters.Shorten(text)}' is not Name=Value or Name");
            }
            else if (!filters.TryAdd(name, value))
            {
                errors.Add("dimension", $"'{QueryParameters.Shorten(name)}' is filtered twice");
            }
        }
        if (errors.HasErrors)
        {
            return errors.ToProblem();
        }

        long afterId = 0;
        if (cursor is not null && !PageCursor.TryDecode(cursor, out afterId))
        {
            return PageCursor.Invalid();
        }

        var rows = await store.ListAsync(nsValue, nameValue, filters, afterId, pageSize + 1, cancellationToken);
        return TypedResults.Ok(Page.Of(rows, pageSize, r => MetricView.From(r.Key.ToIdentity()), r => PageCursor.Encode(r.Id)));
    }

    public static async Task<IResult> GetMetricDataAsync(HttpContext http, IMetricStatistics statistics, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<GetMetricDataRequest>(http, JsonBody.RequestOptions, cancellationToken, JsonBody.DefaultMaxBytes * 16);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        var queries = Validate(body.Value, errors);
        if (errors.HasErrors)
        {
            return errors.ToProblem();
        }

        var request = body.Value!;
        var ascending = request.ScanBy == "TimestampAscending";
        var results = new List<MetricDataResult>(queries.Count);
        foreach (var (id, label, query) in queries)
        {
            var values = await statistics.GetAsync(query, cancellationToken);
            var ordered = ascending ? values : values.Reverse().ToList();
            results.Add(new MetricDataResult(id, label, [.. ordered.Select(v => v.PeriodStart)], [.. ordered.Select(v => v.Value)], "Complete"));
        }
        return TypedResults.Ok(new GetMetricDataResponse(results));
    }

    private static List<(string Id, string Label, MetricStatisticQuery Query)> Validate(GetMetricDataRequest? request, ValidationErrors errors)
    {
        var valid = new List<(string, string, MetricStatisticQuery)>();
        if (request is null)
        {
            errors.Add("body", "is required: {\"MetricDataQueries\": [...], \"StartTime\": ..., \"EndTime\": ...}");
            return valid;
        }
        if (request.StartTime is null)
        {
            errors.Add("StartTime", "is required");
        }
        if (request.EndTime is null)
        {
            errors.Add("EndTime", "is required");
        }
        else if (request.StartTime is { } startTime && request.EndTime <= startTime)
        {
            errors.Add("EndTime", "must be after StartTime");
        }
        if (request.ScanBy is not (null or "TimestampAscending" or "TimestampDescending"))
        {
            errors.Add("ScanBy", "must be TimestampDescending or TimestampAscending");
        }

        var queries = request.MetricDataQueries ?? [];
        if (queries.Count is 0 or > MaxQueries)
        {
            errors.Add("MetricDataQueries", $"holds {queries.Count} queries: 1 to {MaxQueries}");
            return valid;
        }

        var start = request.StartTime is { } s ? MetricEvaluator.MinuteOf(s) : default;
        var end = request.EndTime ?? default;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        long points = 0;
        for (var i = 0; i < queries.Count; i++)
        {
            var field = $"MetricDataQueries[{i}]";
            var query = queries[i];
            if (query is null)
            {
                errors.Add(field, "is required");
                continue;
            }
            if (query.Id is not { } id || !QueryId().IsMatch(id))
            {
                errors.Add($"{field}.Id", "must start with a lowercase letter and hold only letters, digits and '_' (at most 255)");
            }
            else if (!ids.Add(id))
            {
                errors.Add($"{field}.Id", $"'{id}' is used by an earlier query");
            }
            if (query.Expression is not null)
            {
                errors.Add($"{field}.Expression", "metric math is not supported: give MetricStat");
            }
            if (query.MetricStat is not { } stat)
            {
                errors.Add($"{field}.MetricStat", "is required");
                continue;
            }

            var metric = ValidateMetric(stat.Metric, $"{field}.MetricStat.Metric", errors);
            if (stat.Period is not { } period || period < 60 || period % 60 != 0)
            {
                errors.Add($"{field}.MetricStat.Period", "must be a multiple of 60 seconds (data points are kept per minute)");
            }
            else if (request.StartTime is not null && end > start)
            {
                points += (long)Math.Ceiling((end - start).TotalSeconds / period);
            }
            if (stat.Stat is not { } statistic || !MetricStore.Statistics.Contains(statistic))
            {
                errors.Add($"{field}.MetricStat.Stat", $"must be one of {string.Join(", ", MetricStore.Statistics)}");
            }
            if (metric is not null && !errors.HasErrors)
            {
                valid.Add((query.Id!, query.Label ?? metric.MetricName,
                    new MetricStatisticQuery(metric, stat.Stat!, TimeSpan.FromSeconds(stat.Period!.Value), start, end)));
            }
        }
        if (points > MaxDataPoints)
        {
            errors.Add("MetricDataQueries", $"ask for {points} data points: at most {MaxDataPoints} (shorten the time range or lengthen the Period)");
        }
        return valid;
    }

    private static MetricIdentity? ValidateMetric(MetricRequest? metric, string field, ValidationErrors errors)
    {
        if (metric is null)
        {
            errors.Add(field, "is required");
            return null;
        }
        var before = errors.Count;
        if (string.IsNullOrEmpty(metric.Namespace) || metric.Namespace.Length > 255)
        {
            errors.Add($"{field}.Namespace", "is required: 1 to 255 characters");
        }
        if (string.IsNullOrEmpty(metric.MetricName) || metric.MetricName.Length > 255)
        {
            errors.Add($"{field}.MetricName", "is required: 1 to 255 characters");
        }
        var dimensions = new Dictionary<string, string>(StringComparer.Ordinal);
        var given = metric.Dimensions ?? [];
        if (given.Count > MaxDimensions)
        {
            errors.Add($"{field}.Dimensions", $"holds {given.Count} dimensions: at most {MaxDimensions}");
        }
        for (var i = 0; i < given.Count; i++)
        {
            if (given[i] is not { Name: { Length: > 0 } name, Value: { Length: > 0 } value })
            {
                errors.Add($"{field}.Dimensions[{i}]", "needs a Name and a Value");
            }
            else if (!dimensions.TryAdd(name, value))
            {
                errors.Add($"{field}.Dimensions[{i}].Name", $"'{name}' is given twice");
            }
        }
        return errors.Count == before ? new MetricIdentity(metric.Namespace!, metric.MetricName!, dimensions) : null;
    }

    [GeneratedRegex("^[a-z][a-zA-Z0-9_]{0,254}$")]
    private static partial Regex QueryId();
}

/// <summary>A metric as ListMetrics answers it, in CloudWatch's field names (what a GetMetricData query takes as its Metric).</summary>
public sealed record MetricView(
    [property: JsonPropertyName("Namespace")] string Namespace,
    [property: JsonPropertyName("MetricName")] string MetricName,
    [property: JsonPropertyName("Dimensions")] IReadOnlyList<DimensionView> Dimensions)
{
    public static MetricView From(MetricIdentity metric) => new(
        metric.Namespace, metric.MetricName,
        [.. metric.Dimensions.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new DimensionView(d.Key, d.Value))]);
}

/// <summary>A dimension: name and value.</summary>
public sealed record DimensionView([property: JsonPropertyName("Name")] string Name, [property: JsonPropertyName("Value")] string Value);

/// <summary>GetMetricData's request (read case-insensitively).</summary>
public sealed record GetMetricDataRequest(
    IReadOnlyList<MetricDataQuery?>? MetricDataQueries, DateTimeOffset? StartTime, DateTimeOffset? EndTime, string? ScanBy);

/// <summary>One query: a statistic of one metric (metric math is not supported).</summary>
public sealed record MetricDataQuery(string? Id, MetricStatRequest? MetricStat, string? Label, string? Expression);

/// <summary>The metric, period and statistic of a query.</summary>
public sealed record MetricStatRequest(MetricRequest? Metric, int? Period, string? Stat);

/// <summary>A metric as a query names it.</summary>
public sealed record MetricRequest(string? Namespace, string? MetricName, IReadOnlyList<DimensionRequest?>? Dimensions);

/// <summary>A dimension as a query names it.</summary>
public sealed record DimensionRequest(string? Name, string? Value);

/// <summary>GetMetricData's answer.</summary>
public sealed record GetMetricDataResponse([property: JsonPropertyName("MetricDataResults")] IReadOnlyList<MetricDataResult> MetricDataResults);

/// <summary>One query's periods with data, and their values.</summary>
public sealed record MetricDataResult(
    [property: JsonPropertyName("Id")] string Id,
    [property: JsonPropertyName("Label")] string Label,
    [property: JsonPropertyName("Timestamps")] IReadOnlyList<DateTimeOffset> Timestamps,
    [property: JsonPropertyName("Values")] IReadOnlyList<double> Values,
    [property: JsonPropertyName("StatusCode")] string StatusCode);
