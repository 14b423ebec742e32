namespace Platform.Contracts.Provisioning;

public sealed record SavedQueryDeleted(string Name, long Version) : IResourceDeleted;
