namespace Platform.Contracts.Provisioning;

public sealed record RemediationDeleted(string Name, long Version) : IResourceDeleted;
