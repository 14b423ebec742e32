namespace Platform.Contracts.Provisioning;

public sealed record FunctionProvisioned(string Name, FunctionSpec Spec, long Version) : IResourceProvisioned<FunctionSpec>;
