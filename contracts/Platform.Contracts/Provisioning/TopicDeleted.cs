namespace Platform.Contracts.Provisioning;

public sealed record TopicDeleted(string Name, long Version) : IResourceDeleted;
