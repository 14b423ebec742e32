using System.ComponentModel.DataAnnotations;

namespace Platform.Archiver;

/// <summary>The archiver's settings, under <c>Platform:Archiver</c>.</summary>
public sealed class ArchiverOptions
{
    public const string Section = "Platform:Archiver";

    /// <summary>The bucket the archive lives in.</summary>
    [Required]
    public string Bucket { get; set; } = "platform-archive";

    /// <summary>The key prefix every archive object starts with (no leading or trailing slash); empty for the bucket's root.</summary>
    public string Prefix { get; set; } = "archive";

    /// <summary>The bucket's region (what requests are signed for).</summary>
    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary>An S3-compatible endpoint (<c>http://127.0.0.1:54569</c>), addressed path style; empty for AWS itself.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>With <see cref="SecretAccessKey"/>, the credentials to sign with; empty for the SDK's default chain.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The secret key. Never logged.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>
    /// A file is closed once its events' original records reach this size (Parquet compresses them several times
    /// over, so the object is a fraction of it): tens of MB is what Athena and Trino read best.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long TargetFileBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How long after an hour ends its open files are closed (late events of that hour go to a file of their own).</summary>
    [Interval]
    public TimeSpan CloseDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the writer looks for files to close.</summary>
    [Interval]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a digest of the files written since the last one is signed and written.</summary>
    [Interval]
    public TimeSpan DigestInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long the ids of archived events are kept after their file is written, so a redelivered batch is recognised
    /// and not archived twice. Longer than any redelivery or Kinesis re-read.
    /// </summary>
    [Interval]
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The RSA private key (PEM) digests are signed with. Empty: a key is generated on first start and kept in the
    /// archiver's database, which suits a laptop but not a deployment (set this from a secret store there).
    /// </summary>
    public string? SigningKeyPem { get; set; }
}
