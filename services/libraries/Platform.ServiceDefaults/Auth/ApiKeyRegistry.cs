using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace Platform.ServiceDefaults.Auth;

/// <summary>A known key: its name, its role and the SHA-256 of the secret (the secret itself is never kept).</summary>
public sealed record ApiKeyIdentity(string Name, string Role, byte[] KeyHash);

/// <summary>
/// The keys this service accepts: the bootstrap admin key from configuration, plus the keys the
/// provisioning service has issued (kept current from its events).
/// </summary>
public sealed class ApiKeyRegistry
{
    private ImmutableDictionary<string, ApiKeyIdentity> _keys = ImmutableDictionary<string, ApiKeyIdentity>.Empty;

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public void Upsert(ApiKeyIdentity identity) =>
        ImmutableInterlocked.AddOrUpdate(ref _keys, identity.Name, identity, (_, _) => identity);

    public void Revoke(string name) => ImmutableInterlocked.TryRemove(ref _keys, name, out _);

    public IReadOnlyCollection<ApiKeyIdentity> Keys => _keys.Values.ToArray();

    /// <summary>
    /// Finds the key a caller presented. Every known hash is compared, in constant time, so the
    /// time taken says nothing about which key (or how much of one) matched.
    /// </summary>
    public ApiKeyIdentity? Find(string presentedKey)
    {
        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey), presented);
        ApiKeyIdentity? found = null;
        foreach (var identity in _keys.Values)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, identity.KeyHash))
            {
                found = identity;
            }
        }
        return found;
    }
}
