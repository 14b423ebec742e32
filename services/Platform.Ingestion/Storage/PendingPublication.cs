namespace Platform.Ingestion.Storage;

/// <summary>A stored batch not yet on the broker, its events and where its batches begin (<see cref="PublicationBatches"/>).</summary>
public sealed record PendingPublication(long Id, string Source, IReadOnlyList<StoredLogEvent> Events, IReadOnlyList<int> BatchStarts);
