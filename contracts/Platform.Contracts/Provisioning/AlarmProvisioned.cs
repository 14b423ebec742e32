namespace Platform.Contracts.Provisioning;

public sealed record AlarmProvisioned(string Name, AlarmSpec Spec, long Version) : IResourceProvisioned<AlarmSpec>;
