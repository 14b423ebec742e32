namespace Platform.Contracts.Provisioning;

public sealed record DetectionRuleProvisioned(string Name, DetectionRuleSpec Spec, long Version) : IResourceProvisioned<DetectionRuleSpec>;
