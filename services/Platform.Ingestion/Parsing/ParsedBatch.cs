namespace Platform.Ingestion.Parsing;

/// <summary>What parsers produce from a delivery: events, rejected input, and control messages seen.</summary>
public sealed class ParsedBatch
{
    public List<ParsedLogEvent> Events { get; } = [];

    public List<RejectedInput> Rejected { get; } = [];

    public int ControlMessages { get; set; }

    public void Reject(string reason, ReadOnlyMemory<byte> raw, string origin) => Rejected.Add(new RejectedInput(reason, raw, origin));
}
