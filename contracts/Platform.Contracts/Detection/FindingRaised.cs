namespace Platform.Contracts.Detection;

/// <summary>
/// A new finding: the first occurrence of a rule's match for a fingerprint (rule plus its key fields).
/// Published once per finding; later occurrences come as <see cref="FindingUpdated"/>.
/// </summary>
/// <param name="FindingId">Stable id of the finding (derived from its fingerprint).</param>
/// <param name="RuleId">The Sigma rule's <c>id</c> (its title when it has none).</param>
/// <param name="Title">The rule's title.</param>
/// <param name="Description">The rule's description.</param>
/// <param name="Severity">From the rule's <c>level</c>.</param>
/// <param name="Status"><see cref="FindingStatus.Open"/>, or <see cref="FindingStatus.Suppressed"/> when a suppression rule matched it at once.</param>
/// <param name="Occurrences">How many events (or correlation windows) it counts so far.</param>
/// <param name="FirstSeenAt">Time of its earliest event.</param>
/// <param name="LastSeenAt">Time of its latest event.</param>
/// <param name="Account">AWS account id, when known.</param>
/// <param name="Region">AWS region, when known.</param>
/// <param name="Principal">Who acted (an ARN, a user name, <c>root</c>), when known.</param>
/// <param name="SourceIps">Source IPs seen (at most 20).</param>
/// <param name="Resources">Resources acted on (names or ARNs, at most 20).</param>
/// <param name="Techniques">MITRE ATT&amp;CK technique ids from the rule's tags (<c>T1098</c>, <c>T1098.001</c>).</param>
/// <param name="Tactics">MITRE ATT&amp;CK tactics from the rule's tags (<c>persistence</c>).</param>
/// <param name="Evidence">The events behind it: the first 10 and the latest 10.</param>
/// <param name="Origin">Set on findings of a retro-hunt (with the hunt id); null for live detection.</param>
/// <param name="Disposition">Alert (pages) or signal (kept, not paged), from the rule's disposition when the occurrences were recorded.</param>
/// <param name="Version">The finding's version after this change (the ETag of its REST resource).</param>
public sealed record FindingRaised(
    Guid FindingId,
    string RuleId,
    string Title,
    string? Description,
    FindingSeverity Severity,
    FindingStatus Status,
    long Occurrences,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSeenAt,
    string? Account,
    string? Region,
    string? Principal,
    IReadOnlyList<string> SourceIps,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> Techniques,
    IReadOnlyList<string> Tactics,
    IReadOnlyList<FindingEvidence> Evidence,
    long Version,
    FindingOrigin? Origin = null,
    FindingDisposition Disposition = FindingDisposition.Alert);
