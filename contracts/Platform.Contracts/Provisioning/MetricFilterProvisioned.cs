namespace Platform.Contracts.Provisioning;

public sealed record MetricFilterProvisioned(string Name, MetricFilterSpec Spec, long Version) : IResourceProvisioned<MetricFilterSpec>;
