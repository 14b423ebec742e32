namespace Platform.Contracts.Detection;

/// <summary>
/// New occurrences of an existing finding: published once per batch of log events that added to it.
/// </summary>
/// <param name="FindingId">The finding.</param>
/// <param name="RuleId">The Sigma rule's <c>id</c>.</param>
/// <param name="Severity">The finding's severity.</param>
/// <param name="Status">The finding's status after the occurrences (a resolved finding is reopened first).</param>
/// <param name="NewOccurrences">How many occurrences this change added.</param>
/// <param name="Occurrences">The finding's total occurrences.</param>
/// <param name="LastSeenAt">Time of its latest event.</param>
/// <param name="SourceIps">Source IPs seen so far (at most 20).</param>
/// <param name="Resources">Resources seen so far (at most 20).</param>
/// <param name="LatestEvidence">The latest events behind it (at most 10).</param>
/// <param name="Origin">Set on findings of a retro-hunt (with the hunt id); null for live detection.</param>
/// <param name="Disposition">Alert (pages) or signal (kept, not paged), from the rule's disposition when the occurrences were recorded.</param>
/// <param name="Version">The finding's version after this change.</param>
public sealed record FindingUpdated(
    Guid FindingId,
    string RuleId,
    FindingSeverity Severity,
    FindingStatus Status,
    long NewOccurrences,
    long Occurrences,
    DateTimeOffset LastSeenAt,
    IReadOnlyList<string> SourceIps,
    IReadOnlyList<string> Resources,
    IReadOnlyList<FindingEvidence> LatestEvidence,
    long Version,
    FindingOrigin? Origin = null,
    FindingDisposition Disposition = FindingDisposition.Alert);
