namespace Platform.Ingestion.Tests.Service;

[Collection(IngestionServiceCollection.Name)]
public sealed class Enforcing_retention(IngestionService service)
{
    // Far in the past so the partitions are this test's alone.
    private static readonly DateTimeOffset Now = new(2001, 6, 30, 12, 0, 0, TimeSpan.Zero);

    private async Task StoreAsync(string logGroup, DateTimeOffset ingestedAt, List<string> ids)
    {
        var parsed = new ParsedBatch();
        SubscriptionPayloadParser.Parse(Samples.FreshSubscriptionPayload(1, ids, logGroup), "test", null, null, ingestedAt, 1 << 20, parsed);
        await service.Service<RawLogStore>().StoreAsync(parsed.Events, "test", ingestedAt, CancellationToken.None);
    }

    private async Task<bool> IsStoredAsync(string id)
    {
        await using var command = service.Database.CreateCommand("SELECT count(*) FROM log_events WHERE event_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    [Fact]
    public async Task Drops_partitions_past_the_longest_retention_and_trims_shorter_log_groups()
    {
        var suffix = Guid.NewGuid().ToString("N");
        string shortGroup = "short-" + suffix, longGroup = "long-" + suffix, defaultGroup = "default-" + suffix;
        // Provisioning's events arrive through the real broker.
        await service.Bus.Publish(new LogGroupProvisioned(longGroup, new LogGroupSpec(90, null, null), 1));
        await service.Bus.Publish(new LogGroupProvisioned(shortGroup, new LogGroupSpec(7, null, null), 1));
        await WaitForRetentionAsync(shortGroup, 7);
        await WaitForRetentionAsync(longGroup, 90);

        List<string> tooOld = [], longKept = [], shortExpired = [], shortKept = [], defaultExpired = [], defaultKept = [];
        await StoreAsync(longGroup, Now.AddDays(-120), tooOld);
        await StoreAsync(longGroup, Now.AddDays(-60), longKept);
        await StoreAsync(shortGroup, Now.AddDays(-10), shortExpired);
        await StoreAsync(shortGroup, Now.AddDays(-2), shortKept);
        await StoreAsync(defaultGroup, Now.AddDays(-40), defaultExpired);
        await StoreAsync(defaultGroup, Now.AddDays(-20), defaultKept);

        var outcome = await service.Service<LogRetention>().EnforceAsync(Now, CancellationToken.None);

        Assert.Contains(DateOnly.FromDateTime(Now.AddDays(-120).UtcDateTime), outcome.DroppedPartitions);
        Assert.DoesNotContain(DateOnly.FromDateTime(Now.AddDays(-60).UtcDateTime), outcome.DroppedPartitions);
        Assert.False(await IsStoredAsync(tooOld[0]));
        Assert.True(await IsStoredAsync(longKept[0]));
        Assert.False(await IsStoredAsync(shortExpired[0]));
        Assert.True(await IsStoredAsync(shortKept[0]));
        Assert.False(await IsStoredAsync(defaultExpired[0]));
        Assert.True(await IsStoredAsync(defaultKept[0]));
    }

    [Fact]
    public async Task Ignores_an_older_version_of_a_log_group()
    {
        var group = "versioned-" + Guid.NewGuid().ToString("N");
        var retention = service.Service<LogRetention>();

        await retention.SetAsync(group, 14, 2, Now, CancellationToken.None);
        await retention.SetAsync(group, 365, 1, Now, CancellationToken.None);

        Assert.Equal(14, await RetentionOfAsync(group));
    }

    private async Task<int?> RetentionOfAsync(string group)
    {
        await using var command = service.Database.CreateCommand("SELECT retention_days FROM log_group_retention WHERE log_group = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = group });
        return await command.ExecuteScalarAsync() is int days ? days : null;
    }

    private async Task WaitForRetentionAsync(string group, int days)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (await RetentionOfAsync(group) != days)
        {
            Assert.True(DateTime.UtcNow < deadline, $"log group {group} retention not recorded within 15 s");
            await Task.Delay(25);
        }
    }
}
