using System.Globalization;

namespace Platform.Archiver.Tests;

/// <summary>
/// A record is archived as the bytes it arrived in: text beyond ASCII, escapes and spacing unchanged, whether it fits in
/// the buffer's row or is large enough to be compressed and kept apart from it.
/// </summary>
public sealed class Archiving_records_as_received : ArchiverPerTest
{
    [Theory]
    [InlineData(0)]
    [InlineData(64 * 1024)]
    public async Task A_record_with_text_beyond_ascii_and_escapes_is_archived_byte_for_byte(int padding)
    {
        var eventTime = Batches.TwoHoursAgo();
        var id = Guid.NewGuid().ToString();
        var record = $$$"""{"eventVersion":"1.08", "eventID":"{{{id}}}","eventTime":"{{{eventTime:yyyy-MM-ddTHH:mm:ssZ}}}","awsRegion":"eu-west-1","recipientAccountId":"123456789012","userAgent":"Grüße 日本 🛡️ \"quoted\" \\ \u00e9\ttab","requestParameters":{"note":"a\nb","policy":"{{{Padding(padding)}}}"}}""";
        var logEvent = NormalizedCloudTrail.From(JsonNode.Parse(record)!.AsObject()) with
        {
            LogGroup = "aws-cloudtrail-logs",
            EventTime = eventTime,
            Document = LogDocument.FromValidUtf8(Encoding.UTF8.GetBytes(record)),
        };

        await Archiver.ArchiveAsync(IngestedBatches.Of([logEvent]), bufferedInAll: 1);

        var rows = new List<ParquetRow>();
        foreach (var key in await Archiver.Bucket.DataKeysAsync())
        {
            rows.AddRange(await Archiver.Bucket.ReadRowsAsync(key));
        }
        var row = Assert.Single(rows);
        Assert.Equal(record, row.Record);
        Assert.Equal((id, "aws-cloudtrail-logs"), (row.EventId, row.LogGroup));
    }

    /// <summary>Text that compresses only so far: a policy of statements with varying ids.</summary>
    private static string Padding(int length)
    {
        var text = new StringBuilder();
        for (var i = 0; text.Length < length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"Sid{i * 7919 % 104729}ü;");
        }
        return text.ToString(0, Math.Min(text.Length, length));
    }
}
