namespace Platform.Contracts.Provisioning;

public sealed record MetricFilterDeleted(string Name, long Version) : IResourceDeleted;
