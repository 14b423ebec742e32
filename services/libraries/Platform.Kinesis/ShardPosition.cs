namespace Platform.Kinesis;

/// <summary>Where to start reading a shard: a <c>ShardIteratorType</c> and what it needs.</summary>
public sealed record ShardPosition(string IteratorType, string? SequenceNumber = null, DateTimeOffset? Timestamp = null)
{
    public const string TrimHorizonType = "TRIM_HORIZON";
    public const string LatestType = "LATEST";
    public const string AtTimestampType = "AT_TIMESTAMP";
    public const string AfterSequenceNumberType = "AFTER_SEQUENCE_NUMBER";
    public const string AtSequenceNumberType = "AT_SEQUENCE_NUMBER";

    public static ShardPosition TrimHorizon { get; } = new(TrimHorizonType);

    public static ShardPosition Latest { get; } = new(LatestType);

    public static ShardPosition AtTimestamp(DateTimeOffset timestamp) => new(AtTimestampType, Timestamp: timestamp);

    public static ShardPosition AfterSequenceNumber(string sequenceNumber) => new(AfterSequenceNumberType, sequenceNumber);

    public static ShardPosition AtSequenceNumber(string sequenceNumber) => new(AtSequenceNumberType, sequenceNumber);
}
