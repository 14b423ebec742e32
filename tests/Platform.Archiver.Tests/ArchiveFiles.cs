using Parquet.Serialization;

namespace Platform.Archiver.Tests;

/// <summary>A row of an archive file, read by the test's own Parquet reading (column names as Athena's DDL gives them).</summary>
public sealed class ParquetRow
{
    [System.Text.Json.Serialization.JsonPropertyName("event_id")]
    public string EventId { get; set; } = "";

    [System.Text.Json.Serialization.JsonPropertyName("event_time")]
    public DateTime EventTime { get; set; }

    [System.Text.Json.Serialization.JsonPropertyName("event_name")]
    public string? EventName { get; set; }

    [System.Text.Json.Serialization.JsonPropertyName("log_group")]
    public string? LogGroup { get; set; }

    [System.Text.Json.Serialization.JsonPropertyName("record")]
    public string Record { get; set; } = "";
}

/// <summary>The archive's files read with the test's own Parquet reading.</summary>
public static class ArchiveFiles
{
    public static async Task<IList<ParquetRow>> ReadRowsAsync(this S3TestBucket bucket, string key)
    {
        using var stream = new MemoryStream(await bucket.ReadAsync(key));
        return (await ParquetSerializer.DeserializeAsync<ParquetRow>(stream)).Data;
    }
}
