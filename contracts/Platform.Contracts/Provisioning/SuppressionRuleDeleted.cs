namespace Platform.Contracts.Provisioning;

public sealed record SuppressionRuleDeleted(string Name, long Version) : IResourceDeleted;
