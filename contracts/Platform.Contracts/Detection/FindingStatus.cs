namespace Platform.Contracts.Detection;

/// <summary>Where a finding is in its triage.</summary>
public enum FindingStatus
{
    /// <summary>Raised (or reopened) and waiting for an analyst.</summary>
    Open,

    /// <summary>An analyst has seen it and works on it.</summary>
    Acknowledged,

    /// <summary>Closed by an analyst; a new occurrence reopens it.</summary>
    Resolved,

    /// <summary>Silenced by an analyst or a suppression rule, until a time or for ever.</summary>
    Suppressed,
}
