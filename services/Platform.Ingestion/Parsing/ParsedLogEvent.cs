namespace Platform.Ingestion.Parsing;

/// <summary>A normalised event with the original record's UTF-8 bytes, kept intact for the raw log store.</summary>
/// <param name="Event">The normalised event.</param>
/// <param name="Record">The original record's UTF-8 bytes.</param>
/// <param name="DocumentIsRecord">
/// True when <see cref="NormalizedLogEvent.Document"/> is the record itself (CloudTrail, application JSON), so the
/// store keeps the text once; false when the document was built from it (flow log fields, plain text).
/// </param>
/// <param name="Subscription">The subscription message it came in, if any (log group, filters, policy level).</param>
public sealed record ParsedLogEvent(NormalizedLogEvent Event, ReadOnlyMemory<byte> Record, bool DocumentIsRecord, SubscriptionMessage? Subscription);
