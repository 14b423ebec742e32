namespace Platform.Contracts.Provisioning;

/// <summary>An API key was issued. Only its SHA-256 (lowercase hex) travels; the key itself is shown once, to its requester.</summary>
public sealed record ApiKeyIssued(string Name, string Role, string KeyHash, long Version);
