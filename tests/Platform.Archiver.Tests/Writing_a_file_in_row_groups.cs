using System.Globalization;
using Parquet;

namespace Platform.Archiver.Tests;

/// <summary>
/// A file is written a row group at a time (<c>RowGroupBytes</c> of records each), so the archiver holds one row group
/// in memory, not a whole file of hundreds of MB: the file still holds every event once, in buffer order.
/// </summary>
public sealed class Writing_a_file_in_row_groups()
    : ArchiverPerTest(new Dictionary<string, string?> { ["Platform:Archiver:RowGroupBytes"] = RowGroupBytes.ToString(CultureInfo.InvariantCulture) })
{
    private const int RowGroupBytes = 4_000;

    [Fact]
    public async Task A_file_larger_than_a_row_group_holds_every_event_once_in_order_across_its_row_groups()
    {
        var batch = Batches.CloudTrail(60, Batches.TwoHoursAgo());
        await Archiver.ArchiveAsync(batch, bufferedInAll: 60);

        var key = Assert.Single(await Archiver.Bucket.DataKeysAsync());
        using var stream = new MemoryStream(await Archiver.Bucket.ReadAsync(key));
        await using (var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true))
        {
            var recordBytes = batch.Events.Sum(e => e.Document.GetRawText().Length);
            Assert.True(reader.RowGroupCount >= recordBytes / RowGroupBytes / 2,
                $"{reader.RowGroupCount} row groups for {recordBytes} bytes of records in groups of at most {RowGroupBytes}");
            Assert.True(reader.RowGroupCount > 1);
        }

        var rows = await Archiver.Bucket.ReadRowsAsync(key);
        Assert.Equal(batch.Events.Select(e => e.EventId), rows.Select(r => r.EventId));
    }
}
