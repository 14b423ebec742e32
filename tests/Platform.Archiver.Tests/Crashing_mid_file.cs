namespace Platform.Archiver.Tests;

public sealed class Crashing_mid_file : ArchiverPerTest
{
    [Theory]
    [InlineData(ProxyAction.DropAfterForwarding)]
    [InlineData(ProxyAction.DropBeforeForwarding)]
    public async Task A_restart_after_a_failed_put_loses_and_duplicates_nothing(ProxyAction crash)
    {
        var hour = Batches.TwoHoursAgo();
        var first = Batches.CloudTrail(40, hour);
        var second = Batches.CloudTrail(25, hour.AddMinutes(1));
        await Archiver.PublishAsync(first);
        await Archiver.PublishAsync(second);
        await Archiver.WaitForBufferedAsync(65);

        // The archive file's PUT is cut off (after it reached S3, or before); then the service dies.
        Archiver.Proxy.Decide = request => request.Method == "PUT" && request.Path.EndsWith(".parquet", StringComparison.Ordinal)
            ? crash : ProxyAction.Forward;
        using (var failed = await Archiver.Admin.PostAsync("/v1/archive/flush", null))
        {
            Assert.False(failed.IsSuccessStatusCode);
        }
        var attempted = Archiver.Proxy.Puts(".parquet").Select(p => p.Path).Distinct().ToList();
        Assert.Single(attempted);
        await Archiver.RestartAsync();
        Archiver.Proxy.Decide = _ => ProxyAction.Forward;

        // Redelivered after the restart, as a broker would: nothing new is buffered.
        await Archiver.PublishAsync(first);
        await Archiver.FlushAsync();

        var keys = await Archiver.Bucket.DataKeysAsync();
        var key = Assert.Single(keys);
        Assert.Equal("/" + Archiver.Bucket.Name + "/" + key, attempted[0]);
        var rows = await Archiver.Bucket.ReadRowsAsync(key);
        var expected = first.Events.Concat(second.Events).Select(e => e.EventId).Order().ToList();
        Assert.Equal(expected, rows.Select(r => r.EventId).Order().ToList());
    }

    [Fact]
    public async Task A_batch_delivered_again_after_its_file_was_written_is_not_archived_twice()
    {
        var batch = Batches.CloudTrail(10, Batches.TwoHoursAgo());
        await Archiver.ArchiveAsync(batch, bufferedInAll: 10);

        await Archiver.PublishAsync(batch);
        await Archiver.ArchiveAsync(Batches.CloudTrail(1, Batches.TwoHoursAgo()), bufferedInAll: 11);

        var ids = new List<string>();
        foreach (var key in await Archiver.Bucket.DataKeysAsync())
        {
            ids.AddRange((await Archiver.Bucket.ReadRowsAsync(key)).Select(r => r.EventId));
        }
        Assert.Equal(11, ids.Count);
        Assert.Equal(11, ids.Distinct().Count());
    }
}
