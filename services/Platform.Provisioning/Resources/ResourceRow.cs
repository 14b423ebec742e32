namespace Platform.Provisioning.Resources;

/// <summary>A current resource in the <c>resources</c> read model; <see cref="Version"/> is its stream's version.</summary>
public sealed class ResourceRow
{
    public required string Kind { get; set; }
    public required string Name { get; set; }
    public long Version { get; set; }

    /// <summary>The normalised spec as JSON (PlatformJson), the shape of the kind's <c>*Spec</c> record.</summary>
    public required string Spec { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}
