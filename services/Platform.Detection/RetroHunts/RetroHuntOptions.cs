using System.ComponentModel.DataAnnotations;

namespace Platform.Detection.RetroHunts;

/// <summary>Settings of retro-hunts, bound from <c>Platform:Detection:RetroHunts</c>.</summary>
public sealed class RetroHuntOptions
{
    public const string Section = "Platform:Detection:RetroHunts";

    /// <summary>The longest range a hunt may cover (<c>to - from</c>).</summary>
    [Interval]
    public TimeSpan MaxRange { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// The most events (those the hunt's rule may match) a batch ingestion streams carries. Large batches keep the
    /// per-message cost (broker confirm, inbox row, progress update) small against evaluation; ingestion bounds it by its
    /// own maximum.
    /// </summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 2000;

    /// <summary>The largest request body (the rule's YAML travels in it).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 256 * 1024;
}
