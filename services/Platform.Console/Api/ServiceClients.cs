using System.Net;
using Platform.Contracts.Provisioning;

namespace Platform.Console.Api;

/// <summary>Provisioning: who a key is, and the provisioned resources the pages show (dashboards, event rules).</summary>
public sealed class ProvisioningApi(HttpClient http) : PlatformApi(http)
{
    /// <summary>The key's name and role; null when no service knows the key.</summary>
    public async Task<Caller?> WhoIsAsync(string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
        request.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        using var response = await Http.SendAsync(request, cancellationToken);
        return response.StatusCode == HttpStatusCode.Unauthorized ? null : await ReadAsync<Caller>(response, cancellationToken);
    }

    public Task<List<Resource<DashboardSpec>>> DashboardsAsync(CancellationToken cancellationToken) =>
        GetAsync<List<Resource<DashboardSpec>>>($"/v1/{ProvisioningKinds.Dashboards}", cancellationToken);

    public Task<Resource<DashboardSpec>> DashboardAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<Resource<DashboardSpec>>($"/v1/{ProvisioningKinds.Dashboards}/{Uri.EscapeDataString(name)}", cancellationToken);

    public Task<List<Resource<JsonElement>>> EventRulesAsync(CancellationToken cancellationToken) =>
        GetAsync<List<Resource<JsonElement>>>($"/v1/{ProvisioningKinds.EventRules}", cancellationToken);
}

/// <summary>Detection: findings, their history and triage, and the rules.</summary>
public sealed class DetectionApi(HttpClient http) : PlatformApi(http)
{
    public Task<Page<Finding>> FindingsAsync(string query, CancellationToken cancellationToken) =>
        GetAsync<Page<Finding>>($"/v1/findings{query}", cancellationToken);

    public Task<Finding> FindingAsync(Guid id, CancellationToken cancellationToken) =>
        GetAsync<Finding>($"/v1/findings/{id}", cancellationToken);

    public Task<List<FindingChange>> HistoryAsync(Guid id, CancellationToken cancellationToken) =>
        GetAsync<List<FindingChange>>($"/v1/findings/{id}/history", cancellationToken);

    /// <summary>acknowledge, resolve or suppress the finding at <paramref name="version"/> (If-Match: 412 when it changed since).</summary>
    public Task<Finding> TriageAsync(Guid id, string action, long version, string? reason, DateTimeOffset? until, CancellationToken cancellationToken) =>
        PostAsync<Finding>($"/v1/findings/{id}/{action}", new { reason, until }, cancellationToken, Precondition.ETag(version));

    public Task<DetectionRules> RulesAsync(CancellationToken cancellationToken) =>
        GetAsync<DetectionRules>("/v1/rules", cancellationToken);
}

/// <summary>Ingestion: stored events, and Logs Insights and SQL queries run to their end.</summary>
public sealed class IngestionApi(HttpClient http, TimeProvider time) : PlatformApi(http)
{
    /// <summary>How long a page waits for a query to finish.</summary>
    public static readonly TimeSpan QueryWait = TimeSpan.FromSeconds(30);

    private static readonly string[] Running = ["Scheduled", "Running", "Queued"];

    public Task<StoredEvent> EventAsync(string id, CancellationToken cancellationToken) =>
        GetAsync<StoredEvent>($"/v1/events/{Uri.EscapeDataString(id)}", cancellationToken);

    /// <summary>Runs a Logs Insights query (its log groups named with SOURCE, or <paramref name="logGroups"/>) over a time range.</summary>
    public async Task<QueryTable> InsightsAsync(
        string query, IReadOnlyList<string>? logGroups, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var started = await PostAsync<InsightsStarted>("/v1/queries", new
        {
            queryString = query,
            logGroupNames = logGroups is { Count: > 0 } ? logGroups : null,
            startTime = start.ToUnixTimeSeconds(),
            // The API counts in whole seconds: the end rounded up, so the events of the range's last second are in it
            // (rounded down, a query run the second its events came in found none of them).
            endTime = (end + TimeSpan.FromTicks(TimeSpan.TicksPerSecond - 1)).ToUnixTimeSeconds(),
        }, cancellationToken);
        var results = await UntilFinishedAsync(
            () => GetAsync<InsightsResults>($"/v1/queries/{started.QueryId}", cancellationToken), r => r.Status, cancellationToken);
        return results.Status == "Complete"
            ? QueryTable.From(results.Results.Select(row => row.Select(f => new KeyValuePair<string, string?>(f.Field, f.Value))))
            : throw new PlatformApiException(HttpStatusCode.UnprocessableEntity, $"The query ended {results.Status}: {results.Error}");
    }

