namespace Platform.Detection.Findings;

/// <summary>A row of the <c>findings</c> read model: the folded state, plus the columns the list API filters on.</summary>
public sealed class FindingRecord
{
    public Guid Id { get; set; }
    public required string Fingerprint { get; set; }
    public required string RuleId { get; set; }
    public FindingStatus Status { get; set; }
    public FindingSeverity Severity { get; set; }

    /// <summary>Alert or signal: the list filters on it.</summary>
    public FindingDisposition Disposition { get; set; }
    public string? Principal { get; set; }
    public string? Account { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public long Occurrences { get; set; }
    public long Version { get; set; }

    /// <summary>The retro-hunt that found it (null for live detection): the list filters on it.</summary>
    public Guid? HuntId { get; set; }
    public required string State { get; set; }

    public FindingState ToState() =>
        JsonSerializer.Deserialize<FindingState>(State, PlatformJson.Options) ?? throw new JsonException($"Finding {Id} has no state.");

    public static FindingRecord From(FindingState state)
    {
        var record = new FindingRecord { Fingerprint = state.Fingerprint, RuleId = state.RuleId, State = "" };
        record.Update(state);
        return record;
    }

    /// <summary>
    /// The row as it was committed with <paramref name="state"/>, to attach and update without reading it: every column
    /// but the state, left empty (no state serializes to that), so an update writes the state whole.
    /// </summary>
    public static FindingRecord Committed(FindingState state)
    {
        var record = new FindingRecord { Fingerprint = state.Fingerprint, RuleId = state.RuleId, State = "" };
        record.SetColumns(state);
        return record;
    }

    public void Update(FindingState state)
    {
        SetColumns(state);
        State = JsonSerializer.Serialize(state, PlatformJson.Options);
    }

    private void SetColumns(FindingState state)
    {
        Id = state.Id;
        Fingerprint = state.Fingerprint;
        RuleId = state.RuleId;
        Status = state.Status;
        Severity = state.Severity;
        Disposition = state.Disposition;
        Principal = state.Principal;
        Account = state.Account;
        FirstSeenAt = state.FirstSeenAt;
        LastSeenAt = state.LastSeenAt;
        Occurrences = state.Occurrences;
        Version = state.Version;
        HuntId = state.Origin?.HuntId;
    }
}
