namespace Platform.Contracts.Provisioning;

public sealed record DetectionRuleDeleted(string Name, long Version) : IResourceDeleted;
