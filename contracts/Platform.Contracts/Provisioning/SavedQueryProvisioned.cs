namespace Platform.Contracts.Provisioning;

public sealed record SavedQueryProvisioned(string Name, SavedQuerySpec Spec, long Version) : IResourceProvisioned<SavedQuerySpec>;
