using System.ComponentModel.DataAnnotations;

namespace Platform.Detection;

/// <summary>Settings of the detection service, bound from <c>Platform:Detection</c>.</summary>
public sealed class DetectionOptions
{
    public const string Section = "Platform:Detection";

    /// <summary>
    /// How long an acknowledged finding stays acknowledged through a quiet period: an occurrence after more
    /// than this without any reopens it. Occurrences always add to the finding of their fingerprint.
    /// </summary>
    [Interval]
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How late (behind the clock) an event may arrive and still count in its correlation window.</summary>
    [Interval]
    public TimeSpan CorrelationLateness { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often old correlation observations are deleted.</summary>
    [Interval]
    public TimeSpan CorrelationCleanupInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Where the shipped rule folders (<c>sigmahq/</c>, <c>builtin/</c>) are; the app's base directory by default.</summary>
    public string? RulesDirectory { get; set; }

    /// <summary>
    /// How many LogEventsIngested batches one instance evaluates at once. A batch spends most of its time waiting on
    /// the database, so more than the cores: at 8 on 2 cores, 5,000 events/s leave headroom to drain a backlog.
    /// </summary>
    [Range(1, 256)]
    public int ConcurrentBatches { get; set; } = 8;
}
