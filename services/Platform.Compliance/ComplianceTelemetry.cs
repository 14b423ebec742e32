using System.Diagnostics.Metrics;

namespace Platform.Compliance;

/// <summary>
/// The compliance service's meter (<c>Platform.Compliance</c>, exported by the service defaults) and its instruments:
/// configuration intake, rule evaluation and remediation (the quarantine counts its drops on the meter itself).
/// </summary>
public sealed class ComplianceTelemetry
{
    public const string Name = "Platform.Compliance";

    /// <summary>The result of an evaluation that failed (the rule threw, its function did not answer).</summary>
    public const string Error = "ERROR";

    private readonly Counter<long> _evaluations;
    private readonly Histogram<double> _evaluationDuration;

    public ComplianceTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        ItemsRecorded = meter.CreateCounter<long>(
            "platform.compliance.configuration.items.recorded", "{item}", "Configuration items recorded in a resource's history, by origin.");
        ItemsUnchanged = meter.CreateCounter<long>(
            "platform.compliance.configuration.items.unchanged", "{item}", "Configuration items already recorded (the same capture time and content), by origin.");
        ItemsQuarantined = meter.CreateCounter<long>(
            "platform.compliance.configuration.items.quarantined", "{item}", "Parts of deliveries that were not configuration items, kept in the quarantine.");
        _evaluations = meter.CreateCounter<long>(
            "platform.compliance.evaluations", "{evaluation}", "Verdicts of config rules, by rule and result (a compliance type, or ERROR).");
        _evaluationDuration = meter.CreateHistogram<double>(
            "platform.compliance.evaluation.duration", "s", "Time one rule takes to judge one change or one account.");
        RemediationAttempts = meter.CreateCounter<long>(
            "platform.compliance.remediation.attempts", "{attempt}", "Remediation attempts, by target and result.");
        RemediationDuration = meter.CreateHistogram<double>(
            "platform.compliance.remediation.attempt.duration", "s", "How long a remediation attempt took.");
    }

    public Counter<long> ItemsRecorded { get; }

    public Counter<long> ItemsUnchanged { get; }

    public Counter<long> ItemsQuarantined { get; }

    public Counter<long> RemediationAttempts { get; }

    public Histogram<double> RemediationDuration { get; }

    public void Evaluated(string rule, string result, long count = 1) =>
        _evaluations.Add(count, new KeyValuePair<string, object?>("rule", rule), new KeyValuePair<string, object?>("result", result));

    public void Took(string rule, TimeSpan duration) =>
        _evaluationDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("rule", rule));
}
