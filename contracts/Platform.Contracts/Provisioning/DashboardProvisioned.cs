namespace Platform.Contracts.Provisioning;

public sealed record DashboardProvisioned(string Name, DashboardSpec Spec, long Version) : IResourceProvisioned<DashboardSpec>;
