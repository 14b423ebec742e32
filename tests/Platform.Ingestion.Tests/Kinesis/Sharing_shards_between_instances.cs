namespace Platform.Ingestion.Tests.Kinesis;

public sealed class Sharing_shards_between_instances(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Two_instances_split_four_shards_evenly_and_store_no_event_twice()
    {
        await using var run = await KinesisSourceRun.CreateAsync(postgres, 4, "shared");
        var eventIds = new List<string>();
        string[] hashKeys = ["0", "85070591730234615865843651857942052864", KinesisTestStream.UpperHalfHashKey, "255211775190703847597530955573826158592"];
        foreach (var hashKey in hashKeys)
        {
            await run.Stream.PutAsync(SubscriptionPayloads.CloudTrail(10, 5, eventIds), hashKey);
        }

        await using var one = run.StartInstance("instance-1");
        await using var two = run.StartInstance("instance-2");

        var leases = await Eventually.ObserveAsync(() => run.Db.LeasesAsync("shared"),
            l => l.Count(x => x.Owner == "instance-1") == 2 && l.Count(x => x.Owner == "instance-2") == 2, Patience);
        Assert.Equal(2, leases.Count(l => l.Owner == "instance-1"));
        Assert.Equal(2, leases.Count(l => l.Owner == "instance-2"));

        foreach (var hashKey in hashKeys)
        {
            await run.Stream.PutAsync(SubscriptionPayloads.CloudTrail(10, 5, eventIds), hashKey);
        }
        await run.AssertEachStoredOnceAsync(eventIds, Patience);
    }

    [Fact]
    public async Task An_instance_killed_holding_leases_is_taken_over_after_expiry_losing_nothing()
    {
        await using var run = await KinesisSourceRun.CreateAsync(postgres, 2, "takeover");
        var (stream, db) = (run.Stream, run.Db);
        // The service (with no sources of its own) provides the real ingestor and lease store.
        await using var host = IngestionHosts.Start(run.Database, run.BusPrefix, "host");
        var eventIds = new List<string>();
        await stream.PutAsync(SubscriptionPayloads.CloudTrail(10, 5, eventIds), "0");
        await stream.PutAsync(SubscriptionPayloads.CloudTrail(10, 5, eventIds), KinesisTestStream.UpperHalfHashKey);

        using var killA = new CancellationTokenSource();
        var a = Coordinator(host, stream, "instance-a");
        var runA = a.RunAsync(killA.Token);
        await Eventually.ObserveAsync(() => db.StoredEventsAsync("takeover"), s => s.Count >= eventIds.Count, Patience);
        Assert.Equal(2, (await db.LeasesAsync("takeover")).Count(l => l.Owner == "instance-a"));

        // Killed: it stops without releasing its leases, which stay its own until they expire.
        await killA.CancelAsync();
        await runA;
        var killedAt = DateTimeOffset.UtcNow;
        await stream.PutAsync(SubscriptionPayloads.CloudTrail(10, 5, eventIds), "0");
        await stream.PutAsync(SubscriptionPayloads.CloudTrail(10, 5, eventIds), KinesisTestStream.UpperHalfHashKey);

        using var stopB = new CancellationTokenSource();
        var b = Coordinator(host, stream, "instance-b");
        var runB = b.RunAsync(stopB.Token);
        var leases = await Eventually.ObserveAsync(() => db.LeasesAsync("takeover"), l => l.All(x => x.Owner == "instance-b"), Patience);
        var stored = await Eventually.ObserveAsync(() => db.StoredEventsAsync("takeover"), s => s.Count >= eventIds.Count, Patience);
        await stopB.CancelAsync();
        await runB;

        Assert.All(leases, l => Assert.Equal("instance-b", l.Owner));
        Assert.True(DateTimeOffset.UtcNow - killedAt >= TimeSpan.FromSeconds(1.5), "taken over before the leases expired");
        Assert.Equal(eventIds.Order(), stored.Keys.Order());
        Assert.All(stored.Values, copies => Assert.Equal(1, copies));
    }

    private static ShardLeaseCoordinator Coordinator(ServiceHost<RawLogStore> host, KinesisTestStream stream, string instanceId)
    {
        Assert.True(KinesisSource.TryResolve("takeover",
            new SourceSpec(stream.Name, null, "us-east-1", TestServers.Kinesis.ToString(), "TRIM_HORIZON", null, null, null),
            "us-east-1", out var source, out _));
        return new ShardLeaseCoordinator(source!, instanceId, KinesisTestStream.NewClient(), host.Services.GetRequiredService<KinesisConsumerServices>());
    }
}
