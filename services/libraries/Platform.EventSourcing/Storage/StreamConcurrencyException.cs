namespace Platform.EventSourcing.Storage;

/// <summary>Another writer changed the stream since the version this writer expected.</summary>
public sealed class StreamConcurrencyException(string streamId, long expectedVersion, long? actualVersion, Exception? inner = null)
    : Exception(
        $"Stream '{streamId}' was expected at version {expectedVersion} but is at {(actualVersion?.ToString() ?? "a later version")}.",
        inner)
{
    public string StreamId { get; } = streamId;
    public long ExpectedVersion { get; } = expectedVersion;
    public long? ActualVersion { get; } = actualVersion;
}
