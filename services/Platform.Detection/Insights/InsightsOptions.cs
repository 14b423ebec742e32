using System.ComponentModel.DataAnnotations;
using ValidationResult = System.ComponentModel.DataAnnotations.ValidationResult;

namespace Platform.Detection.Insights;

/// <summary>
/// Settings of CloudTrail Insights, bound from <c>Platform:Detection:Insights</c> and validated at start. A minute of a
/// key (account, region, event source, event name) is unusual when its count is at least <see cref="Sensitivity"/>
/// times the baseline's average per minute and at least <see cref="MinimumCount"/> more than it.
/// </summary>
public sealed class InsightsOptions : IValidatableObject
{
    public const string Section = "Platform:Detection:Insights";

    /// <summary>The longest baseline AWS uses: the 7 days before an Insight.</summary>
    public static readonly TimeSpan MaxBaselineWindow = TimeSpan.FromDays(7);

    /// <summary>False turns Insights off (no counting, no state).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How far back the baseline reaches (AWS: 7 days, the most allowed).</summary>
    [Interval]
    public TimeSpan BaselineWindow { get; set; } = MaxBaselineWindow;

    /// <summary>How much history a key needs before its minutes are judged: an hour, so a new key raises nothing at once.</summary>
    [Interval]
    public TimeSpan MinimumHistory { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many times the baseline average a minute must reach to be unusual.</summary>
    [Range(1.5, 1000.0)]
    public double Sensitivity { get; set; } = 10;

    /// <summary>How many calls (errors) above the baseline average a minute must have to be unusual: a quiet API's few calls are not an Insight.</summary>
    [Range(1, 1_000_000)]
    public int MinimumCount { get; set; } = 10;

    /// <summary>
    /// How long after a minute its events may still arrive before it is judged (event time: a minute is judged once the
    /// key has an event this much after it). Later events still count in the baseline.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan Lateness { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// AWS's ApiCallRateInsight counts write management calls only (<c>readOnly: false</c>). True counts read-only calls
    /// in the call rate too (a burst of <c>DescribeInstances</c> reconnaissance); the error rate counts every call.
    /// </summary>
    public bool CountReadOnlyCalls { get; set; }

    /// <summary>The most keys kept: past it, keys idle for the whole baseline window are dropped, else new keys are not tracked.</summary>
    [Range(1, 10_000_000)]
    public int MaxKeys { get; set; } = 10_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BaselineWindow > MaxBaselineWindow)
        {
            yield return new ValidationResult($"BaselineWindow must be at most {MaxBaselineWindow.TotalDays} days.", [nameof(BaselineWindow)]);
        }

        if (MinimumHistory > BaselineWindow)
        {
            yield return new ValidationResult("MinimumHistory must not exceed BaselineWindow.", [nameof(MinimumHistory)]);
        }

        if (BaselineWindow.Ticks % TimeSpan.TicksPerMinute != 0 || MinimumHistory.Ticks % TimeSpan.TicksPerMinute != 0
            || Lateness.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            yield return new ValidationResult("BaselineWindow, MinimumHistory and Lateness must be whole minutes.",
                [nameof(BaselineWindow), nameof(MinimumHistory), nameof(Lateness)]);
        }
    }
}
