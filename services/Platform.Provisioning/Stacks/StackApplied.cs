namespace Platform.Provisioning.Stacks;

/// <summary>A resource a stack declares.</summary>
public sealed record StackMember(string Kind, string Name);

/// <summary>The spec kept for a stack in the read model: the resources it declared when last applied.</summary>
public sealed record StackSpec(IReadOnlyList<StackMember> Resources);

/// <summary>
/// A stack was applied, declaring these resources (private to provisioning: the resources' own events
/// are what other services hear). The next apply deletes what this list has and the new one lacks.
/// </summary>
public sealed record StackApplied(string Name, IReadOnlyList<StackMember> Resources);
