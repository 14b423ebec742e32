namespace Platform.Contracts.Provisioning;

public sealed record RuleSettingDeleted(string Name, long Version) : IResourceDeleted;
