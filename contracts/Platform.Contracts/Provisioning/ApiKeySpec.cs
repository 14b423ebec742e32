namespace Platform.Contracts.Provisioning;

/// <summary>
/// The spec of an <c>api-keys</c> resource in <see cref="ProvisionedResources"/>: its role and the SHA-256
/// of the key (lowercase hex). The key itself is never stored.
/// </summary>
public sealed record ApiKeySpec(string Role, string KeyHash);
