namespace Platform.Ingestion.Storage;

/// <summary>What a retention run removed: whole partitions (by day), single rows, and expired quarantine entries.</summary>
public sealed record RetentionOutcome(IReadOnlyList<DateOnly> DroppedPartitions, long DeletedEvents, long ExpiredQuarantine);
