namespace Platform.Contracts.Provisioning;

/// <summary>A source was created or changed; <paramref name="Version"/> is its stream's version.</summary>
public sealed record SourceProvisioned(string Name, SourceSpec Spec, long Version) : IResourceProvisioned<SourceSpec>;
