namespace Platform.EventSourcing.Storage;

/// <summary>Who caused a change, for the history APIs ("who made it, and when").</summary>
public sealed record EventMetadata(string? Actor = null, string? CorrelationId = null, Guid? CausationId = null);

/// <summary>An event read back from the store, deserialised to its type.</summary>
public sealed record RecordedEvent(
    long GlobalPosition,
    Guid EventId,
    string StreamId,
    long StreamVersion,
    string EventType,
    object Data,
    EventMetadata Metadata,
    DateTimeOffset RecordedAt);

/// <summary>A stream folded into its state, with the version a writer must expect next.</summary>
public sealed record StreamState<TState>(TState State, long Version)
{
    public bool Exists => Version > 0;
}
