namespace Platform.Contracts.Compliance;

/// <summary>A remediation attempt on a resource succeeded (the target ran without error).</summary>
/// <param name="ConfigRuleName">The rule whose remediation ran.</param>
/// <param name="ResourceType">The resource's type.</param>
/// <param name="ResourceId">The resource's id.</param>
/// <param name="TargetType"><c>SSM_DOCUMENT</c> or the platform's function target.</param>
/// <param name="TargetId">The document or function (<c>AWS-EnableS3BucketEncryption</c>).</param>
/// <param name="Attempt">Which attempt, from 1.</param>
/// <param name="Automatic">Whether it ran automatically (false: executed on request).</param>
/// <param name="CompletedAt">When it finished.</param>
public sealed record RemediationCompleted(
    string ConfigRuleName, string ResourceType, string ResourceId, string TargetType, string TargetId, int Attempt, bool Automatic, DateTimeOffset CompletedAt);
