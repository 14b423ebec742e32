namespace Platform.Contracts.Ingestion;

/// <summary>
/// A bounded batch of normalised log events that ingestion has durably stored.
/// Published after the batch is in the raw log store; consumers must be idempotent
/// (a batch can be redelivered, and an event id never changes).
/// </summary>
/// <param name="BatchId">Deterministic id of the batch (derived from its event ids).</param>
/// <param name="Source">The source that delivered it: a provisioned source name, or <c>http:&lt;endpoint&gt;</c>.</param>
/// <param name="IngestedAt">When ingestion stored the batch.</param>
/// <param name="Events">The events, in the order they were received.</param>
public sealed record LogEventsIngested(
    Guid BatchId,
    string Source,
    DateTimeOffset IngestedAt,
    IReadOnlyList<NormalizedLogEvent> Events);
