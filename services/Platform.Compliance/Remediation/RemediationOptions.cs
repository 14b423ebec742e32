using System.ComponentModel.DataAnnotations;

namespace Platform.Compliance.Remediation;

/// <summary>Settings of remediation, bound from <c>Platform:Compliance:Remediation</c>.</summary>
public sealed class RemediationOptions
{
    public const string Section = "Platform:Compliance:Remediation";

    /// <summary>
    /// The window a resource's automatic attempts budget (the remediation's <c>MaximumAutomaticAttempts</c>) spans, from
    /// its first automatic attempt: retries and new NON_COMPLIANT verdicts after a success all draw on it, so a resource
    /// that keeps turning non-compliant again is remediated at most that many times per window, then held, flagged.
    /// </summary>
    [Interval]
    public TimeSpan AutomaticAttemptWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long an instance holds an attempt it runs; another takes it over only after this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one attempt may take before it counts as failed (below <see cref="Lease"/>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:30:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the runner looks for due attempts when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts one instance runs at once.</summary>
    [Range(1, 256)]
    public int ConcurrentAttempts { get; set; } = 8;

    /// <summary>Where <c>AWS-EnableS3BucketEncryption</c> sends PutBucketEncryption.</summary>
    public S3TargetOptions S3 { get; set; } = new();
}

/// <summary>The S3 endpoint, region and credentials remediation uses (<c>Platform:Compliance:Remediation:S3</c>).</summary>
public sealed class S3TargetOptions
{
    /// <summary>An S3-compatible endpoint; AWS's regional endpoint when absent.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The region requests are signed for when the resource's own region is not known.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>The access key; the SDK's default credential chain when absent.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The secret key. Never logged.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>Path-style addressing (<c>http://host/bucket</c>), as most S3-compatible servers want.</summary>
    public bool ForcePathStyle { get; set; }
}
