namespace Platform.Detection.Api;

/// <summary>A finding as the REST API shows it.</summary>
/// <param name="Id">The finding's id.</param>
/// <param name="RuleId">The Sigma rule's <c>id</c>.</param>
/// <param name="Title">The rule's title.</param>
/// <param name="Description">The rule's description.</param>
/// <param name="Severity">From the rule's level.</param>
/// <param name="Status">open, acknowledged, resolved or suppressed.</param>
/// <param name="StatusReason">Why it has its status, when a reason was given.</param>
/// <param name="SuppressedUntil">When a suppression ends (suppressed for ever when absent).</param>
/// <param name="Occurrences">Events (or correlation windows) counted.</param>
/// <param name="FirstSeenAt">Time of the earliest event.</param>
/// <param name="LastSeenAt">Time of the latest event.</param>
/// <param name="Account">AWS account id.</param>
/// <param name="Region">AWS region.</param>
/// <param name="Principal">Who acted.</param>
/// <param name="SourceIps">Source IPs seen (at most 20).</param>
/// <param name="Resources">Resources acted on (at most 20).</param>
/// <param name="Techniques">MITRE ATT&amp;CK technique ids.</param>
/// <param name="Tactics">MITRE ATT&amp;CK tactics.</param>
/// <param name="Evidence">The first 10 and the latest 10 events behind it, in time order.</param>
/// <param name="Version">Its version: send it back in <c>If-Match</c> to change its status.</param>
/// <param name="Disposition">alert (pages) or signal (kept, searchable, not paged).</param>
/// <param name="Origin">Set when a retro-hunt found it (<c>{"type": "retro-hunt", "huntId": ...}</c>); absent for live detection.</param>
public sealed record FindingView(
    Guid Id,
    string RuleId,
    string Title,
    string? Description,
    FindingSeverity Severity,
    FindingDisposition Disposition,
    FindingStatus Status,
    string? StatusReason,
    DateTimeOffset? SuppressedUntil,
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
    FindingOrigin? Origin)
{
    public static FindingView From(FindingState s) => new(
        s.Id, s.RuleId, s.Title, s.Description, s.Severity, s.Disposition, s.Status, s.StatusReason, s.SuppressedUntil, s.Occurrences,
        s.FirstSeenAt, s.LastSeenAt, s.Account, s.Region, s.Principal, s.SourceIps, s.Resources, s.Techniques, s.Tactics,
        s.Evidence, s.Version, s.Origin);
}

/// <summary>A page of findings, newest <c>lastSeenAt</c> first.</summary>
/// <param name="Items">The findings.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; absent on the last page.</param>
public sealed record FindingPage(IReadOnlyList<FindingView> Items, string? NextCursor);

/// <summary>Optional body of a triage command.</summary>
/// <param name="Reason">Why (kept in the history and the published event); at most 2,000 characters.</param>
/// <param name="Until">Suppress only: when the suppression ends (for ever when absent); must be in the future.</param>
public sealed record TriageRequest(string? Reason, DateTimeOffset? Until);

/// <summary>One change in a finding's life.</summary>
/// <param name="Version">The stream version of the change.</param>
/// <param name="Type">opened, occurrencesRecorded, acknowledged, resolved, suppressed or reopened.</param>
/// <param name="At">When it was recorded.</param>
/// <param name="Actor">Who: an API key's name, <c>detection</c>, or <c>suppression-rule:&lt;name&gt;</c>.</param>
/// <param name="Data">The event's fields.</param>
public sealed record FindingHistoryEntry(long Version, string Type, DateTimeOffset At, string? Actor, object Data);
