using System.Text.Json.Serialization;

namespace Platform.Detection.Findings;

/// <summary>A finding folded from its stream: what the API shows and what the next decision starts from.</summary>
public sealed record FindingState
{
    public const int MaxEvidenceAtEachEnd = 10;
    public const int MaxListedValues = 20;

    public static FindingState Initial { get; } = new();

    public Guid Id { get; init; }
    public string Fingerprint { get; init; } = "";
    public string RuleId { get; init; } = "";
    public string RuleKey { get; init; } = "";
    public string Title { get; init; } = "";
    public string? Description { get; init; }
    public FindingSeverity Severity { get; init; }

    /// <summary>Alert or signal: its rule's disposition at its latest occurrences.</summary>
    public FindingDisposition Disposition { get; init; }
    public FindingStatus Status { get; init; }
    public string? StatusReason { get; init; }
    public DateTimeOffset? SuppressedUntil { get; init; }
    public long Occurrences { get; init; }
    public DateTimeOffset FirstSeenAt { get; init; }
    public DateTimeOffset LastSeenAt { get; init; }
    public string? Account { get; init; }
    public string? Region { get; init; }
    public string? Principal { get; init; }
    public IReadOnlyList<string> SourceIps { get; init; } = [];
    public IReadOnlyList<string> Resources { get; init; } = [];
    public IReadOnlyList<string> Techniques { get; init; } = [];
    public IReadOnlyList<string> Tactics { get; init; } = [];

    /// <summary>The retro-hunt that found it; null for live detection.</summary>
    public FindingOrigin? Origin { get; init; }
    public IReadOnlyList<FindingEvidence> FirstEvidence { get; init; } = [];
    public IReadOnlyList<FindingEvidence> LatestEvidence { get; init; } = [];

    /// <summary>End of the last correlation window counted: results overlapping it belong to the same burst.</summary>
    public DateTimeOffset? CorrelationWindowEnd { get; init; }

    /// <summary>The stream version this state reflects (the ETag).</summary>
    public long Version { get; init; }

    [JsonIgnore]
    public bool Exists => Version > 0;

    /// <summary>First and latest evidence, each event once, in time order.</summary>
    [JsonIgnore]
    public IReadOnlyList<FindingEvidence> Evidence =>
        [.. FirstEvidence.Concat(LatestEvidence).DistinctBy(e => e.EventId).OrderBy(e => e.EventTime).ThenBy(e => e.EventId, StringComparer.Ordinal)];

    /// <summary>Folds one event (public contract events change nothing: they announce the private ones).</summary>
    public static FindingState Apply(FindingState state, object @event) => @event switch
    {
        FindingOpened e => state with
        {
            Id = e.FindingId,
            Fingerprint = e.Fingerprint,
            RuleId = e.RuleId,
            RuleKey = e.RuleKey,
            Title = e.Title,
            Description = e.Description,
            Severity = e.Severity,
            Status = FindingStatus.Open,
            Account = e.Account,
            Region = e.Region,
            Principal = e.Principal,
            Techniques = e.Techniques,
            Tactics = e.Tactics,
            Origin = e.Origin,
        },
        OccurrencesRecorded e => state with
        {
            Occurrences = state.Occurrences + e.Count,
            FirstSeenAt = state.FirstSeenAt == default || e.FirstSeenAt < state.FirstSeenAt ? e.FirstSeenAt : state.FirstSeenAt,
            LastSeenAt = e.LastSeenAt > state.LastSeenAt ? e.LastSeenAt : state.LastSeenAt,
            SourceIps = Union(state.SourceIps, e.SourceIps),
            Resources = Union(state.Resources, e.Resources),
            FirstEvidence = [.. state.FirstEvidence.Concat(e.FirstEvidence).Concat(e.LatestEvidence).DistinctBy(x => x.EventId).Take(MaxEvidenceAtEachEnd)],
            LatestEvidence = [.. state.LatestEvidence.Concat(e.FirstEvidence).Concat(e.LatestEvidence).Reverse().DistinctBy(x => x.EventId).Take(MaxEvidenceAtEachEnd).Reverse()],
            CorrelationWindowEnd = Max(state.CorrelationWindowEnd, e.CorrelationWindowEnd),
            Disposition = e.Disposition ?? state.Disposition,
        },
        FindingAcknowledged e => state with { Status = FindingStatus.Acknowledged, StatusReason = e.Reason, SuppressedUntil = null },
        FindingResolved e => state with { Status = FindingStatus.Resolved, StatusReason = e.Reason, SuppressedUntil = null },
        FindingSuppressed e => state with { Status = FindingStatus.Suppressed, StatusReason = e.Reason, SuppressedUntil = e.Until },
        FindingReopened e => state with { Status = FindingStatus.Open, StatusReason = e.Reason, SuppressedUntil = null },
        _ => state,
    };

    private static IReadOnlyList<string> Union(IReadOnlyList<string> current, IReadOnlyList<string> added) =>
        current.Count >= MaxListedValues ? current : [.. current.Concat(added).Distinct(StringComparer.Ordinal).Take(MaxListedValues)];

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
