namespace Platform.Contracts.Detection;

/// <summary>One log event behind a finding.</summary>
/// <param name="EventId">The source's own id of the event (CloudTrail's <c>eventID</c>).</param>
/// <param name="EventTime">When the event happened.</param>
/// <param name="EventName">CloudTrail's <c>eventName</c> or the application's event type, when there is one.</param>
public sealed record FindingEvidence(string EventId, DateTimeOffset EventTime, string? EventName);
