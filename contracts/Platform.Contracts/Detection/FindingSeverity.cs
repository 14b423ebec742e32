namespace Platform.Contracts.Detection;

/// <summary>A finding's severity, from its Sigma rule's <c>level</c>. Ordered: a higher value is more severe.</summary>
public enum FindingSeverity
{
    Informational = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}
