namespace Platform.Contracts.Provisioning;

public sealed record SubscriptionFilterDeleted(string Name, long Version) : IResourceDeleted;
