namespace Platform.Ingestion.Pipeline;

/// <summary>The ingestion service's traces and its meter (<c>Platform.Ingestion</c>, exported by the service defaults).</summary>
public sealed class IngestionTelemetry
{
    public const string Name = "Platform.Ingestion";

    public static readonly ActivitySource ActivitySource = new(Name);

    public IngestionTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        EventsAccepted = meter.CreateCounter<long>("platform.ingestion.events.accepted", "{event}", "Events stored for the first time.");
        EventsSkipped = meter.CreateCounter<long>("platform.ingestion.events.skipped", "{event}", "Events already stored (replays, redeliveries).");
        EventsQuarantined = meter.CreateCounter<long>(
            "platform.ingestion.events.quarantined", "{record}", "Records (or whole payloads) rejected; each rejected payload is one quarantine entry.");
        ControlMessages = meter.CreateCounter<long>("platform.ingestion.control_messages", "{message}", "CloudWatch Logs CONTROL_MESSAGEs seen.");
        BatchStoreDuration = meter.CreateHistogram<double>("platform.ingestion.batch.store.duration", "s", "Time to store one batch in the raw log store.");
        RetroHuntEventsStreamed = meter.CreateCounter<long>(
            "platform.ingestion.retrohunt.events.streamed", "{event}", "Stored events streamed to detection for retro-hunts.");
        EventsPublished = meter.CreateCounter<long>("platform.ingestion.events.published", "{event}", "Events handed off in LogEventsIngested.");
        QueryRuns = meter.CreateCounter<long>("platform.ingestion.query.runs", "{run}", "Query runs ended, by status and kind (insights, sql).");
    }

    public Counter<long> EventsAccepted { get; }

    public Counter<long> EventsSkipped { get; }

    public Counter<long> EventsQuarantined { get; }

    public Counter<long> ControlMessages { get; }

    public Histogram<double> BatchStoreDuration { get; }

    public Counter<long> EventsPublished { get; }

    public Counter<long> QueryRuns { get; }
    public Counter<long> RetroHuntEventsStreamed { get; }
}
