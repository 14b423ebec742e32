namespace Platform.Contracts.Provisioning;

public sealed record LogGroupDeleted(string Name, long Version) : IResourceDeleted;
