namespace Platform.Ingestion.Storage;

/// <summary>Which stored events to list, newest first by event time, after an optional keyset position.</summary>
public sealed record LogEventFilter(
    DateTimeOffset? From,
    DateTimeOffset? To,
    string? SourceType,
    string? LogGroup,
    string? EventName,
    string? Principal,
    string? SourceIp,
    string? ErrorCode,
    DateTimeOffset? AfterEventTime,
    string? AfterEventId,
    int Limit);
