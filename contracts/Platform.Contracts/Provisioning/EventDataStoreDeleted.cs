namespace Platform.Contracts.Provisioning;

public sealed record EventDataStoreDeleted(string Name, long Version) : IResourceDeleted;
