namespace Platform.Ingestion.Tests.Service;

[Collection(IngestionServiceCollection.Name)]
public sealed class Redelivering_a_payload(IngestionService service)
{
    [Fact]
    public async Task Stores_and_publishes_nothing_twice()
    {
        List<string> ids = [];
        var payload = Samples.FreshSubscriptionPayload(5, ids);

        var first = await service.IngestAsync("/v1/ingest/cloudwatch-logs", payload);
        await service.WaitForPublishedAsync(ids);
        var again = await service.IngestAsync("/v1/ingest/cloudwatch-logs", payload);
        // A later batch arriving proves the broker has delivered whatever the redelivery published.
        List<string> marker = [];
        await service.IngestAsync("/v1/ingest/cloudwatch-logs", Samples.FreshSubscriptionPayload(1, marker));
        await service.WaitForPublishedAsync(marker);

        Assert.Equal(new IngestCounts(5, 0, 0, 0), first);
        Assert.Equal(new IngestCounts(0, 5, 0, 0), again);
        var counts = service.PublishCounts();
        Assert.All(ids, id => Assert.Equal(1, counts[id]));
        var stored = await service.GetJsonAsync("/v1/events?logGroup=fresh-group&limit=1000");
        Assert.Equal(5, stored.GetProperty("items").EnumerateArray().Count(e => ids.Contains(e.GetProperty("eventId").GetString()!)));
    }

    [Fact]
    public async Task Publishes_events_stored_before_a_crash_when_they_are_delivered_again()
    {
        List<string> ids = [];
        var payload = Samples.FreshSubscriptionPayload(3, ids);
        var parsed = Parse(payload);
        // Stored, then the instance "dies" before publishing.
        await service.Service<RawLogStore>().StoreAsync(parsed.Events, "kinesis:test", DateTimeOffset.UtcNow, CancellationToken.None);

        var redelivered = await service.IngestAsync("/v1/ingest/cloudwatch-logs", payload);

        Assert.Equal(new IngestCounts(0, 3, 0, 0), redelivered);
        await service.WaitForPublishedAsync(ids);
    }

    [Fact]
    public async Task A_publication_that_never_completed_is_published_again_whole_in_the_same_batch()
    {
        // Three events stored in one publication that never completed (the instance died after publishing them, or
        // before), their times falling where they arrived rising: the store's own order is not the publication's.
        var (a, b, c, d) = (Fresh(), Fresh(), Fresh(), Fresh());
        var parsed = Parse(Samples.SubscriptionPayload([(a, 1_700_000_000_003), (b, 1_700_000_000_002), (c, 1_700_000_000_001)]));
        await service.Service<RawLogStore>().StoreAsync(parsed.Events, "kinesis:test", DateTimeOffset.UtcNow, CancellationToken.None);
        var batchId = LogEventPublisher.BatchIdOf(parsed.Events.Select(e => e.Event));

        // A replay overlapping it, with one new event: the new one is a batch of its own, the old publication is
        // published as it was (a consumer that had it recognises its id), not split nor merged into the replay's.
        var replayed = await service.IngestAsync("/v1/ingest/cloudwatch-logs", Samples.SubscriptionPayload([(b, 1_700_000_000_002), (c, 1_700_000_000_001), (d, 1_700_000_000_004)]));
        await service.WaitForPublishedAsync([a, b, c, d]);

        Assert.Equal(new IngestCounts(1, 2, 0, 0), replayed);
        var holding = service.Published.Where(m => m.Events.Any(e => e.EventId is var id && (id == a || id == b || id == c))).ToList();
        Assert.All(holding, m => Assert.Equal([a, b, c], m.Events.Select(e => e.EventId)));
        Assert.All(holding, m => Assert.Equal(batchId, m.BatchId));
        Assert.Equal([d], service.Published.Single(m => m.Events.Any(e => e.EventId == d)).Events.Select(e => e.EventId));
        Assert.Equal(0, await service.Service<UnpublishedEventSweeper>().SweepAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_sweeper_publishes_events_whose_publication_never_completed_in_their_first_batch()
    {
        var (a, b) = (Fresh(), Fresh());
        var parsed = Parse(Samples.SubscriptionPayload([(a, 1_700_000_000_002), (b, 1_700_000_000_001)]));
        var longAgo = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(10);
        await service.Service<RawLogStore>().StoreAsync(parsed.Events, "kinesis:test", longAgo, CancellationToken.None);

        var swept = await service.Service<UnpublishedEventSweeper>().SweepAsync(CancellationToken.None);

        Assert.True(swept >= 2);
        await service.WaitForPublishedAsync([a, b]);
        var published = service.Published.Single(m => m.Events.Any(e => e.EventId == a));
        Assert.Equal([a, b], published.Events.Select(e => e.EventId));
        Assert.Equal(LogEventPublisher.BatchIdOf(parsed.Events.Select(e => e.Event)), published.BatchId);
        Assert.Equal(0, await service.Service<UnpublishedEventSweeper>().SweepAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_publication_is_published_again_in_the_batches_it_was_cut_into_when_stored_though_the_batch_size_changed()
    {
        var ids = Enumerable.Range(0, 5).Select(_ => Fresh()).ToList();
        var parsed = Parse(Samples.SubscriptionPayload([.. ids.Select((id, i) => (id, 1_700_000_000_000L + i))]));
        var options = service.Service<IngestionOptions>();
        var configured = options.PublishBatchSize;
        options.PublishBatchSize = 2;
        try
        {
            // Stored in batches of two, then the instance "dies" before publishing; it comes back with another batch size.
            await service.Service<RawLogStore>().StoreAsync(parsed.Events, "kinesis:test", DateTimeOffset.UtcNow - TimeSpan.FromMinutes(10), CancellationToken.None);
        }
        finally
        {
            options.PublishBatchSize = configured;
        }

        await service.Service<UnpublishedEventSweeper>().SweepAsync(CancellationToken.None);

        await service.WaitForPublishedAsync(ids);
        var events = parsed.Events.Select(e => e.Event).ToArray();
        var published = service.Published.Where(m => m.Events.Any(e => ids.Contains(e.EventId))).DistinctBy(m => m.BatchId).OrderBy(m => ids.IndexOf(m.Events[0].EventId)).ToList();
        Assert.Equal([[ids[0], ids[1]], [ids[2], ids[3]], [ids[4]]], published.Select(m => m.Events.Select(e => e.EventId).ToArray()));
        Assert.Equal([LogEventPublisher.BatchIdOf(events[..2]), LogEventPublisher.BatchIdOf(events[2..4]), LogEventPublisher.BatchIdOf(events[4..])],
            published.Select(m => m.BatchId));
    }

    private static string Fresh() => Guid.NewGuid().ToString("N");

    private static ParsedBatch Parse(byte[] payload)
    {
        var parsed = new ParsedBatch();
        SubscriptionPayloadParser.Parse(payload, "test", null, null, DateTimeOffset.UtcNow, 1 << 20, parsed);
        return parsed;
    }
}
