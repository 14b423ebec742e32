namespace Platform.Contracts.Provisioning;

public sealed record TopicProvisioned(string Name, TopicSpec Spec, long Version) : IResourceProvisioned<TopicSpec>;
