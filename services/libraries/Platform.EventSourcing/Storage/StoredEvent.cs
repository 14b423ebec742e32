namespace Platform.EventSourcing.Storage;

/// <summary>One row of the event store: an event as appended, with its place in its stream and in the store.</summary>
public sealed class StoredEvent
{
    public long GlobalPosition { get; set; }
    public Guid EventId { get; set; }
    public required string StreamId { get; set; }
    public long StreamVersion { get; set; }
    public required string EventType { get; set; }
    public required string Data { get; set; }
    public string? Metadata { get; set; }
    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>When the relay handed it to the broker; null while it waits. Internal events are born published.</summary>
    public DateTimeOffset? PublishedAt { get; set; }
}
