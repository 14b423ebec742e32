using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Platform.Detection;

/// <summary>The detection service's traces and metrics ("Platform.Detection", registered by the service defaults).</summary>
public static class DetectionTelemetry
{
    public const string Name = "Platform.Detection";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter s_meter = new(Name);

    public static readonly Counter<long> EventsEvaluated =
        s_meter.CreateCounter<long>("platform.detection.events_evaluated", "{event}", "Log events evaluated against the rules.");

    public static readonly Counter<long> RuleMatches =
        s_meter.CreateCounter<long>("platform.detection.rule_matches", "{match}", "Rule matches (detection rules and correlation results).");

    public static readonly Counter<long> FindingsRaised =
        s_meter.CreateCounter<long>("platform.detection.findings_raised", "{finding}", "New findings.");

    public static readonly Histogram<double> EvaluationDuration =
        s_meter.CreateHistogram<double>("platform.detection.evaluation_duration", "s", "Time to evaluate one batch of log events (rules and correlations).");

    public static readonly Histogram<double> IngestionToFindingLatency =
        s_meter.CreateHistogram<double>("platform.detection.ingestion_to_finding", "s", "From ingestion storing a batch to the finding it raised being committed.");
}
