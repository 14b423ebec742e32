namespace Platform.Detection.Findings;

// The finding stream's own events (private to detection). Each append also carries the public contract
// (FindingRaised, FindingUpdated, FindingStatusChanged) that announces the change on the bus.

/// <summary>
/// A rule matched a fingerprint for the first time. Always followed by <see cref="OccurrencesRecorded"/>. <c>Origin</c> is set
/// when a retro-hunt found it (null for live detection).
/// </summary>
public sealed record FindingOpened(
    Guid FindingId,
    string Fingerprint,
    string RuleId,
    string RuleKey,
    string Title,
    string? Description,
    FindingSeverity Severity,
    string? Account,
    string? Region,
    string? Principal,
    IReadOnlyList<string> Techniques,
    IReadOnlyList<string> Tactics,
    FindingOrigin? Origin = null);

/// <summary>
/// Occurrences from one batch of log events. <paramref name="Count"/> may be 0 when a correlation window
/// already counted grew (later events of the same burst). <paramref name="Disposition"/> is the rule's when they were
/// recorded (a rule setting may have changed it since the finding opened); null in streams older than dispositions.
/// </summary>
public sealed record OccurrencesRecorded(
    long Count,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSeenAt,
    IReadOnlyList<string> SourceIps,
    IReadOnlyList<string> Resources,
    IReadOnlyList<FindingEvidence> FirstEvidence,
    IReadOnlyList<FindingEvidence> LatestEvidence,
    DateTimeOffset? CorrelationWindowEnd,
    FindingDisposition? Disposition = null);

public sealed record FindingAcknowledged(string? Reason);

public sealed record FindingResolved(string? Reason);

/// <param name="Reason">Why.</param>
/// <param name="Until">When the suppression ends; never when absent.</param>
/// <param name="SuppressionRule">The suppression rule that suppressed it automatically; null when an analyst did.</param>
public sealed record FindingSuppressed(string? Reason, DateTimeOffset? Until, string? SuppressionRule = null);

public sealed record FindingReopened(string? Reason);
