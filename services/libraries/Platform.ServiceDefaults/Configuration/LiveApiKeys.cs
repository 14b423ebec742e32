using Platform.Contracts.Provisioning;
using Platform.Messaging;
using Platform.ServiceDefaults.Auth;

namespace Platform.ServiceDefaults.Configuration;

/// <summary>
/// Applies issued and revoked keys to this instance's <see cref="ApiKeyRegistry"/>, ignoring anything
/// older than what it already applied (see <see cref="ProvisionedResourceVersions"/>).
/// </summary>
public sealed class LiveApiKeys(ApiKeyRegistry registry, ProvisionedResourceVersions versions)
{
    public void Apply(ApiKeyIssued issued)
    {
        if (versions.TryAdvance(ProvisioningKinds.ApiKeys, issued.Name, issued.Version))
        {
            registry.Upsert(new ApiKeyIdentity(issued.Name, issued.Role, Convert.FromHexString(issued.KeyHash)));
        }
    }

    public void Apply(ApiKeyRevoked revoked)
    {
        if (versions.TryAdvance(ProvisioningKinds.ApiKeys, revoked.Name, revoked.Version))
        {
            registry.Revoke(revoked.Name);
        }
    }
}
