namespace Platform.Ingestion.Tests.Kinesis;

/// <summary>A source in configuration, read from real kinesalite through the real ingestor into the store.</summary>
public sealed class Consuming_a_stream(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Stores_every_event_exactly_once_and_a_restart_continues_after_the_checkpoint()
    {
        await using var run = await KinesisSourceRun.CreateAsync(postgres, 1, "trail");
        var first = new List<string>();
        var firstSequenceNumbers = await run.Stream.PutAsync(SubscriptionPayloads.CloudTrail(20, 10, first));

        await using (run.StartInstance("instance-1"))
        {
            await run.AssertEachStoredOnceAsync(first, Patience);
            await run.AssertCheckpointedAtAsync(firstSequenceNumbers[^1], Patience);
        }

        var second = new List<string>();
        var secondSequenceNumbers = await run.Stream.PutAsync(SubscriptionPayloads.CloudTrail(10, 10, second));
        var published = await PublishedAsync(run);
        await using (run.StartInstance("instance-2"))
        {
            await run.AssertEachStoredOnceAsync([.. first, .. second], Patience);
            // Stored comes before published; the checkpoint only after both.
            await run.AssertCheckpointedAtAsync(secondSequenceNumbers[^1], Patience);
        }
        // Every event of the first run was published (through the real broker) before its checkpoint.
        Assert.Equal(first.Count, published);
        Assert.Equal(first.Count + second.Count, await PublishedAsync(run));
    }

    [Fact]
    public async Task Quarantines_a_malformed_record_in_the_middle_of_a_batch_and_moves_the_checkpoint_past_it()
    {
        await using var run = await KinesisSourceRun.CreateAsync(postgres, 1, "broken");
        var good = new List<string>();
        var payloads = SubscriptionPayloads.CloudTrail(4, 5, good).ToList();
        payloads.Insert(2, [0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef]); // a gzip header and garbage
        var sequenceNumbers = await run.Stream.PutAsync(payloads);

        await using var host = run.StartInstance("instance-1");

        await run.AssertCheckpointedAtAsync(sequenceNumbers[^1], Patience);
        Assert.Equal(good.Order(), (await run.Db.StoredEventsAsync("broken")).Keys.Order());
        var origin = await run.Db.ScalarAsync<string>("SELECT origin FROM quarantine WHERE source = $1", "broken");
        Assert.Equal($"kinesis:{run.Stream.Name}/shardId-000000000000/{sequenceNumbers[2]}", origin);
    }

    /// <summary>How many of the stored events are published: those stored, less those still waiting to be.</summary>
    private static Task<long> PublishedAsync(KinesisSourceRun run) =>
        run.Db.ScalarAsync<long>("SELECT (SELECT count(*) FROM ingested_event_ids) - (SELECT coalesce(sum(cardinality(event_ids)), 0) FROM pending_publications)");
}
