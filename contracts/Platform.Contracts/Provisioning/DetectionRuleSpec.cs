namespace Platform.Contracts.Provisioning;

/// <summary>A custom detection rule: a Sigma document (a rule, or a correlation with its base rules).</summary>
public sealed record DetectionRuleSpec(string Yaml, bool Enabled = true);
