using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Platform.Ingestion.Parsing;
using Platform.Ingestion.Quarantine;
using Platform.Ingestion.Storage;

namespace Platform.Ingestion.Pipeline;

/// <summary>
/// Parses deliveries, quarantines what cannot be parsed, stores the events once and publishes them, and only
/// then returns: a caller that checkpoints afterwards loses nothing.
/// </summary>
public sealed partial class LogIngestor(
    RawLogStore store,
    QuarantineStore quarantine,
    LogEventPublisher publisher,
    IngestionOptions options,
    TimeProvider time,
    ILogger<LogIngestor> logger) : ILogIngestor
{
    public Task<IngestResult> IngestSubscriptionPayloadsAsync(
        IngestionSource source, IReadOnlyList<RawPayload> payloads, CancellationToken cancellationToken)
    {
        var receivedAt = time.GetUtcNow();
        var format = FlowLogFormatOf(source);
        var batch = new ParsedBatch();
        foreach (var payload in payloads)
        {
            SubscriptionPayloadParser.Parse(payload.Data, payload.Origin, source.LogGroup, format, receivedAt, options.MaxDecodedBytes, batch);
        }
        return IngestAsync(source, batch, cancellationToken);
    }

    /// <summary>Stores and publishes what a parser produced (the HTTP formats parse before calling this).</summary>
    public async Task<IngestResult> IngestAsync(IngestionSource source, ParsedBatch batch, CancellationToken cancellationToken)
    {
        using var activity = IngestionTelemetry.ActivitySource.StartActivity("ingest");
        activity?.SetTag("platform.ingestion.source", source.Name);
        var tag = new KeyValuePair<string, object?>("source", source.Name);
        var now = time.GetUtcNow();

        var storable = new List<ParsedLogEvent>(batch.Events.Count);
        foreach (var parsed in batch.Events)
        {
            if (StorableText.Problem(parsed) is { } problem)
            {
                batch.Reject(problem, parsed.Record, parsed.Event.LogGroup ?? source.Name);
            }
            else
            {
                storable.Add(parsed);
            }
        }

        if (batch.Rejected.Count > 0)
        {
            await quarantine.AddAsync(batch.Rejected, source.Name, now, options.QuarantineMaxBytes, cancellationToken);
            foreach (var rejected in batch.Rejected)
            {
                LogQuarantined(source.Name, rejected.Origin, rejected.Reason);
            }
            IngestionTelemetry.EventsQuarantined.Add(batch.Rejected.Count, tag);
        }

        var stored = new StoreOutcome([], null, 0, 0);
        if (storable.Count > 0)
        {
            var started = Stopwatch.GetTimestamp();
            stored = await store.StoreAsync(storable, source.Name, now, cancellationToken);
            IngestionTelemetry.BatchStoreDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tag);
            if (stored.Publication is { } publication)
            {
                await publisher.PublishAsync(source.Name, stored.ToPublish.Select(e => e.Event).ToArray(), publication, cancellationToken);
            }
        }

        IngestionTelemetry.EventsAccepted.Add(stored.Stored, tag);
        IngestionTelemetry.EventsSkipped.Add(stored.Duplicates, tag);
        IngestionTelemetry.ControlMessages.Add(batch.ControlMessages, tag);
        activity?.SetTag("platform.ingestion.accepted", stored.Stored);
        return new IngestResult(stored.Stored, stored.Duplicates, batch.Rejected.Count, batch.ControlMessages);
    }

    /// <summary>The source's custom flow log format; a bad one is logged and ignored (the default still applies).</summary>
    public FlowLogFormat? FlowLogFormatOf(IngestionSource source)
    {
        if (string.IsNullOrWhiteSpace(source.FlowLogFormat))
        {
            return null;
        }
        if (FlowLogFormat.TryParseTemplate(source.FlowLogFormat, out var format) is { } error)
        {
            LogBadFormat(source.Name, error);
            return null;
        }
        return format;
    }

    [LoggerMessage(LogLevel.Warning, "Quarantined input from {Source} ({Origin}): {Reason}")]
    private partial void LogQuarantined(string source, string origin, string reason);

    [LoggerMessage(LogLevel.Warning, "Source {Source} has an invalid flow log format ({Reason}); using the default format")]
    private partial void LogBadFormat(string source, string reason);
}
