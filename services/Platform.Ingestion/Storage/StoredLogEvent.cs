namespace Platform.Ingestion.Storage;

/// <summary>An event as the raw log store holds it.</summary>
public sealed record StoredLogEvent(
    NormalizedLogEvent Event,
    DateTimeOffset IngestedAt,
    string Source,
    IReadOnlyList<string>? SubscriptionFilters,
    string? PolicyLevel,
    string Record);
