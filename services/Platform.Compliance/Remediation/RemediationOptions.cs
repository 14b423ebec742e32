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
}
