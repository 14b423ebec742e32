namespace Platform.Contracts.Provisioning;

/// <summary>An API key was revoked: every service refuses it from now on.</summary>
public sealed record ApiKeyRevoked(string Name, long Version);
