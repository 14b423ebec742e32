namespace Platform.Quarantine;

/// <summary>
/// A payload (request body, Kinesis record, Firehose record) with records that could not be read, on its way to
/// quarantine as one entry: a bad payload costs one row however many records it holds.
/// </summary>
public sealed class RejectedPayload(ReadOnlyMemory<byte> raw, string origin)
{
    /// <summary>How many reasons are kept: enough to see what is wrong, while the count says how much.</summary>
    public const int MaxReasons = 5;

    private readonly List<string> _reasons = [];

    /// <summary>The payload as received.</summary>
    public ReadOnlyMemory<byte> Raw { get; } = raw;

    /// <summary>Where it came from (e.g. <c>kinesis:stream/shard/sequence</c>, <c>http:cloudtrail</c>).</summary>
    public string Origin { get; } = origin;

    /// <summary>How many records (or 1 for a payload refused whole) were rejected.</summary>
    public int Count { get; private set; }

    /// <summary>The first <see cref="MaxReasons"/> reasons, with their line or record numbers.</summary>
    public IReadOnlyList<string> Reasons => _reasons;

    /// <summary>Counts one rejected record (or the whole payload) and keeps its reason among the first few.</summary>
    public void Add(string? reason)
    {
        Count++;
        if (reason is not null && _reasons.Count < MaxReasons)
        {
            _reasons.Add(reason);
        }
    }
}
