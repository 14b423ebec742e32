namespace Platform.Contracts.Provisioning;

public sealed record ConfigRuleDeleted(string Name, long Version) : IResourceDeleted;
