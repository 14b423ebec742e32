namespace Platform.Ingestion.Storage;

/// <summary>A stored batch not yet on the broker, and its events.</summary>
public sealed record PendingPublication(long Id, string Source, IReadOnlyList<StoredLogEvent> Events);
