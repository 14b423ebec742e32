namespace Platform.Contracts.Provisioning;

public sealed record RuleSettingProvisioned(string Name, RuleSettingSpec Spec, long Version) : IResourceProvisioned<RuleSettingSpec>;
