namespace Platform.Alerting.Tests;

/// <summary>Log events, batches, provisioned filters and metric reads, as the metrics tests use them.</summary>
internal static class MetricsTestSupport
{
    /// <summary>A minute a few minutes ago, well inside retention, so a test's points sit in one known minute.</summary>
    public static DateTimeOffset RecentMinute() => MetricEvaluator.MinuteOf(DateTimeOffset.UtcNow.AddMinutes(-5));

    public static NormalizedLogEvent Event(
        string? logGroup, string json, DateTimeOffset time, string sourceType = LogSourceTypes.Application,
        string? eventSource = null, string? errorCode = null) =>
        new(Guid.NewGuid().ToString("N"), sourceType, time, logGroup, "stream", "123456789012", "us-east-1", eventSource,
            EventName: null, Principal: null, SourceIp: null, errorCode, LogDocument.FromElement(JsonDocument.Parse(json).RootElement));

    /// <summary>
    /// Publishes <paramref name="batch"/> through the broker and waits until alerting's batch queue took it: once, and on
    /// no other queue (its metric filters, event rules and subscription filters read it from that one delivery).
    /// </summary>
    public static async Task IngestAsync(this AlertingHost alerting, LogEventsIngested batch)
    {
        var messageId = Guid.NewGuid();
        await alerting.PublishAsync(batch, messageId);
        Assert.Equal(1, await Eventually.ObserveAsync(
            () => Task.FromResult(alerting.Consumed.CountOf(messageId, "alerting-log-events-ingested")), count => count == 1));
        Assert.Equal(1, alerting.Consumed.CountOf(messageId));
    }

    /// <summary>Provisions a metric filter as provisioning publishes it, and waits until the service evaluates it.</summary>
    public static async Task ProvisionAsync(this AlertingHost alerting, string name, MetricFilterSpec spec, long version = 1)
    {
        await alerting.PublishAsync(new MetricFilterProvisioned(name, spec, version), Guid.NewGuid());
        var filters = alerting.Host.Services.GetRequiredService<MetricFilterSet>();
        Assert.True(await Eventually.ObserveAsync(
            () => Task.FromResult(filters.For(spec.LogGroupName).Any(f => f.Name == name)), applied => applied));
    }

    /// <summary>One statistic of one metric over the minute (or <paramref name="minutes"/>) starting at <paramref name="start"/>, as one period.</summary>
    public static async Task<MetricDataResult> QueryAsync(
        HttpClient client, string ns, string metricName, IReadOnlyDictionary<string, string>? dimensions, string stat, DateTimeOffset start, int minutes = 1)
    {
        using var response = await client.PostAsJsonAsync("/v1/metrics/data", new
        {
            MetricDataQueries = new[]
            {
                new
                {
                    Id = "q",
                    MetricStat = new
                    {
                        Metric = new
                        {
                            Namespace = ns,
                            MetricName = metricName,
                            Dimensions = (dimensions ?? new Dictionary<string, string>()).Select(d => new { Name = d.Key, Value = d.Value }),
                        },
                        Period = 60 * minutes,
                        Stat = stat,
                    },
                },
            },
            StartTime = start,
            EndTime = start.AddMinutes(minutes),
        });
        response.EnsureSuccessStatusCode();
        return Assert.Single((await response.Content.ReadFromJsonAsync<GetMetricDataResponse>(PlatformJson.Options))!.MetricDataResults);
    }

    /// <summary>The statistic's one value, or null while the period has no data.</summary>
    public static async Task<double?> ValueAsync(
        HttpClient client, string ns, string metricName, IReadOnlyDictionary<string, string>? dimensions, string stat, DateTimeOffset start) =>
        (await QueryAsync(client, ns, metricName, dimensions, stat, start)).Values is [var value] ? value : null;
}
