namespace Platform.ServiceDefaults.Configuration;

/// <summary>
/// Applies issued and revoked keys to this instance's <see cref="ApiKeyRegistry"/>, ignoring anything
/// older than what it already applied (see <see cref="ProvisionedResourceVersions"/>).
/// </summary>
public sealed class LiveApiKeys(ApiKeyRegistry registry, ProvisionedResourceVersions versions)
{
    public void Apply(ApiKeyIssued issued)
    {
        var identity = new ApiKeyIdentity(issued.Name, issued.Role, Convert.FromHexString(issued.KeyHash));
        versions.TryApply(ProvisioningKinds.ApiKeys, issued.Name, issued.Version, () => registry.Upsert(identity));
    }

    /// <summary>The current keys, from provisioning: at start (catch-up) and when a caller presents a key not heard of yet.</summary>
    public void Apply(ProvisionedResources current)
    {
        foreach (var resource in current.Resources)
        {
            var spec = resource.SpecAs<ApiKeySpec>();
            Apply(new ApiKeyIssued(resource.Name, spec.Role, spec.KeyHash, resource.Version));
        }
    }

    public void Apply(ApiKeyRevoked revoked)
    {
        versions.TryApply(ProvisioningKinds.ApiKeys, revoked.Name, revoked.Version, () => registry.Revoke(revoked.Name));
    }
}
