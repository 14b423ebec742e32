namespace Platform.Contracts.Provisioning;

public sealed record DashboardDeleted(string Name, long Version) : IResourceDeleted;
