namespace Platform.Contracts.Detection;

/// <summary>A finding changed status: triage through the API, or reopened by a new occurrence.</summary>
/// <param name="FindingId">The finding.</param>
/// <param name="RuleId">The Sigma rule's <c>id</c>.</param>
/// <param name="From">The status before.</param>
/// <param name="To">The status after.</param>
/// <param name="By">Who: the API key's name, <c>detection</c> for a reopening occurrence, <c>suppression-rule:&lt;name&gt;</c>.</param>
/// <param name="Reason">Why, when given.</param>
/// <param name="Until">For <see cref="FindingStatus.Suppressed"/>: when the suppression ends (never when absent).</param>
/// <param name="At">When the change was made.</param>
/// <param name="Version">The finding's version after this change.</param>
public sealed record FindingStatusChanged(
    Guid FindingId,
    string RuleId,
    FindingStatus From,
    FindingStatus To,
    string By,
    string? Reason,
    DateTimeOffset? Until,
    DateTimeOffset At,
    long Version);
