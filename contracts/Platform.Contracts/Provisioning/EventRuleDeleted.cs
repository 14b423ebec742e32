namespace Platform.Contracts.Provisioning;

public sealed record EventRuleDeleted(string Name, long Version) : IResourceDeleted;
