namespace Platform.Contracts.Provisioning;

/// <summary>The current resources of a kind. Each spec has the shape of that kind's <c>*Spec</c> record.</summary>
public sealed record ProvisionedResources(string Kind, IReadOnlyList<ProvisionedResource> Resources);

/// <summary>One current resource and its stream version.</summary>
public sealed record ProvisionedResource(string Name, long Version, JsonElement Spec)
{
    /// <summary>The spec as its kind's <c>*Spec</c> record.</summary>
    public TSpec SpecAs<TSpec>() =>
        Spec.Deserialize<TSpec>(PlatformJson.Options) ?? throw new JsonException($"Resource '{Name}' has no spec.");
}
