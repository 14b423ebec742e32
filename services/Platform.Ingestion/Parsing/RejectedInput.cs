namespace Platform.Ingestion.Parsing;

/// <summary>Input that could not be decoded or parsed, on its way to quarantine.</summary>
/// <param name="Reason">Why, in words an operator understands.</param>
/// <param name="Raw">The bytes as received (the whole payload, or the one line or record that failed).</param>
/// <param name="Origin">Where it came from (e.g. <c>kinesis:stream/shard/sequence</c>, <c>http:cloudtrail</c>).</param>
public sealed record RejectedInput(string Reason, ReadOnlyMemory<byte> Raw, string Origin);
