namespace Platform.Contracts.Provisioning;

public sealed record LogGroupProvisioned(string Name, LogGroupSpec Spec, long Version) : IResourceProvisioned<LogGroupSpec>;
