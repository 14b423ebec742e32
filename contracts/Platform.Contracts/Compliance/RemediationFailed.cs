namespace Platform.Contracts.Compliance;

/// <summary>A remediation attempt on a resource failed.</summary>
/// <param name="ConfigRuleName">The rule whose remediation ran.</param>
/// <param name="ResourceType">The resource's type.</param>
/// <param name="ResourceId">The resource's id.</param>
/// <param name="TargetType"><c>SSM_DOCUMENT</c> or the platform's function target.</param>
/// <param name="TargetId">The document or function.</param>
/// <param name="Attempt">Which attempt, from 1.</param>
/// <param name="Automatic">Whether it ran automatically.</param>
/// <param name="Reason">Why it failed.</param>
/// <param name="WillRetry">False when this was the last attempt (<c>MaximumAutomaticAttempts</c> reached): the resource stays non-compliant, flagged.</param>
/// <param name="FailedAt">When it failed.</param>
public sealed record RemediationFailed(
    string ConfigRuleName, string ResourceType, string ResourceId, string TargetType, string TargetId, int Attempt, bool Automatic,
    string Reason, bool WillRetry, DateTimeOffset FailedAt);
