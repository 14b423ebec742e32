namespace Platform.Ingestion.Pipeline;

/// <summary>
/// Reads every delivery, whatever door it came in by (Kinesis, HTTP, Firehose): parses it, quarantines what cannot be
/// read, stores the events once and publishes them, and only then returns: a caller that checkpoints afterwards loses nothing.
/// </summary>
public sealed partial class LogIngestor(
    RawLogStore store,
    QuarantineStore quarantine,
    LogEventPublisher publisher,
    IngestionOptions options,
    IngestionTelemetry telemetry,
    TimeProvider time,
    ILogger<LogIngestor> logger) : ILogIngestor
{
    public async Task<IngestOutcome> IngestAsync(
        IngestionSource source, PayloadKind kind, IReadOnlyList<RawPayload> payloads, CancellationToken cancellationToken)
    {
        var batch = new ParsedBatch();
        var format = FlowLogFormatOf(source);
        var receivedAt = time.GetUtcNow();
        string? refusal = null, requestId = null;
        foreach (var payload in payloads)
        {
            refusal = kind switch
            {
                PayloadKind.SubscriptionPayload => ParseSubscription(payload, source, format, receivedAt, batch),
                PayloadKind.CloudTrailFile => CloudTrailFileParser.Parse(
                    payload.Data, payload.Origin, source.LogGroup, receivedAt, options.MaxDecodedBytes, batch),
                PayloadKind.FlowLogFile => FlowLogFileParser.Parse(
                    payload.Data, payload.Origin, source.LogGroup, format, receivedAt, options.MaxDecodedBytes, batch),
                PayloadKind.FirehoseRequest => FirehoseRequestParser.Parse(
                    payload.Data, payload.Origin, source.LogGroup, format, receivedAt, options.MaxDecodedBytes, batch, out requestId),
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
            };
        }
        var result = await StoreAsync(source, batch, cancellationToken);
        return new IngestOutcome(result, payloads.Count == 1 ? refusal : null, requestId);
    }

    /// <summary>
    /// A subscription message, or a Lambda envelope of them: a payload that is one message is refused whole; the
    /// messages of an envelope stand or fall alone.
    /// </summary>
    private string? ParseSubscription(RawPayload payload, IngestionSource source, FlowLogFormat? format, DateTimeOffset receivedAt, ParsedBatch batch)
    {
        var messages = SubscriptionEnvelope.Unwrap(payload.Data);
        string? refusal = null;
        foreach (var message in messages)
        {
            var error = SubscriptionPayloadParser.Parse(message, payload.Origin, source.LogGroup, format, receivedAt, options.MaxDecodedBytes, batch);
            refusal = messages.Count == 1 ? error : null;
        }
        return refusal;
    }

    /// <summary>Quarantines the rejected payloads, stores the events and publishes them.</summary>
    private async Task<IngestResult> StoreAsync(IngestionSource source, ParsedBatch batch, CancellationToken cancellationToken)
    {
        using var activity = IngestionTelemetry.ActivitySource.StartActivity("ingest");
        activity?.SetTag("platform.ingestion.source", source.Name);
        var tag = new KeyValuePair<string, object?>("source", source.Name);
        var now = time.GetUtcNow();

        if (batch.Rejected.Count > 0)
        {
            await quarantine.AddAsync(batch.Rejected, source.Name, now, cancellationToken);
            foreach (var rejected in batch.Rejected)
            {
                LogQuarantined(source.Name, rejected.Origin, rejected.Count, rejected.Reasons[0]);
            }
            telemetry.EventsQuarantined.Add(batch.RejectedRecords, tag);
        }

        var stored = new StoreOutcome([], [], null, [], 0, 0);
        if (batch.Events.Count > 0)
        {
            var started = Stopwatch.GetTimestamp();
            stored = await store.StoreAsync(batch.Events, source.Name, now, cancellationToken);
            telemetry.BatchStoreDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tag);
            if (stored.Publication is { } publication)
            {
                await publisher.PublishAsync(source.Name, stored.ToPublish, stored.BatchStarts, publication, cancellationToken);
            }
            if (stored.Unfinished.Count > 0)
            {
                await publisher.PublishAgainAsync(await store.LoadPendingAsync(stored.Unfinished, cancellationToken), cancellationToken);
            }
        }

        telemetry.EventsAccepted.Add(stored.Stored, tag);
        telemetry.EventsSkipped.Add(stored.Duplicates, tag);
        telemetry.ControlMessages.Add(batch.ControlMessages, tag);
        activity?.SetTag("platform.ingestion.accepted", stored.Stored);
        return new IngestResult(stored.Stored, stored.Duplicates, batch.RejectedRecords, batch.ControlMessages);
    }

    /// <summary>The source's custom flow log format; a bad one is logged and ignored (the default still applies).</summary>
    private FlowLogFormat? FlowLogFormatOf(IngestionSource source)
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

    [LoggerMessage(LogLevel.Warning, "Quarantined a payload from {Source} ({Origin}) with {Rejected} rejected records, the first: {Reason}")]
    private partial void LogQuarantined(string source, string origin, int rejected, string reason);

    [LoggerMessage(LogLevel.Warning, "Source {Source} has an invalid flow log format ({Reason}); using the default format")]
    private partial void LogBadFormat(string source, string reason);
}
