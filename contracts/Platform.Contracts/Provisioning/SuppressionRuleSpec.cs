namespace Platform.Contracts.Provisioning;

/// <summary>
/// Auto-suppresses findings that match every criterion: finding field (<c>ruleId</c>, <c>severity</c>,
/// <c>principal</c>, <c>account</c>, <c>region</c>, <c>sourceIp</c>, <c>resource</c>) to the values it may take.
/// </summary>
/// <param name="Criteria">Field to accepted values (any of them, case-insensitive; <c>*</c> wildcards allowed).</param>
/// <param name="Reason">Why, shown on every finding it suppresses.</param>
/// <param name="ExpiresAt">After this it no longer applies; never when absent.</param>
public sealed record SuppressionRuleSpec(
    IReadOnlyDictionary<string, IReadOnlyList<string>> Criteria,
    string Reason,
    DateTimeOffset? ExpiresAt);