    /// <summary>Runs a CloudTrail Lake / Athena SQL statement.</summary>
    public async Task<QueryTable> SqlAsync(string statement, CancellationToken cancellationToken)
    {
        var started = await PostAsync<InsightsStarted>("/v1/sql-queries", new { queryStatement = statement }, cancellationToken);
        var results = await UntilFinishedAsync(
            () => GetAsync<SqlResults>($"/v1/sql-queries/{started.QueryId}", cancellationToken), r => r.QueryStatus, cancellationToken);
        return results.QueryStatus.Equals("FINISHED", StringComparison.OrdinalIgnoreCase)
            ? QueryTable.From(results.QueryResultRows.Select(row => row.SelectMany(cell => cell)))
            : throw new PlatformApiException(HttpStatusCode.UnprocessableEntity, $"The query ended {results.QueryStatus}: {results.ErrorMessage}");
    }

    private async Task<T> UntilFinishedAsync<T>(Func<Task<T>> poll, Func<T, string> status, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + QueryWait;
        while (true)
        {
            var results = await poll();
            if (!Running.Contains(status(results), StringComparer.OrdinalIgnoreCase) || time.GetUtcNow() > deadline)
            {
                return results;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
        }
    }

    private sealed record InsightsStarted(string QueryId);

    private sealed record InsightsField(string Field, string? Value);

    private sealed record InsightsResults(string Status, IReadOnlyList<IReadOnlyList<InsightsField>> Results, string? Error);

    private sealed record SqlResults(string QueryStatus, IReadOnlyList<IReadOnlyList<IReadOnlyDictionary<string, string?>>> QueryResultRows, string? ErrorMessage);
}

/// <summary>Alerting: metric data, alarms and deliveries.</summary>
public sealed class AlertingApi(HttpClient http) : PlatformApi(http)
{
    /// <summary>Each line's statistic over periods of <paramref name="period"/> seconds, oldest first.</summary>
    public Task<MetricData> MetricDataAsync(IReadOnlyList<MetricLine> lines, int period, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken) =>
        PostAsync<MetricData>("/v1/metrics/data", new
        {
            MetricDataQueries = lines.Select((line, i) => new
            {
                Id = $"m{i}",
                Label = line.Label,
                MetricStat = new
                {
                    Metric = new
                    {
                        line.Namespace,
                        line.MetricName,
                        Dimensions = line.Dimensions.Select(d => new { Name = d.Key, d.Value }),
                    },
                    Period = period,
                    line.Stat,
                },
            }),
            StartTime = start,
            EndTime = end,
            ScanBy = "TimestampAscending",
        }, cancellationToken);

    public Task<Page<AlarmState>> AlarmsAsync(CancellationToken cancellationToken) =>
        GetAsync<Page<AlarmState>>("/v1/alarms?limit=1000", cancellationToken);

    public Task<AlarmState> AlarmAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<AlarmState>($"/v1/alarms/{Uri.EscapeDataString(name)}", cancellationToken);

    public Task<Page<AlarmHistoryItem>> AlarmHistoryAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<Page<AlarmHistoryItem>>($"/v1/alarms/{Uri.EscapeDataString(name)}/history", cancellationToken);

    public Task<Page<Delivery>> DeliveriesAsync(string? status, CancellationToken cancellationToken) =>
        GetAsync<Page<Delivery>>(status is null ? "/v1/deliveries" : $"/v1/deliveries?status={Uri.EscapeDataString(status)}", cancellationToken);

    public Task<Delivery> RetryAsync(Guid id, CancellationToken cancellationToken) =>
        PostAsync<Delivery>($"/v1/deliveries/{id}/retry", null, cancellationToken);
}

/// <summary>Compliance: the summary by rule and a resource's timeline.</summary>
public sealed class ComplianceApi(HttpClient http) : PlatformApi(http)
{
    public Task<ComplianceSummary> SummaryAsync(CancellationToken cancellationToken) =>
        GetAsync<ComplianceSummary>("/v1/compliance/summary", cancellationToken);

    public Task<List<TimelineEntry>> TimelineAsync(string resourceType, string resourceId, CancellationToken cancellationToken) =>
        GetAsync<List<TimelineEntry>>(
            $"/v1/compliance/resources/{Uri.EscapeDataString(resourceType)}/{Uri.EscapeDataString(resourceId)}/timeline", cancellationToken);
}
