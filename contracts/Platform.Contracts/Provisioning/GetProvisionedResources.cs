namespace Platform.Contracts.Provisioning;

/// <summary>
/// Request (answered with <see cref="ProvisionedResources"/>): the current resources of one kind, for a
/// service catching up on start before it applies the live events.
/// </summary>
public sealed record GetProvisionedResources(string Kind);
