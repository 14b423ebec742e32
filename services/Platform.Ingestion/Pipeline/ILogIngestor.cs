namespace Platform.Ingestion.Pipeline;

/// <summary>Who delivered a payload, and what to assume about it.</summary>
/// <param name="Name">The source name: a provisioned source, or <c>http:&lt;endpoint&gt;</c>.</param>
/// <param name="LogGroup">The log group to assume when the payload does not name one (raw flow log files).</param>
/// <param name="FlowLogFormat">The source's custom VPC Flow Logs format (<c>${version} ${account-id} ...</c>), when it has one.</param>
public sealed record IngestionSource(string Name, string? LogGroup = null, string? FlowLogFormat = null);

/// <summary>What a payload is, which decides how it is read.</summary>
public enum PayloadKind
{
    /// <summary>A CloudWatch Logs subscription message (gzip, zlib or plain JSON), or a Lambda envelope of them.</summary>
    SubscriptionPayload,

    /// <summary>A CloudTrail log file (<c>{"Records": [...]}</c>, gzip or plain) or a JSON array of records.</summary>
    CloudTrailFile,

    /// <summary>A VPC Flow Logs file, with or without its header line (else the source's format, else the default).</summary>
    FlowLogFile,

    /// <summary>An Amazon Data Firehose HTTP endpoint delivery request.</summary>
    FirehoseRequest,
}

/// <summary>
/// One undecoded payload and where it came from (e.g. <c>kinesis:security-logs/shardId-000000000001/4959...</c>
/// or <c>http:cloudwatch-logs</c>), kept with quarantined input.
/// </summary>
public readonly record struct RawPayload(ReadOnlyMemory<byte> Data, string Origin);

/// <summary>
/// What became of the events of an ingestion call: stored, skipped as already stored, quarantined (records, or whole
/// payloads, rejected; each rejected payload is one quarantine entry), and control messages seen.
/// </summary>
public sealed record IngestResult(int Accepted, int Skipped, int Quarantined, int ControlMessages);

/// <summary>
/// What an ingestion call did, and what the caller answers a single delivery with: <see cref="Refusal"/> says why,
/// when one payload was handed in and it could not be read at all (it was quarantined); <see cref="FirehoseRequestId"/>
/// is the request id a Firehose request carried, when it could be read.
/// </summary>
public sealed record IngestOutcome(IngestResult Result, string? Refusal, string? FirehoseRequestId);

/// <summary>The one way in: every entry point hands its raw payloads here, and they are read nowhere else.</summary>
public interface ILogIngestor
{
    /// <summary>
    /// Decodes and parses the payloads, quarantines what cannot be read (one entry per payload), and returns once every
    /// event is durably stored AND published (so the caller may checkpoint). Never throws for bad input; throws only
    /// when storage or the broker is unavailable (the caller retries, nothing is checkpointed).
    /// </summary>
    Task<IngestOutcome> IngestAsync(IngestionSource source, PayloadKind kind, IReadOnlyList<RawPayload> payloads, CancellationToken cancellationToken);
}
