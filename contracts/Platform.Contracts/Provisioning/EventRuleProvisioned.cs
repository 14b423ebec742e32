namespace Platform.Contracts.Provisioning;

public sealed record EventRuleProvisioned(string Name, EventRuleSpec Spec, long Version) : IResourceProvisioned<EventRuleSpec>;
