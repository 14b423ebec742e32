namespace Platform.Contracts.Provisioning;

public sealed record ConfigRuleProvisioned(string Name, ConfigRuleSpec Spec, long Version) : IResourceProvisioned<ConfigRuleSpec>;
