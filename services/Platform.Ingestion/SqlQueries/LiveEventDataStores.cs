using Platform.Messaging;
using Platform.SqlQueries;

namespace Platform.Ingestion.SqlQueries;

/// <summary>
/// The provisioned event data stores, which SQL queries name in FROM, held alike by every instance. Provisioning
/// normalised each spec with the same code; normalising again fills the defaults an older spec lacks.
/// </summary>
public sealed class LiveEventDataStores(ProvisionedResourceVersions versions) :
    LiveResources<EventDataStoreSpec, EventDataStore>(ProvisioningKinds.EventDataStores, versions)
{
    protected override EventDataStore Compile(string name, EventDataStoreSpec spec, long version) =>
        new(name, EventDataStores.Normalize(spec, (_, _) => { }));
}
