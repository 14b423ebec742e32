using System.Collections.Concurrent;
using MassTransit;
using Platform.Contracts.Ingestion;

namespace Platform.Ingestion.Tests.Service;

[Collection(IngestionServiceCollection.Name)]
public sealed class Publishing_batches_of_bounded_size(IngestionService service)
{
    private const int MaxBytes = 1_000_000;

    [Fact]
    public async Task Large_events_go_out_in_messages_under_a_megabyte_each_every_event_once_and_in_order()
    {
        // 40 events of about 100 KB (4 MB of events; the count bound, 500, would put them in one message).
        var ids = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid().ToString("N")).ToList();
        var payload = SubscriptionMessages.Gzip(SubscriptionMessages.DataMessage(
            [.. ids.Select((id, i) => SubscriptionMessages.LogEvent(id, 1_700_000_000_000L + i, $"{i} {new string('x', 100_000)}"))],
            "large-events", owner: "111122223333", logStream: "stream"));
        var bodies = new ConcurrentQueue<(LogEventsIngested Message, int Bytes)>();
        var listener = RabbitMqServer.CreateBus(service.BusPrefix, $"{service.BusPrefix}-test-sizes", endpoint =>
            endpoint.Handler<LogEventsIngested>(context =>
            {
                bodies.Enqueue((context.Message, context.ReceiveContext.Body.GetBytes().Length));
                return Task.CompletedTask;
            }));
        await listener.StartAsync();
        List<(LogEventsIngested Message, int Bytes)> ours;
        try
        {
            await service.IngestAsync("/v1/ingest/cloudwatch-logs", payload);
            ours = await Eventually.ObserveAsync(
                () => Task.FromResult(bodies.Where(b => ids.Contains(b.Message.Events[0].EventId)).OrderBy(b => ids.IndexOf(b.Message.Events[0].EventId)).ToList()),
                seen => seen.Sum(b => b.Message.Events.Count) >= ids.Count);
        }
        finally
        {
            await listener.StopAsync();
        }

        Assert.Equal(ids, ours.SelectMany(b => b.Message.Events).Select(e => e.EventId));
        Assert.InRange(ours.Count, 5, 6);
        // The whole message on the broker, envelope included, fits a 1 MiB buffer; every batch but the last is full.
        Assert.All(ours, b => Assert.InRange(b.Bytes, 1, 1024 * 1024));
        Assert.All(ours.SkipLast(1), b => Assert.InRange(b.Bytes, MaxBytes - 110_000, 1024 * 1024));
    }

    [Fact]
    public void Batches_close_at_the_event_count_or_before_the_event_that_would_pass_the_bytes()
    {
        NormalizedLogEvent Event(int documentBytes) => new(Guid.NewGuid().ToString("N"), LogSourceTypes.Text, DateTimeOffset.UnixEpoch,
            null, null, null, null, null, null, null, null, null, LogDocument.FromValidUtf8(System.Text.Encoding.UTF8.GetBytes($"\"{new string('x', documentBytes - 2)}\"")));
        var small = Enumerable.Range(0, 7).Select(_ => Event(100)).ToArray();
        var mixed = new[] { Event(400_000), Event(400_000), Event(400_000), Event(3_000_000), Event(100) };

        var byCount = PublicationBatches.Cut(small, PublicationBatches.Starts(small, 3, MaxBytes));
        var bySize = PublicationBatches.Cut(mixed, PublicationBatches.Starts(mixed, 500, MaxBytes));

        Assert.Equal([3, 3, 1], byCount.Select(b => b.Length));
        Assert.Equal(small, byCount.SelectMany(b => b));
        // Two of 400 KB fit, a third would not; the 3 MB event goes alone; what follows starts a batch of its own.
        Assert.Equal([2, 1, 1, 1], bySize.Select(b => b.Length));
        Assert.Equal(mixed, bySize.SelectMany(b => b));
        Assert.Equal([0, 2, 3, 4], PublicationBatches.Starts(mixed, 500, MaxBytes));
        Assert.Empty(PublicationBatches.Starts([], 500, MaxBytes));
    }
}
