namespace Platform.Detection.Findings;

/// <summary>
/// The matches of one batch for one fingerprint, aggregated before anything is appended: a batch of 500
/// matching events becomes one append, not 500. Keeps bounded samples (evidence, IPs, resources).
/// </summary>
public sealed class PendingOccurrences
{
    private readonly List<FindingEvidence> _firstEvidence = [];
    private readonly Queue<FindingEvidence> _latestEvidence = new();
    private readonly List<string> _sourceIps = [];
    private readonly List<string> _resources = [];
    private readonly List<CorrelationWindow> _windows = [];

    public PendingOccurrences(string fingerprint, DetectionRuleInfo rule, NormalizedLogEvent firstEvent, FindingOrigin? origin)
        : this(fingerprint, rule, firstEvent.Account, firstEvent.Region, firstEvent.Principal ?? firstEvent.SourceIp, origin)
    {
    }

    private PendingOccurrences(string fingerprint, DetectionRuleInfo rule, string? account, string? region, string? principal, FindingOrigin? origin)
    {
        Origin = origin;
        Fingerprint = fingerprint;
        FindingId = FindingFingerprint.IdOf(fingerprint);
        Rule = rule;
        Account = account;
        Region = region;
        Principal = principal;
    }

    public string Fingerprint { get; }
    public Guid FindingId { get; }
    public DetectionRuleInfo Rule { get; }
    public string? Account { get; }
    public string? Region { get; }
    public string? Principal { get; }

    /// <summary>The retro-hunt these matches come from; null for live detection.</summary>
    public FindingOrigin? Origin { get; }

    /// <summary>Matched events (detection rules); correlation occurrences are counted from windows when decided.</summary>
    public long Count { get; private set; }

    /// <summary>Times of the earliest and latest matched events.</summary>
    public DateTimeOffset FirstSeenAt { get; private set; } = DateTimeOffset.MaxValue;
    public DateTimeOffset LastSeenAt { get; private set; } = DateTimeOffset.MinValue;

    public void AddMatch(NormalizedLogEvent logEvent, string? resource)
    {
        Count++;
        See(logEvent, resource);
        AddEvidence(new FindingEvidence(logEvent.EventId, logEvent.EventTime, logEvent.EventName));
    }

    /// <summary>A correlation fired; <paramref name="evidence"/> are the window's events this batch knows.</summary>
    public void AddCorrelation(SigmaCorrelationResult result, NormalizedLogEvent trigger, IReadOnlyList<FindingEvidence> evidence, string? resource)
    {
        See(trigger, resource);
        _windows.Add(new CorrelationWindow(result.WindowStart, result.WindowEnd, evidence));
    }

    /// <summary>The same finding with no matches yet: what <see cref="Add(PendingOccurrences)"/> sums into.</summary>
    public PendingOccurrences Empty() => new(Fingerprint, Rule, Account, Region, Principal, Origin);

    /// <summary>Adds the matches of <paramref name="later"/> (the same finding, matched after these) as if they had been added here.</summary>
    public void Add(PendingOccurrences later)
    {
        Count += later.Count;
        FirstSeenAt = later.FirstSeenAt < FirstSeenAt ? later.FirstSeenAt : FirstSeenAt;
        LastSeenAt = later.LastSeenAt > LastSeenAt ? later.LastSeenAt : LastSeenAt;
        later._sourceIps.ForEach(ip => AddBounded(_sourceIps, ip));
        later._resources.ForEach(resource => AddBounded(_resources, resource));
        foreach (var evidence in later._firstEvidence.Concat(later._latestEvidence))
        {
            AddEvidence(evidence);
        }

        _windows.AddRange(later._windows);
    }

    /// <summary>
    /// What these matches add to <paramref name="state"/>, or null when nothing: for correlations, a result
    /// whose window overlaps the last one counted is the same burst (it may extend it), and a result already
    /// covered (another instance, a redelivery) adds nothing.
    /// </summary>
    public OccurrencesRecorded? ToRecorded(FindingState state)
    {
        if (!Rule.IsCorrelation)
        {
            return Count == 0
                ? null
                : new OccurrencesRecorded(Count, FirstSeenAt, LastSeenAt, [.. _sourceIps], [.. _resources], [.. _firstEvidence], [.. _latestEvidence], null, Rule.Disposition);
        }

        var windowEnd = state.CorrelationWindowEnd;
        long count = 0;
        var included = new List<CorrelationWindow>();
        foreach (var window in _windows.OrderBy(w => w.Start).ThenBy(w => w.End))
        {
            if (windowEnd is null || window.Start > windowEnd)
            {
                count++;
            }
            else if (window.End <= windowEnd)
            {
                continue;
            }

            windowEnd = window.End;
            included.Add(window);
        }

        if (included.Count == 0)
        {
            return null;
        }

        var evidence = included.SelectMany(w => w.Evidence).DistinctBy(e => e.EventId).OrderBy(e => e.EventTime).ToList();
        return new OccurrencesRecorded(
            count,
            included.Min(w => w.Start),
            included.Max(w => w.End),
            [.. _sourceIps],
            [.. _resources],
            [.. evidence.Take(FindingState.MaxEvidenceAtEachEnd)],
            [.. evidence.Skip(Math.Max(FindingState.MaxEvidenceAtEachEnd, evidence.Count - FindingState.MaxEvidenceAtEachEnd))],
            windowEnd,
            Rule.Disposition);
    }

    private void See(NormalizedLogEvent logEvent, string? resource)
    {
        if (logEvent.EventTime < FirstSeenAt)
        {
            FirstSeenAt = logEvent.EventTime;
        }

        if (logEvent.EventTime > LastSeenAt)
        {
            LastSeenAt = logEvent.EventTime;
        }

        AddBounded(_sourceIps, logEvent.SourceIp);
        AddBounded(_resources, resource);
    }

    private void AddEvidence(FindingEvidence evidence)
    {
        if (_firstEvidence.Count < FindingState.MaxEvidenceAtEachEnd)
        {
            _firstEvidence.Add(evidence);
            return;
        }

        if (_latestEvidence.Count == FindingState.MaxEvidenceAtEachEnd)
        {
            _latestEvidence.Dequeue();
        }

        _latestEvidence.Enqueue(evidence);
    }

    private static void AddBounded(List<string> values, string? value)
    {
        if (value is not null && values.Count < FindingState.MaxListedValues && !values.Contains(value, StringComparer.Ordinal))
        {
            values.Add(value);
        }
    }

    private sealed record CorrelationWindow(DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<FindingEvidence> Evidence);
}
