using System.Diagnostics.Metrics;

namespace Platform.Compliance.Evaluation;

/// <summary>Rule evaluation's instruments on the service's meter (<c>Platform.Compliance</c>, exported by the service defaults).</summary>
public sealed class EvaluationTelemetry
{
    public const string MeterName = "Platform.Compliance";

    /// <summary>The result of an evaluation that failed (the rule threw, its function did not answer).</summary>
    public const string Error = "ERROR";

    private readonly Counter<long> _evaluations;
    private readonly Histogram<double> _duration;

    public EvaluationTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _evaluations = meter.CreateCounter<long>(
            "platform.compliance.evaluations", "{evaluation}", "Verdicts of config rules, by rule and result (a compliance type, or ERROR).");
        _duration = meter.CreateHistogram<double>(
            "platform.compliance.evaluation.duration", "s", "Time one rule takes to judge one change or one account.");
    }

    public void Evaluated(string rule, string result, long count = 1) =>
        _evaluations.Add(count, new KeyValuePair<string, object?>("rule", rule), new KeyValuePair<string, object?>("result", result));

    public void Took(string rule, TimeSpan duration) => _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("rule", rule));
}
