using System.Text.Json.Serialization;

namespace Platform.Kinesis;

// The request and response shapes of Kinesis Data Streams' JSON protocol (API version 2013-12-02),
// with AWS's own member names. Only the members this service uses are declared.

public sealed record Shard(
    string ShardId,
    string? ParentShardId,
    string? AdjacentParentShardId,
    HashKeyRange? HashKeyRange,
    SequenceNumberRange SequenceNumberRange)
{
    /// <summary>The shards this one was split from or merged out of.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> ParentShardIds =>
        new[] { ParentShardId, AdjacentParentShardId }.OfType<string>().ToArray();

    /// <summary>A closed shard (after a reshard) has an ending sequence number.</summary>
    [JsonIgnore]
    public bool IsClosed => SequenceNumberRange.EndingSequenceNumber is not null;
}

public sealed record HashKeyRange(string StartingHashKey, string EndingHashKey);

public sealed record SequenceNumberRange(string StartingSequenceNumber, string? EndingSequenceNumber);

/// <summary>Which shards <c>ListShards</c> returns (<c>AFTER_SHARD_ID</c>, <c>AT_LATEST</c>, <c>FROM_TRIM_HORIZON</c>, ...).</summary>
public sealed record ShardFilter(string Type, string? ShardId = null, double? Timestamp = null);

public sealed record ListShardsRequest(
    string? StreamName = null,
    string? NextToken = null,
    ShardFilter? ShardFilter = null,
    int? MaxResults = null);

public sealed record ListShardsResponse(IReadOnlyList<Shard>? Shards, string? NextToken);

public sealed record DescribeStreamSummaryRequest(string StreamName);

public sealed record StreamDescriptionSummary(
    string StreamName,
    string StreamARN,
    string StreamStatus,
    int OpenShardCount,
    int RetentionPeriodHours);

public sealed record DescribeStreamSummaryResponse(StreamDescriptionSummary StreamDescriptionSummary);

public sealed record GetShardIteratorRequest(
    string StreamName,
    string ShardId,
    string ShardIteratorType,
    string? StartingSequenceNumber = null,
    double? Timestamp = null);

public sealed record GetShardIteratorResponse(string ShardIterator);

public sealed record GetRecordsRequest(string ShardIterator, int? Limit = null);

/// <summary>One record; the JSON protocol carries <see cref="Data"/> as base64, decoded here.</summary>
public sealed record KinesisRecord(
    string SequenceNumber,
    byte[] Data,
    string PartitionKey,
    double? ApproximateArrivalTimestamp = null);

/// <summary><see cref="NextShardIterator"/> is null once a closed shard has been read to its end.</summary>
public sealed record GetRecordsResponse(
    IReadOnlyList<KinesisRecord> Records,
    string? NextShardIterator,
    long? MillisBehindLatest);

public sealed record PutRecordsRequestEntry(byte[] Data, string PartitionKey, string? ExplicitHashKey = null);

public sealed record PutRecordsRequest(string StreamName, IReadOnlyList<PutRecordsRequestEntry> Records);

public sealed record PutRecordsResultEntry(string? SequenceNumber, string? ShardId, string? ErrorCode, string? ErrorMessage);

public sealed record PutRecordsResponse(int? FailedRecordCount, IReadOnlyList<PutRecordsResultEntry> Records);

public sealed record CreateStreamRequest(string StreamName, int ShardCount);

public sealed record DeleteStreamRequest(string StreamName);

public sealed record SplitShardRequest(string StreamName, string ShardToSplit, string NewStartingHashKey);


public sealed record KinesisErrorResponse(
    [property: JsonPropertyName("__type")] string? Type,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("Message")] string? MessageUpperCase);

/// <summary>Source-generated (de)serialisation: GetRecords responses are large and hot.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ListShardsRequest))]
[JsonSerializable(typeof(ListShardsResponse))]
[JsonSerializable(typeof(DescribeStreamSummaryRequest))]
[JsonSerializable(typeof(DescribeStreamSummaryResponse))]
[JsonSerializable(typeof(GetShardIteratorRequest))]
[JsonSerializable(typeof(GetShardIteratorResponse))]
[JsonSerializable(typeof(GetRecordsRequest))]
[JsonSerializable(typeof(GetRecordsResponse))]
[JsonSerializable(typeof(PutRecordsRequest))]
[JsonSerializable(typeof(PutRecordsResponse))]
[JsonSerializable(typeof(CreateStreamRequest))]
[JsonSerializable(typeof(DeleteStreamRequest))]
[JsonSerializable(typeof(SplitShardRequest))]
[JsonSerializable(typeof(KinesisErrorResponse))]
internal sealed partial class KinesisJsonContext : JsonSerializerContext;
