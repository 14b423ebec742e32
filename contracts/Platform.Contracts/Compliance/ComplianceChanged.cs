namespace Platform.Contracts.Compliance;

/// <summary>
/// A config rule's verdict on a resource changed compliance type (only a change publishes it; a repeated verdict does
/// not). <see cref="Version"/> is the evaluation's position in the (rule, resource) evaluation stream, so a consumer
/// that sees the same rule, resource and version twice is seeing a redelivery.
/// </summary>
/// <param name="ConfigRuleName">The rule.</param>
/// <param name="ResourceType">The resource's type (<c>AWS::::Account</c> for account-level rules).</param>
/// <param name="ResourceId">The resource's id (the account id for account-level rules).</param>
/// <param name="AwsAccountId">The resource's account.</param>
/// <param name="AwsRegion">The resource's region.</param>
/// <param name="OldComplianceType">The previous verdict; null for the first.</param>
/// <param name="NewComplianceType"><c>COMPLIANT</c>, <c>NON_COMPLIANT</c>, <c>NOT_APPLICABLE</c> or <c>INSUFFICIENT_DATA</c>.</param>
/// <param name="Annotation">Why, in the rule's words.</param>
/// <param name="OrderingTimestamp">The time of the configuration (or schedule) the verdict is about.</param>
/// <param name="Version">The verdict's version in the evaluation stream.</param>
public sealed record ComplianceChanged(
    string ConfigRuleName,
    string ResourceType,
    string ResourceId,
    string AwsAccountId,
    string AwsRegion,
    string? OldComplianceType,
    string NewComplianceType,
    string? Annotation,
    DateTimeOffset OrderingTimestamp,
    long Version);
