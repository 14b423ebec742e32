using System.Text.Json.Serialization;
using Parquet.Serialization.Attributes;

namespace Platform.Archiver.Writing;

/// <summary>
/// One row of an archive file: the normalised columns and the original record. The account, region, day and hour
/// are the Hive partition (the object's path), not columns: Athena refuses a column that repeats a partition key.
/// </summary>
public sealed class ArchivedEvent
{
    [JsonPropertyName("event_id")]
    public string EventId { get; set; } = "";

    [JsonPropertyName("event_time")]
    [ParquetTimestamp(ParquetTimestampResolution.Milliseconds)]
    public DateTime EventTime { get; set; }

    [JsonPropertyName("ingested_at")]
    [ParquetTimestamp(ParquetTimestampResolution.Milliseconds)]
    public DateTime IngestedAt { get; set; }

    [JsonPropertyName("log_group")]
    public string? LogGroup { get; set; }

    [JsonPropertyName("log_stream")]
    public string? LogStream { get; set; }

    [JsonPropertyName("event_source")]
    public string? EventSource { get; set; }

    [JsonPropertyName("event_name")]
    public string? EventName { get; set; }

    [JsonPropertyName("principal")]
    public string? Principal { get; set; }

    [JsonPropertyName("source_ip")]
    public string? SourceIp { get; set; }

    [JsonPropertyName("error_code")]
    public string? ErrorCode { get; set; }

    /// <summary>The original record as ingestion received it (JSON): a CloudTrail record, a flow log's fields, an application line.</summary>
    [JsonPropertyName("record")]
    public string Record { get; set; } = "";
}
