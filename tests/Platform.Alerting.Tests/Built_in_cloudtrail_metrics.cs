using static Platform.Alerting.Tests.MetricsTestSupport;

namespace Platform.Alerting.Tests;

/// <summary>Every CloudTrail event feeds <c>AWS/CloudTrail</c>: calls, errors and the error rate, with and without <c>EventSource</c>.</summary>
[Collection(AlertingCollection.Name)]
public sealed class Built_in_cloudtrail_metrics(AlertingHost alerting)
{
    private static NormalizedLogEvent Call(string eventSource, DateTimeOffset time, string? errorCode = null) =>
        Event("/aws/cloudtrail/logs", $$"""{"eventSource":"{{eventSource}}","eventName":"ListUsers"{{(errorCode is null ? "" : $",\"errorCode\":\"{errorCode}\"")}}}""",
            time, LogSourceTypes.CloudTrail, eventSource, errorCode);

    [Fact]
    public async Task Calls_errors_and_the_error_rate_are_counted_per_minute_with_and_without_event_source()
    {
        // A minute of this test's own: the series without dimensions counts every CloudTrail event of its minute.
        var minute = MetricEvaluator.MinuteOf(DateTimeOffset.UtcNow.AddDays(-1).AddMinutes(-Random.Shared.Next(0, 10_000)));
        var source = $"t{Guid.NewGuid():N}.amazonaws.com";

        await alerting.IngestAsync(IngestedBatches.Of(
            Call(source, minute), Call(source, minute.AddSeconds(10)), Call(source, minute.AddSeconds(20)),
            Call(source, minute.AddSeconds(30), "AccessDenied")));

        using var client = alerting.ClientFor(PlatformRoles.Analyst);
        var bySource = new Dictionary<string, string> { [CloudTrailMetrics.EventSourceDimension] = source };
        const string ns = CloudTrailMetrics.Namespace;
        Assert.Equal(4, await ValueAsync(client, ns, "CallCount", bySource, "Sum", minute));
        Assert.Equal(1, await ValueAsync(client, ns, "ErrorCount", bySource, "Sum", minute));
        Assert.Equal(25, await ValueAsync(client, ns, "APIErrorRate", bySource, "Average", minute));
        // The seed's dashboard widget: APIErrorRate in AWS/CloudTrail, no dimensions.
        Assert.Equal(25, await ValueAsync(client, ns, "APIErrorRate", null, "Average", minute));
        Assert.Equal(4, await ValueAsync(client, ns, "CallCount", null, "Sum", minute));
    }

    [Fact]
    public async Task An_event_source_that_is_no_service_gets_no_series_of_its_own()
    {
        var minute = RecentMinute();
        var forged = $"evil {Guid.NewGuid():N}";

        await alerting.IngestAsync(IngestedBatches.Of(Call(forged, minute)));

        using var client = alerting.ClientFor(PlatformRoles.Analyst);
        var page = await client.GetFromJsonAsync<Page<MetricView>>(
            $"/v1/metrics?namespace=AWS/CloudTrail&dimension={Uri.EscapeDataString($"EventSource={forged}")}", PlatformJson.Options);
        Assert.Empty(page!.Items);
        Assert.NotNull(await ValueAsync(client, CloudTrailMetrics.Namespace, "CallCount", null, "Sum", minute));
    }
}
