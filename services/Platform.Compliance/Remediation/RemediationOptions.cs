using System.ComponentModel.DataAnnotations;

namespace Platform.Compliance.Remediation;

/// <summary>Settings of remediation, bound from <c>Platform:Compliance:Remediation</c>.</summary>
public sealed class RemediationOptions : LeasedWorkOptions
{
    public const string Section = "Platform:Compliance:Remediation";

    /// <summary>
    /// The window a resource's automatic attempts budget (the remediation's <c>MaximumAutomaticAttempts</c>) spans, from
    /// its first automatic attempt: retries and new NON_COMPLIANT verdicts after a success all draw on it, so a resource
    /// that keeps turning non-compliant again is remediated at most that many times per window, then held, flagged.
    /// </summary>
    [Interval]
    public TimeSpan AutomaticAttemptWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long one attempt may take before it counts as failed (its lease is renewed meanwhile).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:30:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts one instance runs at once.</summary>
    [Range(1, 256)]
    public int ConcurrentAttempts { get; set; } = 8;
}
