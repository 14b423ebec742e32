namespace Platform.Contracts.Provisioning;

public sealed record FunctionDeleted(string Name, long Version) : IResourceDeleted;
