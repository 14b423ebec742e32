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

    /// <inheritdoc/>
    public int QuarantineMaxBytes { get; set; } = 256 * 1024;

    /// <inheritdoc/>
    public long QuarantineMaxTotalBytes { get; set; } = 256L * 1024 * 1024;
}

/// <summary>
/// Where oversized items and snapshots are fetched from, under <c>Platform:Compliance:S3</c>: AWS by default (the SDK's
/// credential chain), or an S3-compatible endpoint with path-style addressing.
/// </summary>
public sealed class ConfigurationS3Options
{
    public const string Section = "Platform:Compliance:S3";

    /// <summary>An S3-compatible endpoint (<c>http://127.0.0.1:9000</c>); empty for AWS itself.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The region requests are signed for.</summary>
    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary>With <see cref="SecretAccessKey"/>, the credentials to sign with; empty for the SDK's default chain.</summary>
    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }

    /// <summary>How long one fetch may take.</summary>
    [Interval]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
}
