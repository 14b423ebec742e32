namespace Platform.Ingestion.Pipeline;

/// <summary>Who delivered a payload, and what to assume about it.</summary>
/// <param name="Name">The source name: a provisioned source, or <c>http:&lt;endpoint&gt;</c>.</param>
/// <param name="LogGroup">The log group to assume when the payload does not name one (raw flow log files).</param>
/// <param name="FlowLogFormat">The source's custom VPC Flow Logs format (<c>${version} ${account-id} ...</c>), when it has one.</param>
public sealed record IngestionSource(string Name, string? LogGroup = null, string? FlowLogFormat = null);

/// <summary>
/// One undecoded payload and where it came from (e.g. <c>kinesis:security-logs/shardId-000000000001/4959...</c>
/// or <c>http:cloudwatch-logs</c>), kept with quarantined input.
/// </summary>
public readonly record struct RawPayload(ReadOnlyMemory<byte> Data, string Origin);

/// <summary>What became of the events of an ingestion call.</summary>
public sealed record IngestResult(int Accepted, int Skipped, int Quarantined, int ControlMessages);

/// <summary>Takes log payloads in: decodes, parses, stores, publishes.</summary>
public interface ILogIngestor
{
    /// <summary>
    /// Each payload is one CloudWatch Logs subscription message (gzip, zlib or plain JSON). Returns once every
    /// event is durably stored AND published (so the caller may checkpoint). Never throws for bad input (quarantines it);
    /// throws only when storage or the broker is unavailable (the caller retries, nothing is checkpointed).
    /// </summary>
    Task<IngestResult> IngestSubscriptionPayloadsAsync(IngestionSource source, IReadOnlyList<RawPayload> payloads, CancellationToken cancellationToken);
}
