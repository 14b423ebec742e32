using System.ComponentModel.DataAnnotations;
using Platform.Quarantine;

namespace Platform.Compliance.Configuration;

/// <summary>The bounds of configuration intake, under <c>Platform:Compliance:Intake</c>.</summary>
public sealed class IntakeOptions : IQuarantineLimits
{
    public const string Section = "Platform:Compliance:Intake";

    /// <summary>The largest request body <c>POST /v1/configuration-items</c> takes.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>The most items one delivery holds (a body, or a snapshot it names): more is refused whole.</summary>
    [Range(1, int.MaxValue)]
    public int MaxItems { get; set; } = 10_000;

    /// <summary>The largest S3 object (oversized item, snapshot) fetched, after decompression.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxObjectBytes { get; set; } = 256 * 1024 * 1024;

    /// <summary>How long one S3 fetch may take.</summary>
    [Interval]
    public TimeSpan ObjectTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <inheritdoc/>
    public int QuarantineMaxBytes { get; set; } = 256 * 1024;

    /// <inheritdoc/>
    public long QuarantineMaxTotalBytes { get; set; } = 256L * 1024 * 1024;
}
