namespace Platform.Contracts.Provisioning;

public sealed record SuppressionRuleProvisioned(string Name, SuppressionRuleSpec Spec, long Version) : IResourceProvisioned<SuppressionRuleSpec>;
