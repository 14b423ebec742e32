namespace Platform.Provisioning.Resources;

/// <summary>A current resource. Its <see cref="Version"/> is also its ETag (quoted).</summary>
/// <param name="Kind">The kind, as in the route.</param>
/// <param name="Name">The name, unique within the kind.</param>
/// <param name="Version">The version of the resource's stream: every change adds one.</param>
/// <param name="Spec">The normalised spec.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="CreatedBy">The name of the API key that created it.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="UpdatedBy">The name of the API key that last changed it.</param>
/// <param name="Warnings">
/// In the answer to a write only: what is valid but will not work as it may seem, e.g. an alarm on a metric that no
/// metric filter publishes with those dimensions. Absent when there is nothing to say.
/// </param>
public sealed record Resource<TSpec>(
    string Kind,
    string Name,
    long Version,
    TSpec Spec,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    IReadOnlyList<string>? Warnings = null);

/// <summary>One change of a resource: what happened, who did it (the API key's name) and when.</summary>
/// <param name="Version">The stream version this change produced.</param>
/// <param name="Change"><c>created</c>, <c>changed</c> or <c>deleted</c> (API keys: <c>issued</c>, <c>revoked</c>; stacks: <c>applied</c>).</param>
/// <param name="At">When it was recorded.</param>
/// <param name="By">The name of the API key that made it (<c>seed</c> for the seed stack).</param>
/// <param name="Spec">The spec it set; absent on deletion.</param>
public sealed record ResourceHistoryEntry<TSpec>(long Version, string Change, DateTimeOffset At, string? By, TSpec? Spec);
