namespace Platform.Contracts.Provisioning;

public sealed record EventDataStoreProvisioned(string Name, EventDataStoreSpec Spec, long Version) : IResourceProvisioned<EventDataStoreSpec>;
