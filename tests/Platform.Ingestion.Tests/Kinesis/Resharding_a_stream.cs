namespace Platform.Ingestion.Tests.Kinesis;

public sealed class Resharding_a_stream(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task A_split_shard_is_finished_before_its_children_and_every_event_is_stored_once()
    {
        await using var run = await KinesisSourceRun.CreateAsync(postgres, 1, "split");
        var beforeSplit = new List<string>();
        await run.Stream.PutAsync(SubscriptionPayloads.CloudTrail(20, 5, beforeSplit));
        await run.Stream.Client.SplitShardAsync(run.Stream.Name, "shardId-000000000000", KinesisTestStream.UpperHalfHashKey, CancellationToken.None);
        await run.Stream.Client.WaitUntilActiveAsync(run.Stream.Name, TimeSpan.FromSeconds(20), CancellationToken.None);
        var afterSplit = new List<string>();
        await run.Stream.PutAsync(SubscriptionPayloads.CloudTrail(10, 5, afterSplit), "0");
        await run.Stream.PutAsync(SubscriptionPayloads.CloudTrail(10, 5, afterSplit), KinesisTestStream.UpperHalfHashKey);

        // Started after the split: the children have records waiting while the parent is still unread.
        await using var host = run.StartInstance("instance-1");

        await run.AssertEachStoredOnceAsync([.. beforeSplit, .. afterSplit], Patience);

        var leases = await run.Db.LeasesAsync("split");
        Assert.Equal(3, leases.Count);
        var parent = Assert.Single(leases, l => l.ShardId == "shardId-000000000000");
        Assert.Equal(ShardLeaseRow.ShardEnd, parent.Checkpoint);
        Assert.All(leases.Where(l => l != parent), child => Assert.Equal(["shardId-000000000000"], child.ParentShardIds));

        var lastOfParent = await run.Db.ScalarAsync<DateTime>(
            "SELECT max(ingested_at) FROM log_events WHERE event_id = ANY($1)", (object)beforeSplit.ToArray());
        var firstOfChildren = await run.Db.ScalarAsync<DateTime>(
            "SELECT min(ingested_at) FROM log_events WHERE event_id = ANY($1)", (object)afterSplit.ToArray());
        Assert.True(lastOfParent <= firstOfChildren, $"a child was read at {firstOfChildren:O}, before the parent's last at {lastOfParent:O}");
    }
}
