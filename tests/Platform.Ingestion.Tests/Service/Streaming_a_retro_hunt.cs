using System.Collections.Concurrent;
using MassTransit;
using Platform.Contracts.Detection;

namespace Platform.Ingestion.Tests.Service;

/// <summary>
/// Ingestion's part of a retro-hunt over the real broker: asked for a range, it counts the stored events in it and
/// streams them back in event time order as numbered bounded batches, then says it is done.
/// </summary>
[Collection(IngestionServiceCollection.Name)]
public sealed class Streaming_a_retro_hunt(IngestionService service)
{
    [Fact]
    public async Task The_stored_events_of_the_range_come_back_counted_in_event_time_order_in_numbered_batches()
    {
        // A past day of its own, with events stored out of order and one either side of the range.
        var day = new DateTimeOffset(2014, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(Random.Shared.Next(0, 300));
        var inRange = Enumerable.Range(0, 25).Select(i => Record(day.AddMinutes(i * 37 % 25 * 10))).ToList();
        var outside = new[] { Record(day.AddSeconds(-1)), Record(day.AddDays(1)) };
        var file = JsonSerializer.Serialize(new Dictionary<string, object> { ["Records"] = inRange.Concat(outside).ToList() });
        var ingest = await service.Admin.PostAsync("/v1/ingest/cloudtrail", new StringContent(file, Encoding.UTF8, "application/json"));
        Assert.True(ingest.StatusCode == HttpStatusCode.Accepted, await ingest.Content.ReadAsStringAsync());

        var huntId = Guid.NewGuid();
        var counted = new TaskCompletionSource<RetroHuntEventsCounted>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = new TaskCompletionSource<RetroHuntStreamEnded>(TaskCreationOptions.RunContinuationsAsynchronously);
        var batches = new ConcurrentQueue<RetroHuntBatch>();
        var listener = RabbitMqServer.CreateBus(service.BusPrefix, $"{service.BusPrefix}-test-hunt-{huntId:N}", endpoint =>
        {
            endpoint.OnEach<RetroHuntEventsCounted>(m => { if (m.HuntId == huntId) counted.TrySetResult(m); });
            endpoint.OnEach<RetroHuntBatch>(m => { if (m.HuntId == huntId) batches.Enqueue(m); });
            endpoint.OnEach<RetroHuntStreamEnded>(m => { if (m.HuntId == huntId) ended.TrySetResult(m); });
        });
        await listener.StartAsync();
        try
        {
            await service.Bus.Publish(new RetroHuntRequested(huntId, day, day.AddDays(1), BatchSize: 10));

            Assert.Equal(25, (await counted.Task.WaitAsync(TimeSpan.FromSeconds(30))).Total);
            var end = await ended.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal((3L, 25L, (string?)null), (end.Batches, end.Events, end.Failure));
            var received = await Eventually.ObserveAsync(() => Task.FromResult(batches.OrderBy(b => b.Sequence).ToList()), b => b.Count >= 3);
            Assert.Equal([0L, 1L, 2L], received.Select(b => b.Sequence));
            Assert.Equal([10, 10, 5], received.Select(b => b.Count));

            var expected = inRange
                .Select(r => ((string)r["eventID"]!, DateTimeOffset.Parse((string)r["eventTime"]!)))
                .OrderBy(e => e.Item2).ThenBy(e => e.Item1, StringComparer.Ordinal)
                .Select(e => e.Item1);
            var streamed = received.SelectMany(b => b.Unpack()).ToList();
            Assert.Equal(expected, streamed.Select(e => e.EventId));
            // Each event as the publisher rebuilds it: envelope fields and the record as the document.
            Assert.All(streamed, e =>
            {
                Assert.Equal((LogSourceTypes.CloudTrail, "DeleteTrail"), (e.SourceType, e.EventName));
                Assert.Equal(e.EventId, e.Document.Root.GetProperty("eventID").GetString());
            });
        }
        finally
        {
            await listener.StopAsync();
        }
    }

    private static JsonObject Record(DateTimeOffset eventTime) => new()
    {
        ["eventVersion"] = "1.08",
        ["eventID"] = Guid.NewGuid().ToString(),
        ["eventTime"] = eventTime.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        ["eventSource"] = "cloudtrail.amazonaws.com",
        ["eventName"] = "DeleteTrail",
        ["awsRegion"] = "eu-west-1",
        ["sourceIPAddress"] = "198.51.100.4",
        ["recipientAccountId"] = "123456789012",
        ["userIdentity"] = new JsonObject { ["type"] = "IAMUser", ["arn"] = "arn:aws:iam::123456789012:user/streamer" },
    };
}
