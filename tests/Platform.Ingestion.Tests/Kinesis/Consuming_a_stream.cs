namespace Platform.Ingestion.Tests.Kinesis;

/// <summary>A source in configuration, read from real kinesalite through the real ingestor into the store.</summary>
public sealed class Consuming_a_stream(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Stores_every_event_exactly_once_and_a_restart_continues_after_the_checkpoint()
    {
        await using var stream = await KinesisTestStream.CreateAsync(1, "consume");
        var database = await postgres.CreateDatabaseAsync("kinesisconsume");
        var db = new IngestionDatabase(database);
        var prefix = RabbitMqServer.NewEntityPrefix();
        var sources = new Dictionary<string, string> { ["trail"] = stream.Name };
        var first = new List<string>();
        var firstSequenceNumbers = await stream.PutAsync(SubscriptionPayloads.CloudTrail(20, 10, first));

        await using (IngestionHosts.Start(database, prefix, "instance-1", sources))
        {
            var stored = await Eventually.ObserveAsync(() => db.StoredEventsAsync("trail"), s => s.Count >= first.Count, Patience);
            Assert.Equal(first.Order(), stored.Keys.Order());
            var lease = await Eventually.ObserveAsync(async () => (await db.LeasesAsync("trail")).SingleOrDefault(),
                l => l?.Checkpoint == firstSequenceNumbers[^1], Patience);
            Assert.Equal(firstSequenceNumbers[^1], lease?.Checkpoint);
        }

        var second = new List<string>();
        var secondSequenceNumbers = await stream.PutAsync(SubscriptionPayloads.CloudTrail(10, 10, second));
        var published = await db.ScalarAsync<long>("SELECT (SELECT count(*) FROM ingested_event_ids) - (SELECT coalesce(sum(cardinality(event_ids)), 0) FROM pending_publications)");
        await using (IngestionHosts.Start(database, prefix, "instance-2", sources))
        {
            var stored = await Eventually.ObserveAsync(() => db.StoredEventsAsync("trail"), s => s.Count >= first.Count + second.Count, Patience);
            Assert.Equal(first.Concat(second).Order(), stored.Keys.Order());
            Assert.All(stored.Values, copies => Assert.Equal(1, copies));
            // Stored comes before published; the checkpoint only after both.
            var lease = await Eventually.ObserveAsync(async () => (await db.LeasesAsync("trail")).SingleOrDefault(),
                l => l?.Checkpoint == secondSequenceNumbers[^1], Patience);
            Assert.Equal(secondSequenceNumbers[^1], lease?.Checkpoint);
        }
        // Every event of the first run was published (through the real broker) before its checkpoint.
        Assert.Equal(first.Count, published);
        Assert.Equal(first.Count + second.Count, await db.ScalarAsync<long>("SELECT (SELECT count(*) FROM ingested_event_ids) - (SELECT coalesce(sum(cardinality(event_ids)), 0) FROM pending_publications)"));
    }

    [Fact]
    public async Task Quarantines_a_malformed_record_in_the_middle_of_a_batch_and_moves_the_checkpoint_past_it()
    {
        await using var stream = await KinesisTestStream.CreateAsync(1, "malformed");
        var database = await postgres.CreateDatabaseAsync("kinesismalformed");
        var db = new IngestionDatabase(database);
        var good = new List<string>();
        var payloads = SubscriptionPayloads.CloudTrail(4, 5, good).ToList();
        payloads.Insert(2, [0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef]); // a gzip header and garbage
        var sequenceNumbers = await stream.PutAsync(payloads);

        await using var host = IngestionHosts.Start(database, RabbitMqServer.NewEntityPrefix(), "instance-1",
            new Dictionary<string, string> { ["broken"] = stream.Name });

        var lease = await Eventually.ObserveAsync(async () => (await db.LeasesAsync("broken")).SingleOrDefault(),
            l => l?.Checkpoint == sequenceNumbers[^1], Patience);
        Assert.Equal(sequenceNumbers[^1], lease?.Checkpoint);
        Assert.Equal(good.Order(), (await db.StoredEventsAsync("broken")).Keys.Order());
        var origin = await db.ScalarAsync<string>("SELECT origin FROM quarantine WHERE source = $1", "broken");
        Assert.Equal($"kinesis:{stream.Name}/shardId-000000000000/{sequenceNumbers[2]}", origin);
    }
}
