using static Platform.Alerting.Tests.MetricsTestSupport;

namespace Platform.Alerting.Tests;

/// <summary>
/// Ingested batches, published on the real broker, become metric data points of the provisioned metric filters, with
/// CloudWatch's semantics, read back over HTTP.
/// </summary>
[Collection(AlertingCollection.Name)]
public sealed class Counting_metric_filter_data_points(AlertingHost alerting)
{
    private static MetricFilterSpec Filter(
        string logGroup, string ns, string pattern = "ERROR", string value = "1", double? defaultValue = null,
        IReadOnlyDictionary<string, string>? dimensions = null) =>
        new(logGroup, "filter", pattern, [new MetricTransformationSpec("Metric", ns, value, defaultValue, dimensions)]);

    [Fact]
    public async Task The_seeds_failed_logins_filter_counts_failed_logins_per_source_ip()
    {
        var seed = JsonSerializer.Deserialize<MetricFilterSpec>(SeedMetricFilters.FailedLogins, PlatformJson.Options)!;
        await alerting.ProvisionAsync("FailedLogins", seed);
        var minute = RecentMinute();
        var (attacker, other) = ($"203.0.113.{Random.Shared.Next(1, 250)}-{Guid.NewGuid():N}", $"198.51.100.7-{Guid.NewGuid():N}");
        string Login(string status, string? ip) =>
            JsonSerializer.Serialize(new { eventType = "LOGIN", status, sourceIP = ip });

        await alerting.IngestAsync(IngestedBatches.Of(
            Event("/aws/security/auth", Login("FAILED", attacker), minute.AddSeconds(1)),
            Event("/aws/security/auth", Login("FAILED", attacker), minute.AddSeconds(20)),
            Event("/aws/security/auth", Login("FAILED", attacker), minute.AddSeconds(59)),
            Event("/aws/security/auth", Login("SUCCEEDED", attacker), minute.AddSeconds(30)),
            Event("/aws/security/auth", Login("FAILED", other), minute.AddSeconds(5)),
            Event("/aws/security/other", Login("FAILED", other), minute.AddSeconds(6))));

        using var client = alerting.ClientFor(PlatformRoles.Analyst);
        const string ns = "Security/Authentication";
        Assert.Equal(3, await ValueAsync(client, ns, "FailedLoginCount", new Dictionary<string, string> { ["SourceIP"] = attacker }, "Sum", minute));
        Assert.Equal(1, await ValueAsync(client, ns, "FailedLoginCount", new Dictionary<string, string> { ["SourceIP"] = other }, "Sum", minute));
        // A filter with dimensions publishes no default value, and nothing without its dimensions (AWS's semantics).
        Assert.Null(await ValueAsync(client, ns, "FailedLoginCount", null, "SampleCount", minute));
        Assert.Contains(alerting.MetricData.Calls, call => call.Any(m => m.Dimensions.GetValueOrDefault("SourceIP") == attacker));
    }

    [Fact]
    public async Task A_redelivered_batch_counts_once()
    {
        var (logGroup, ns) = (Unique("/app/redelivery"), Unique("Test/Redelivery"));
        await alerting.ProvisionAsync(Unique("redelivery"), Filter(logGroup, ns));
        var minute = RecentMinute();
        var batch = IngestedBatches.Of(
            Event(logGroup, """{"level":"ERROR"}""", minute), Event(logGroup, """{"level":"ERROR","again":true}""", minute.AddSeconds(1)));

        await alerting.IngestAsync(batch);
        await alerting.IngestAsync(batch with { IngestedAt = DateTimeOffset.UtcNow });

        using var client = alerting.ClientFor(PlatformRoles.Analyst);
        Assert.Equal(2, await ValueAsync(client, ns, "Metric", null, "SampleCount", minute));
        Assert.Equal(1, alerting.MetricData.CallsFor(ns));
    }

    [Fact]
    public async Task A_default_value_fills_a_minute_without_matches_until_a_match_replaces_it()
    {
        var (logGroup, ns) = (Unique("/app/default"), Unique("Test/Default"));
        await alerting.ProvisionAsync(Unique("default"), Filter(logGroup, ns, defaultValue: 0));
        var minute = RecentMinute();
        using var client = alerting.ClientFor(PlatformRoles.Analyst);

        await alerting.IngestAsync(IngestedBatches.Of(Event(logGroup, """{"message":"INFO all good"}""", minute, LogSourceTypes.Text)));
        Assert.Equal((1, 0), (await ValueAsync(client, ns, "Metric", null, "SampleCount", minute), await ValueAsync(client, ns, "Metric", null, "Sum", minute)));

        await alerting.IngestAsync(IngestedBatches.Of(Event(logGroup, """{"message":"ERROR disk full"}""", minute.AddSeconds(10), LogSourceTypes.Text)));
        await alerting.IngestAsync(IngestedBatches.Of(Event(logGroup, """{"message":"INFO recovered"}""", minute.AddSeconds(20), LogSourceTypes.Text)));

        Assert.Equal(1, await ValueAsync(client, ns, "Metric", null, "SampleCount", minute));
        Assert.Equal(1, await ValueAsync(client, ns, "Metric", null, "Sum", minute));
    }

    [Fact]
    public async Task A_field_value_is_aggregated_into_every_statistic_and_a_non_number_is_skipped()
    {
        var (logGroup, ns) = (Unique("/app/latency"), Unique("Test/Latency"));
        await alerting.ProvisionAsync(Unique("latency"), Filter(logGroup, ns, pattern: "{ $.latency = * }", value: "$.latency"));
        var minute = RecentMinute();

        await alerting.IngestAsync(IngestedBatches.Of(
            Event(logGroup, """{"latency":10}""", minute), Event(logGroup, """{"latency":30}""", minute.AddSeconds(1)),
            Event(logGroup, """{"latency":20}""", minute.AddSeconds(2)), Event(logGroup, """{"latency":"slow"}""", minute.AddSeconds(3))));

        using var client = alerting.ClientFor(PlatformRoles.Analyst);
        var statistics = new Dictionary<string, double?>();
        foreach (var stat in MetricStore.Statistics)
        {
            statistics[stat] = await ValueAsync(client, ns, "Metric", null, stat, minute);
        }
        Assert.Equal(new Dictionary<string, double?> { ["Sum"] = 60, ["Average"] = 20, ["Minimum"] = 10, ["Maximum"] = 30, ["SampleCount"] = 3 }, statistics);
    }

    [Fact]
    public async Task A_deleted_filter_counts_nothing_more()
    {
        var (logGroup, ns, name) = (Unique("/app/deleted"), Unique("Test/Deleted"), Unique("deleted"));
        await alerting.ProvisionAsync(name, Filter(logGroup, ns));
        await alerting.PublishAsync(new MetricFilterDeleted(name, 2), Guid.NewGuid());
        var filters = alerting.Host.Services.GetRequiredService<MetricFilterSet>();
        Assert.Empty(await Eventually.ObserveAsync(() => Task.FromResult(filters.For(logGroup)), f => f.Count == 0));
        var minute = RecentMinute();

        await alerting.IngestAsync(IngestedBatches.Of(Event(logGroup, """{"level":"ERROR"}""", minute)));

        using var client = alerting.ClientFor(PlatformRoles.Analyst);
        var page = await client.GetFromJsonAsync<Page<MetricView>>($"/v1/metrics?namespace={Uri.EscapeDataString(ns)}", PlatformJson.Options);
        Assert.Empty(page!.Items);
    }
}
