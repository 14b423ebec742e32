using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Platform.Ingestion.Pipeline;

/// <summary>The service's traces and metrics (registered by ServiceDefaults through the <c>Platform.</c> prefix).</summary>
public static class IngestionTelemetry
{
    public const string Name = "Platform.Ingestion";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> EventsAccepted =
        Meter.CreateCounter<long>("platform.ingestion.events.accepted", "{event}", "Events stored for the first time.");

    public static readonly Counter<long> EventsSkipped =
        Meter.CreateCounter<long>("platform.ingestion.events.skipped", "{event}", "Events already stored (replays, redeliveries).");

    public static readonly Counter<long> EventsQuarantined =
        Meter.CreateCounter<long>("platform.ingestion.events.quarantined", "{record}", "Records (or whole payloads) rejected; each rejected payload is one quarantine entry.");

    public static readonly Counter<long> QuarantineDropped =
        Meter.CreateCounter<long>("platform.ingestion.quarantine.dropped", "{payload}", "Quarantine entries dropped, oldest first, to keep the quarantine under its size cap.");

    public static readonly Counter<long> ControlMessages =
        Meter.CreateCounter<long>("platform.ingestion.control_messages", "{message}", "CloudWatch Logs CONTROL_MESSAGEs seen.");

    public static readonly Histogram<double> BatchStoreDuration =
        Meter.CreateHistogram<double>("platform.ingestion.batch.store.duration", "s", "Time to store one batch in the raw log store.");

    public static readonly Counter<long> EventsPublished =
        Meter.CreateCounter<long>("platform.ingestion.events.published", "{event}", "Events handed off in LogEventsIngested.");
}
