namespace Platform.Ingestion.Storage;

/// <summary>Postgres text cannot hold NUL characters: an event carrying one is quarantined, not stored.</summary>
public static class StorableText
{
    /// <returns>Null when the event can be stored, otherwise why not.</returns>
    public static string? Problem(ParsedLogEvent parsed)
    {
        if (parsed.Record.Span.Contains((byte)0))
        {
            return "the record contains NUL characters, which the raw log store cannot keep";
        }
        var e = parsed.Event;
        return HasNul(e.EventId) || HasNul(e.LogGroup) || HasNul(e.LogStream) || HasNul(e.Account) || HasNul(e.Region)
               || HasNul(e.EventSource) || HasNul(e.EventName) || HasNul(e.Principal) || HasNul(e.SourceIp) || HasNul(e.ErrorCode)
               || parsed.Subscription is { } s && (HasNul(s.PolicyLevel) || s.SubscriptionFilters.Any(HasNul))
            ? "a field of the record contains NUL characters, which the raw log store cannot keep"
            : null;
    }

    private static bool HasNul(string? value) => value is not null && value.Contains('\0');
}
