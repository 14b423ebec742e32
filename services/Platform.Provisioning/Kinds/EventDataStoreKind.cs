using Platform.SqlQueries;

namespace Platform.Provisioning.Kinds;

/// <summary>
/// <c>event-data-stores</c>: CloudTrail Lake event data stores as <c>create_event_data_store</c> takes them, checked with
/// <see cref="EventDataStores"/>, the code ingestion queries them with. Termination protection (on unless turned off,
/// as in AWS) refuses a delete until the store is updated with it off.
/// </summary>
public sealed class EventDataStoreKind() : ResourceKind<EventDataStoreSpec>(ProvisioningKinds.EventDataStores, (n, s, v) => new EventDataStoreProvisioned(n, s, v), (n, v) => new EventDataStoreDeleted(n, v))
{
    public override string? ValidateName(string name) => EventDataStores.ValidateName(name);

    protected override EventDataStoreSpec Validate(EventDataStoreSpec spec, string field, ValidationErrors errors) =>
        EventDataStores.Normalize(spec, (name, reason) => errors.Add(ValidationErrors.Field(field, name), reason));

    public override void ValidateNamed(string name, object spec, string field, ValidationErrors errors)
    {
        if (((EventDataStoreSpec)spec).Name is { } given && given != name)
        {
            errors.Add(ValidationErrors.Field(field, "Name"), $"must be the resource's name, '{name}', when given");
        }
    }

    public override string? DeletionRefusal(string name, string storedSpec) =>
        JsonSerializer.Deserialize<EventDataStoreSpec>(storedSpec, PlatformJson.Options)?.TerminationProtectionEnabled == false
            ? null
            : $"Event data store '{name}' has termination protection enabled: update it with TerminationProtectionEnabled false, then delete it.";
}
