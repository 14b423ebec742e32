namespace Platform.Ingestion.Api;

/// <summary>A stored event as the API shows it; <see cref="Record"/> (the original text) only when asked for one event.</summary>
public sealed record LogEventView(
    string EventId,
    string SourceType,
    DateTimeOffset EventTime,
    DateTimeOffset IngestedAt,
    string? LogGroup,
    string? LogStream,
    string? Account,
    string? Region,
    string? EventSource,
    string? EventName,
    string? Principal,
    string? SourceIp,
    string? ErrorCode,
    string Source,
    IReadOnlyList<string>? SubscriptionFilters,
    string? PolicyLevel,
    JsonElement Document,
    string? Record)
{
    public static LogEventView From(StoredLogEvent stored, bool withRecord)
    {
        var e = stored.Event;
        return new LogEventView(
            e.EventId, e.SourceType, e.EventTime, stored.IngestedAt, e.LogGroup, e.LogStream, e.Account, e.Region, e.EventSource,
            e.EventName, e.Principal, e.SourceIp, e.ErrorCode, stored.Source, stored.SubscriptionFilters, stored.PolicyLevel,
            e.Document.Root, withRecord ? stored.Record : null);
    }
}
