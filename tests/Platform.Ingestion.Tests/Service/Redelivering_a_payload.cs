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
        var parsed = new ParsedBatch();
        SubscriptionPayloadParser.Parse(payload, "test", null, null, DateTimeOffset.UtcNow, 1 << 20, parsed);
        // Stored, then the instance "dies" before publishing.
        await service.Service<RawLogStore>().StoreAsync(parsed.Events, "kinesis:test", DateTimeOffset.UtcNow, CancellationToken.None);

        var redelivered = await service.IngestAsync("/v1/ingest/cloudwatch-logs", payload);

        Assert.Equal(new IngestCounts(0, 3, 0, 0), redelivered);
        await service.WaitForPublishedAsync(ids);
    }

    [Fact]
    public async Task The_sweeper_publishes_events_whose_publication_never_completed()
    {
        List<string> ids = [];
        var parsed = new ParsedBatch();
        SubscriptionPayloadParser.Parse(Samples.FreshSubscriptionPayload(2, ids), "test", null, null, DateTimeOffset.UtcNow, 1 << 20, parsed);
        var longAgo = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(10);
        await service.Service<RawLogStore>().StoreAsync(parsed.Events, "kinesis:test", longAgo, CancellationToken.None);

        var swept = await service.Service<UnpublishedEventSweeper>().SweepAsync(CancellationToken.None);

        Assert.True(swept >= 2);
        await service.WaitForPublishedAsync(ids);
        Assert.Equal(0, await service.Service<UnpublishedEventSweeper>().SweepAsync(CancellationToken.None));
    }
}
