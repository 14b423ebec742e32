namespace Platform.Archiver.Tests;

public sealed class Crashing_mid_file : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();
    private ArchiverHost _archiver = null!;

    public async Task InitializeAsync() => _archiver = await ArchiverHost.StartAsync(_postgres);

    public async Task DisposeAsync()
    {
        await _archiver.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Theory]
    [InlineData(ProxyAction.DropAfterForwarding)]
    [InlineData(ProxyAction.DropBeforeForwarding)]
    public async Task A_restart_after_a_failed_put_loses_and_duplicates_nothing(ProxyAction crash)
    {
        var hour = Batches.TwoHoursAgo();
        var first = Batches.CloudTrail(40, hour);
        var second = Batches.CloudTrail(25, hour.AddMinutes(1));
        await _archiver.PublishAsync(first);
        await _archiver.PublishAsync(second);
        await _archiver.WaitForBufferedAsync(65);

        // The archive file's PUT is cut off (after it reached S3, or before); then the service dies.
        _archiver.Proxy.Decide = request => request.Method == "PUT" && request.Path.EndsWith(".parquet", StringComparison.Ordinal)
            ? crash : ProxyAction.Forward;
        using (var failed = await _archiver.Admin.PostAsync("/v1/archive/flush", null))
        {
            Assert.False(failed.IsSuccessStatusCode);
        }
        var attempted = _archiver.Proxy.Puts(".parquet").Select(p => p.Path).Distinct().ToList();
        Assert.Single(attempted);
        await _archiver.RestartAsync();
        _archiver.Proxy.Decide = _ => ProxyAction.Forward;

        // Redelivered after the restart, as a broker would: nothing new is buffered.
        await _archiver.PublishAsync(first);
        await _archiver.FlushAsync();

        var keys = await _archiver.Bucket.DataKeysAsync();
        var key = Assert.Single(keys);
        Assert.Equal("/" + _archiver.Bucket.Name + "/" + key, attempted[0]);
        var rows = await _archiver.Bucket.ReadRowsAsync(key);
        var expected = first.Events.Concat(second.Events).Select(e => e.EventId).Order().ToList();
        Assert.Equal(expected, rows.Select(r => r.EventId).Order().ToList());
    }

    [Fact]
    public async Task A_batch_delivered_again_after_its_file_was_written_is_not_archived_twice()
    {
        var batch = Batches.CloudTrail(10, Batches.TwoHoursAgo());
        await _archiver.ArchiveAsync(batch, bufferedInAll: 10);

        await _archiver.PublishAsync(batch);
        await _archiver.ArchiveAsync(Batches.CloudTrail(1, Batches.TwoHoursAgo()), bufferedInAll: 11);

        var ids = new List<string>();
        foreach (var key in await _archiver.Bucket.DataKeysAsync())
        {
            ids.AddRange((await _archiver.Bucket.ReadRowsAsync(key)).Select(r => r.EventId));
        }
        Assert.Equal(11, ids.Count);
        Assert.Equal(11, ids.Distinct().Count());
    }
}
