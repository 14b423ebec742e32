namespace Platform.Contracts.Provisioning;

public sealed record RemediationProvisioned(string Name, RemediationSpec Spec, long Version) : IResourceProvisioned<RemediationSpec>;
