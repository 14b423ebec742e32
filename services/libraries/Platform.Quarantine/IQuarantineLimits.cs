namespace Platform.Quarantine;

/// <summary>
/// How much a service's quarantine keeps: its settings class implements this, so each service keeps its own setting
/// names (<c>Platform:Ingestion:QuarantineMaxBytes</c>, ...) while the one store enforces them.
/// </summary>
public interface IQuarantineLimits
{
    /// <summary>How many bytes of each quarantined payload are kept (the original size is recorded).</summary>
    int QuarantineMaxBytes { get; }

    /// <summary>The most the quarantine holds in all (kept bytes and reasons); past it the oldest entries are dropped.</summary>
    long QuarantineMaxTotalBytes { get; }
}
