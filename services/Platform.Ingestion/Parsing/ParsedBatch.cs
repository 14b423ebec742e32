namespace Platform.Ingestion.Parsing;

/// <summary>
/// What parsers produce from a delivery: events, the payloads they rejected records of (one each, however many
/// records), and control messages seen.
/// </summary>
public sealed class ParsedBatch
{
    private ReadOnlyMemory<byte> _payload;
    private string _origin = "";
    private RejectedPayload? _rejecting;

    public List<ParsedLogEvent> Events { get; } = [];

    /// <summary>One entry per payload with anything rejected.</summary>
    public List<RejectedPayload> Rejected { get; } = [];

    /// <summary>The records (or whole payloads) rejected, across payloads.</summary>
    public int RejectedRecords { get; private set; }

    public int ControlMessages { get; set; }

    /// <summary>What follows is read from this payload: its rejections go to its one quarantine entry.</summary>
    public void BeginPayload(ReadOnlyMemory<byte> payload, string origin)
    {
        _payload = payload;
        _origin = origin;
        _rejecting = null;
    }

    /// <summary>
    /// Takes an event, or rejects it when the raw log store cannot keep it (NUL characters), naming it by
    /// <paramref name="unit"/> (<c>line</c>, <c>record</c>, <c>log event</c>) and <paramref name="position"/>.
    /// </summary>
    public void Add(ParsedLogEvent parsed, string unit, long position)
    {
        if (StorableText.Problem(parsed) is { } problem)
        {
            Reject(unit, position, problem);
        }
        else
        {
            Events.Add(parsed);
        }
    }

    /// <summary>Rejects the whole payload.</summary>
    /// <returns>The reason, for the parser to return as its refusal.</returns>
    public string Reject(string reason)
    {
        Current().Add(reason);
        return reason;
    }

    /// <summary>Rejects one line, record or log event of the payload; the reason is only written for the first few.</summary>
    public void Reject(string unit, long position, string problem)
    {
        var payload = Current();
        payload.Add(payload.Reasons.Count < RejectedPayload.MaxReasons ? $"{unit} {position}: {problem}" : null);
    }

    private RejectedPayload Current()
    {
        RejectedRecords++;
        if (_rejecting is null)
        {
            _rejecting = new RejectedPayload(_payload, _origin);
            Rejected.Add(_rejecting);
        }
        return _rejecting;
    }
}
