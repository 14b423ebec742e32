using System.Collections.Immutable;
using MassTransit;
using Platform.Messaging;
using Platform.SqlQueries;

namespace Platform.Ingestion.SqlQueries;

/// <summary>
/// The provisioned event data stores, which SQL queries name in FROM: applied from provisioning's events and catch-up
/// snapshot, each change only when its version is newer than what the instance has. Swapped atomically.
/// </summary>
public sealed class LiveEventDataStores(ProvisionedResourceVersions versions)
{
    private ImmutableSortedDictionary<string, EventDataStore> _stores = ImmutableSortedDictionary.Create<string, EventDataStore>(StringComparer.Ordinal);

    public IReadOnlyCollection<EventDataStore> Current => Volatile.Read(ref _stores).Values.ToList();

    public void Apply(EventDataStoreProvisioned provisioned)
    {
        if (versions.TryAdvance(ProvisioningKinds.EventDataStores, provisioned.Name, provisioned.Version))
        {
            // Provisioning normalised the spec with the same code; normalising again fills defaults an older spec lacks.
            var spec = EventDataStores.Normalize(provisioned.Spec, (_, _) => { });
            ImmutableInterlocked.Update(ref _stores, stores => stores.SetItem(provisioned.Name, new EventDataStore(provisioned.Name, spec)));
        }
    }

    public void Apply(EventDataStoreDeleted deleted)
    {
        if (versions.TryAdvance(ProvisioningKinds.EventDataStores, deleted.Name, deleted.Version))
        {
            ImmutableInterlocked.Update(ref _stores, stores => stores.Remove(deleted.Name));
        }
    }
}

/// <summary>Applies event data store changes as provisioning publishes them; every instance hears every change.</summary>
public sealed class ProvisionedEventDataStoresConsumer(LiveEventDataStores stores) : IConsumer<EventDataStoreProvisioned>, IConsumer<EventDataStoreDeleted>
{
    public Task Consume(ConsumeContext<EventDataStoreProvisioned> context)
    {
        stores.Apply(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<EventDataStoreDeleted> context)
    {
        stores.Apply(context.Message);
        return Task.CompletedTask;
    }
}
