namespace Platform.Ingestion.Storage;

/// <summary>What a retention run removed: whole partitions (by day) and single rows.</summary>
public sealed record RetentionOutcome(IReadOnlyList<DateOnly> DroppedPartitions, long DeletedEvents);
