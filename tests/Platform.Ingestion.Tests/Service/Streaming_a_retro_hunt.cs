using System.Collections.Concurrent;
using MassTransit;
using Platform.Contracts.Detection;
using Platform.Ingestion.RetroHunts;

namespace Platform.Ingestion.Tests.Service;

/// <summary>
/// Ingestion's part of a retro-hunt over the real broker: asked for a range with the hunt's rule, it counts the stored
/// events in it, evaluates them where they are and streams back only those the rule may match, in numbered bounded
/// batches that together stand for every event of the range, then says it is done.
/// </summary>
[Collection(IngestionServiceCollection.Name)]
public sealed class Streaming_a_retro_hunt(IngestionService service)
{
    [Fact]
    public async Task Only_the_stored_events_the_rule_matches_come_back_in_numbered_batches_that_stand_for_every_event_of_the_range()
    {
        // A past day of its own, with events stored out of order and one either side of the range; every fifth is hunted.
        var day = new DateTimeOffset(2014, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(Random.Shared.Next(0, 300));
        var hunted = "StreamProbe" + Guid.NewGuid().ToString("N")[..8];
        var inRange = Enumerable.Range(0, 25).Select(i => Record(day.AddMinutes(i * 37 % 25 * 10), i % 5 == 0 ? hunted : "DeleteTrail")).ToList();
        var outside = new[] { Record(day.AddSeconds(-1), hunted), Record(day.AddDays(1), hunted) };
        var rule = $"""
            title: Stream probe
            logsource:
                product: aws
                service: cloudtrail
            detection:
                selection:
                    eventName: {hunted.ToLowerInvariant()}
                condition: selection
            """;

        var (total, end, batches) = await HuntAsync(inRange.Concat(outside), new RetroHuntRequested(Guid.NewGuid(), day, day.AddDays(1), BatchSize: 2, rule));

        Assert.Equal((25L, 25L, (string?)null), (total, end.Events, end.Failure));
        Assert.Equal(end.Batches, batches.Count);
        Assert.Equal(25L, batches.Sum(b => b.EventsScanned));
        Assert.All(batches, b => Assert.InRange(b.Count, 0, 2));
        Assert.Equal(batches.Count, batches.Select(b => b.Sequence).Distinct().Count());
        var expected = inRange
            .Where(r => (string)r["eventName"]! == hunted)
            .Select(r => ((string)r["eventID"]!, DateTimeOffset.Parse((string)r["eventTime"]!)))
            .OrderBy(e => e.Item2).ThenBy(e => e.Item1, StringComparer.Ordinal)
            .Select(e => e.Item1);
        // Batches in sequence order hold the events in event time order.
        var streamed = batches.OrderBy(b => b.Sequence).SelectMany(b => b.Unpack()).ToList();
        Assert.Equal(expected, streamed.Select(e => e.EventId));
        // Each event as the publisher rebuilds it: envelope fields and the record as the document.
        Assert.All(streamed, e =>
        {
            Assert.Equal((LogSourceTypes.CloudTrail, hunted), (e.SourceType, e.EventName));
            Assert.Equal(e.EventId, e.Document.Root.GetProperty("eventID").GetString());
        });
    }

    [Fact]
    public async Task Asked_with_a_correlation_it_streams_the_events_of_the_rules_the_correlation_counts()
    {
        var day = new DateTimeOffset(2013, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(Random.Shared.Next(0, 300));
        var counted = "BurstProbe" + Guid.NewGuid().ToString("N")[..8];
        var records = Enumerable.Range(0, 12).Select(i => Record(day.AddMinutes(i), i % 3 == 0 ? counted : "DeleteTrail")).ToList();
        var rule = $"""
            title: Burst probe
            name: burst_probe
            logsource:
                product: aws
                service: cloudtrail
            detection:
                selection:
                    eventName: {counted}
                condition: selection
            ---
            title: Burst of probes
            correlation:
                type: event_count
                rules:
                    - burst_probe
                group-by:
                    - sourceIPAddress
                timespan: 1h
                condition:
                    gte: 3
            level: high
            """;

        var (_, end, batches) = await HuntAsync(records, new RetroHuntRequested(Guid.NewGuid(), day, day.AddDays(1), BatchSize: 100, rule));

        Assert.Equal(12L, end.Events);
        Assert.Equal(12L, batches.Sum(b => b.EventsScanned));
        Assert.Equal(
            records.Where(r => (string)r["eventName"]! == counted).Select(r => (string)r["eventID"]!).Order(StringComparer.Ordinal),
            batches.SelectMany(b => b.Unpack()).Select(e => e.EventId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_rule_that_does_not_build_ends_the_stream_failed_with_the_reason()
    {
        var day = new DateTimeOffset(2012, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var (_, end, batches) = await HuntAsync([], new RetroHuntRequested(Guid.NewGuid(), day, day.AddDays(1), BatchSize: 10, "title: x\ndetection: [unclosed"));
        Assert.NotNull(end.Failure);
        Assert.Empty(batches);
    }

    [Fact]
    public async Task Cancelled_mid_scan_it_stops_and_says_how_far_it_got()
    {
        // 8,000 events the rule keeps, streamed a batch each: far more batches than go out before the cancellation,
        // sent when the first one arrives, reaches the scan.
        var day = new DateTimeOffset(2011, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(Random.Shared.Next(0, 300));
        var hunted = "CancelProbe" + Guid.NewGuid().ToString("N")[..8];
        var records = Enumerable.Range(0, 8000).Select(i => Record(day.AddSeconds(i), hunted)).ToList();
        foreach (var part in records.Chunk(2000))
        {
            await StoreAsync(part);
        }

        var rule = $"""
            title: Cancel probe
            logsource:
                product: aws
                service: cloudtrail
            detection:
                selection:
                    eventName: {hunted}
                condition: selection
            """;
        var request = new RetroHuntRequested(Guid.NewGuid(), day, day.AddDays(1), BatchSize: 1, rule);
        var (total, end, batches) = await HuntAsync([], request, cancelOnFirstBatch: true);

        Assert.Equal((8000L, RetroHuntStreamer.Cancelled), (total, end.Failure));
        Assert.InRange(end.Events, 1, 7999);
        // Exactly what it published before it stopped: the batches it counts, standing for the events it says it scanned.
        Assert.Equal(end.Batches, batches.Count);
        Assert.Equal(end.Events, batches.Sum(b => b.EventsScanned));
    }

    /// <summary>
    /// Stores the records, publishes the request and collects what ingestion streams back until it ends; with
    /// <paramref name="cancelOnFirstBatch"/>, the hunt is cancelled when its first batch arrives.
    /// </summary>
    private async Task<(long? Total, RetroHuntStreamEnded End, List<RetroHuntBatch> Batches)> HuntAsync(
        IEnumerable<JsonObject> records, RetroHuntRequested request, bool cancelOnFirstBatch = false)
    {
        var stored = records.ToList();
        if (stored.Count > 0)
        {
            await StoreAsync(stored);
        }

        var huntId = request.HuntId;
        var ended = new TaskCompletionSource<RetroHuntStreamEnded>(TaskCreationOptions.RunContinuationsAsynchronously);
        var batches = new ConcurrentQueue<RetroHuntBatch>();
        var counted = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listener = RabbitMqServer.CreateBus(service.BusPrefix, $"{service.BusPrefix}-test-hunt-{huntId:N}", endpoint =>
        {
            endpoint.OnEach<RetroHuntEventsCounted>(m => { if (m.HuntId == huntId) counted.TrySetResult(m.Total); });
            endpoint.OnEach<RetroHuntBatch>(m =>
            {
                if (m.HuntId == huntId)
                {
                    batches.Enqueue(m);
                    first.TrySetResult();
                }
            });
            endpoint.OnEach<RetroHuntStreamEnded>(m => { if (m.HuntId == huntId) ended.TrySetResult(m); });
        });
        await listener.StartAsync();
        try
        {
            await service.Bus.Publish(request);
            if (cancelOnFirstBatch)
            {
                await first.Task.WaitAsync(TimeSpan.FromSeconds(30));
                await service.Bus.Publish(new RetroHuntCancelled(huntId));
            }

            var end = await ended.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var received = await Eventually.ObserveAsync(() => Task.FromResult(batches.ToList()), b => b.Count >= end.Batches);
            var wasCounted = end.Failure is null or RetroHuntStreamer.Cancelled;
            return (wasCounted ? await counted.Task.WaitAsync(TimeSpan.FromSeconds(30)) : null, end, received);
        }
        finally
        {
            await listener.StopAsync();
        }
    }

    private async Task StoreAsync(IEnumerable<JsonObject> records)
    {
        var file = JsonSerializer.Serialize(new Dictionary<string, object> { ["Records"] = records });
        var ingest = await service.Admin.PostAsync("/v1/ingest/cloudtrail", new StringContent(file, Encoding.UTF8, "application/json"));
        Assert.True(ingest.StatusCode == HttpStatusCode.Accepted, await ingest.Content.ReadAsStringAsync());
    }

    private static JsonObject Record(DateTimeOffset eventTime, string eventName) => new()
    {
        ["eventVersion"] = "1.08",
        ["eventID"] = Guid.NewGuid().ToString(),
        ["eventTime"] = eventTime.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        ["eventSource"] = "cloudtrail.amazonaws.com",
        ["eventName"] = eventName,
        ["awsRegion"] = "eu-west-1",
        ["sourceIPAddress"] = "198.51.100.4",
        ["recipientAccountId"] = "123456789012",
        ["userIdentity"] = new JsonObject { ["type"] = "IAMUser", ["arn"] = "arn:aws:iam::123456789012:user/streamer" },
    };
}
