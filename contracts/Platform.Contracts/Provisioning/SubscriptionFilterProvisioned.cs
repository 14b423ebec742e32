namespace Platform.Contracts.Provisioning;

public sealed record SubscriptionFilterProvisioned(string Name, SubscriptionFilterSpec Spec, long Version) : IResourceProvisioned<SubscriptionFilterSpec>;
