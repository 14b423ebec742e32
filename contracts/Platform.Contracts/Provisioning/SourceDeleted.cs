namespace Platform.Contracts.Provisioning;

public sealed record SourceDeleted(string Name, long Version) : IResourceDeleted;
