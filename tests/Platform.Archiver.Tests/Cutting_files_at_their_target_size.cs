using System.Globalization;

namespace Platform.Archiver.Tests;

/// <summary>
/// An hour still open gets a file each time its buffered records reach <c>TargetFileBytes</c>, counted across passes
/// (each pass reads only what was buffered since the last), and the rest when it closes. The buffer holds batches, so
/// a file ends with the batch that takes it to the target.
/// </summary>
public sealed class Cutting_files_at_their_target_size() : ArchiverPerTest(new Dictionary<string, string?>
{
    ["Platform:Archiver:TargetFileBytes"] = TargetFileBytes.ToString(CultureInfo.InvariantCulture),
    ["Platform:Archiver:PollInterval"] = "00:00:01",
})
{
    private const int TargetFileBytes = 8_000;

    [Fact]
    public async Task Files_of_an_open_hour_are_cut_at_the_target_size_from_events_buffered_over_several_passes()
    {
        var now = DateTimeOffset.UtcNow;
        var thisHour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var early = Batches.CloudTrail(5, thisHour);
        var late = Enumerable.Range(0, 20).Select(_ => Batches.CloudTrail(3, thisHour.AddMinutes(1))).ToList();
        var batches = late.Prepend(early).ToList();
        var events = batches.SelectMany(b => b.Events).ToList();
        Assert.True(early.Events.Sum(Bytes) < TargetFileBytes / 2, "the first batch alone is well under the target");
        Assert.True(late.All(b => b.Events.Sum(Bytes) < TargetFileBytes / 2), "a file takes several of the later batches");
        Assert.True(events.Sum(Bytes) > TargetFileBytes * 2, "the batches make two full files and some");

        await Archiver.PublishAsync(early);
        await Archiver.WaitForBufferedAsync(5);
        await Task.Delay(TimeSpan.FromSeconds(3)); // passes read the first batch: not a file yet
        Assert.Empty(await Archiver.Bucket.DataKeysAsync());

        // The runs a reader of every batch in buffer order cuts: each ends at the batch that reaches the target.
        var full = new List<List<string>>();
        var (run, bytes) = (new List<string>(), 0L);
        foreach (var batch in batches)
        {
            run.AddRange(batch.Events.Select(e => e.EventId));
            bytes += batch.Events.Sum(Bytes);
            if (bytes >= TargetFileBytes)
            {
                full.Add(run);
                (run, bytes) = ([], 0);
            }
        }

        // One at a time, so the buffer's order is the order published.
        var buffered = early.Events.Count;
        foreach (var batch in late)
        {
            await Archiver.PublishAsync(batch);
            await Archiver.WaitForBufferedAsync(buffered += batch.Events.Count);
        }
        var keys = await Eventually.ObserveAsync(Archiver.Bucket.DataKeysAsync, k => k.Count >= full.Count);
        var files = new List<List<string>>();
        foreach (var key in keys.Order(StringComparer.Ordinal))
        {
            files.Add([.. (await Archiver.Bucket.ReadRowsAsync(key)).Select(r => r.EventId)]);
        }
        Assert.Equal(full, files);

        // Flushed, the rest makes the last file: every event once.
        await Archiver.FlushAsync();
        var all = new List<string>();
        foreach (var key in await Archiver.Bucket.DataKeysAsync())
        {
            all.AddRange((await Archiver.Bucket.ReadRowsAsync(key)).Select(r => r.EventId));
        }
        Assert.Equal(events.Select(e => e.EventId).Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
    }

    private static long Bytes(NormalizedLogEvent e) => Encoding.UTF8.GetByteCount(e.Document.GetRawText());
}
