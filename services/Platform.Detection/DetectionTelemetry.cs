using System.Diagnostics.Metrics;

namespace Platform.Detection;

/// <summary>The detection service's traces and its meter (<c>Platform.Detection</c>, exported by the service defaults).</summary>
public sealed class DetectionTelemetry
{
    public const string Name = "Platform.Detection";

    public static readonly ActivitySource ActivitySource = new(Name);

    public DetectionTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        EventsEvaluated = meter.CreateCounter<long>("platform.detection.events.evaluated", "{event}", "Log events evaluated against the rules.");
        RuleMatches = meter.CreateCounter<long>("platform.detection.rule.matches", "{match}", "Rule matches (detection rules and correlation results).");
        FindingsRaised = meter.CreateCounter<long>("platform.detection.findings.raised", "{finding}", "New findings.");
        EvaluationDuration = meter.CreateHistogram<double>(
            "platform.detection.batch.duration", "s", "Time to evaluate one batch of log events (rules and correlations).");
        RetroHuntEventsScanned = meter.CreateCounter<long>(
            "platform.detection.retrohunt.events.scanned", "{event}", "Stored events evaluated by retro-hunts.");
        IngestionToFinding = meter.CreateHistogram<double>(
            "platform.detection.finding.latency", "s", "From ingestion storing a batch to the finding it raised being committed.");
    }

    public Counter<long> EventsEvaluated { get; }

    public Counter<long> RuleMatches { get; }

    public Counter<long> FindingsRaised { get; }

    public Histogram<double> EvaluationDuration { get; }

    public Histogram<double> IngestionToFinding { get; }

    public Counter<long> RetroHuntEventsScanned { get; }
}
