using Platform.Contracts.Ingestion;

namespace Platform.Testing;

/// <summary>
/// Batches as ingestion publishes them, for the tests that feed a consumer (metrics, event rules, configuration from
/// CloudTrail, the archiver) without running ingestion: one way to make one.
/// </summary>
public static class IngestedBatches
{
    /// <summary>A new batch of <paramref name="events"/>, from the source <c>test</c>, ingested now.</summary>
    public static LogEventsIngested Of(params IReadOnlyList<NormalizedLogEvent> events) =>
        new(Guid.NewGuid(), "test", DateTimeOffset.UtcNow, events);
}
