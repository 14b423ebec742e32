namespace Platform.Contracts.Provisioning;

public sealed record AlarmDeleted(string Name, long Version) : IResourceDeleted;
