using Platform.Messaging;

namespace Platform.Ingestion.SavedQueries;

/// <summary>The provisioned saved queries, held alike by every instance (provisioning compiled each at the door).</summary>
public sealed class LiveSavedQueries(ProvisionedResourceVersions versions) :
    LiveResources<SavedQuerySpec, SavedQuerySpec>(ProvisioningKinds.SavedQueries, versions)
{
    protected override SavedQuerySpec Compile(string name, SavedQuerySpec spec, long version) => spec;
}
