namespace Platform.Detection.Evaluation;

/// <summary>
/// What live detection and retro-hunts do with a batch of events, in one place: match it against a generation of
/// rules (pure), feed correlation windows, and stage each matched fingerprint's finding change (one append per
/// finding per call: live detection merges the batches it commits together first) in the caller's transaction. A
/// retro-hunt passes its <see cref="FindingOrigin"/>: its findings are fingerprinted within the hunt and carry the origin.
/// </summary>
public sealed class BatchEvaluator(FindingStreams findings, SuppressionRules suppressions, DetectionOptions options)
{
    /// <summary>Matches every event against the rules; what correlations need is kept for <see cref="CorrelateAsync"/>.</summary>
    public static BatchMatches Match(CompiledRules rules, IReadOnlyList<NormalizedLogEvent> events, FindingOrigin? origin = null)
    {
        var batch = new BatchMatches(origin);
        var matches = new List<SigmaRule>();
        var ruleSet = rules.RuleSet;
        foreach (var logEvent in events)
        {
            if (LogSourceMapping.Of(logEvent.SourceType) is not { } logSource)
            {
                continue;
            }

            matches.Clear();
            ruleSet.Evaluate(new SigmaEvent(logEvent.Document.Root, logSource), matches);
            foreach (var rule in matches)
            {
                batch.CountMatch(rule.Key);
                if (ruleSet.GeneratesResults(rule.Key) && rules.ByKey.TryGetValue(rule.Key, out var info))
                {
                    var resource = FindingFingerprint.PrimaryResourceOf(logEvent);
                    batch.For(FindingFingerprint.ForDetection(rule.Key, logEvent, resource), info, logEvent).AddMatch(logEvent, resource);
                }

                if (ruleSet.CorrelationsReferencing(rule.Key).Count > 0)
                {
                    batch.Correlated.Add(new SigmaMatch(rule, logEvent.Document.Root, logEvent.EventTime, logEvent.EventId));
                    batch.CorrelatedEvents.Add(logEvent);
                }
            }
        }

        return batch;
    }

    /// <summary>
    /// Feeds the batch's correlated matches to the rules' correlation windows and adds the results that fire. A window's
    /// events that are not in the batch are in its evidence when <paramref name="evidenceElsewhere"/> (a retro-hunt's
    /// other batches) knows them; live detection shows those of the batch.
    /// </summary>
    public static async Task CorrelateAsync(
        CompiledRules rules, IReadOnlyList<NormalizedLogEvent> events, BatchMatches batch, CancellationToken cancellationToken,
        Func<IReadOnlyCollection<string>, CancellationToken, Task<IReadOnlyDictionary<string, FindingEvidence>>>? evidenceElsewhere = null)
    {
        if (batch.Correlated.Count == 0)
        {
            return;
        }

        // The whole batch goes to the correlation windows at once: a few round trips, not two per matching event.
        var results = await rules.Correlations.ObserveBatchAsync(batch.Correlated, cancellationToken);
        var elsewhere = evidenceElsewhere is null ? null : await ElsewhereAsync(events, batch, results, evidenceElsewhere, cancellationToken);
        for (var i = 0; i < results.Count; i++)
        {
            var logEvent = batch.CorrelatedEvents[i];
            foreach (var result in results[i])
            {
                if (!result.IsReported || !rules.ByKey.TryGetValue(result.Rule.Key, out var correlation))
                {
                    continue;
                }

                batch.CountMatch(result.Rule.Key);
                var evidence = result.EventIds
                    .Select(id => batch.EventById(events, id) is { } e ? new FindingEvidence(e.EventId, e.EventTime, e.EventName) : elsewhere?.GetValueOrDefault(id))
                    .OfType<FindingEvidence>()
                    .ToList();
                batch.For(FindingFingerprint.ForCorrelation(result.Rule.Key, result.GroupKey), correlation, logEvent)
                    .AddCorrelation(result, logEvent, evidence, FindingFingerprint.PrimaryResourceOf(logEvent));
            }
        }
    }

    /// <summary>The evidence of the reported windows' events that are not in the batch, in one look-up (none when all are).</summary>
    private static async Task<IReadOnlyDictionary<string, FindingEvidence>?> ElsewhereAsync(
        IReadOnlyList<NormalizedLogEvent> events, BatchMatches batch, IReadOnlyList<IReadOnlyList<SigmaCorrelationResult>> results,
        Func<IReadOnlyCollection<string>, CancellationToken, Task<IReadOnlyDictionary<string, FindingEvidence>>> evidenceElsewhere,
        CancellationToken cancellationToken)
    {
        var missing = results
            .SelectMany(r => r)
            .Where(r => r.IsReported)
            .SelectMany(r => r.EventIds)
            .Where(id => batch.EventById(events, id) is null)
            .ToHashSet(StringComparer.Ordinal);
        return missing.Count == 0 ? null : await evidenceElsewhere(missing, cancellationToken);
    }

    /// <summary>
    /// Locks the batch's pending findings (one statement for the rows that exist) and stages each change (nothing is
    /// written until the caller saves); the staged ones leave <see cref="BatchMatches.Pending"/>. Returns how many
    /// findings are new.
    /// </summary>
    public async Task<int> StageFindingsAsync(BatchMatches batch, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var raised = 0;
        var ordered = batch.Pending.Values.OrderBy(p => p.FindingId).ToList();
        var existing = ordered.Count == 0
            ? []
            : await findings.LockAsync([.. ordered.Select(p => p.FindingId)], cancellationToken);
        foreach (var pending in ordered)
        {
            var locked = existing.GetValueOrDefault(pending.FindingId);
            var state = locked?.State ?? FindingState.Initial;
            var change = FindingDecisions.Record(state, pending, suppressions, options.DeduplicationWindow, now);
            if (change.IsEmpty)
            {
                continue;
            }

            // The row is locked (or the finding is new): its version is the stream's, no need to ask.
            findings.Append(locked?.Record, state, change, FindingDecisions.DetectionActor);
            raised += change.Raised ? 1 : 0;
        }

        batch.Pending.Clear();
        return raised;
    }
}

/// <summary>The matches of one batch, by fingerprint and by rule.</summary>
public sealed class BatchMatches(FindingOrigin? origin)
{
    private Dictionary<string, NormalizedLogEvent>? _eventsById;

    public Dictionary<string, PendingOccurrences> Pending { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> MatchesByRule { get; } = new(StringComparer.Ordinal);

    /// <summary>Matches of rules that correlations reference, with their events, in batch order.</summary>
    public List<SigmaMatch> Correlated { get; } = [];

    public List<NormalizedLogEvent> CorrelatedEvents { get; } = [];

    public void CountMatch(string ruleKey) => MatchesByRule[ruleKey] = MatchesByRule.GetValueOrDefault(ruleKey) + 1;

    /// <summary>
    /// The matches of live <paramref name="batches"/> together, in their order, as one batch would hold them (each
    /// finding's occurrences added up, its samples bounded); the batches are left as they were.
    /// </summary>
    public static BatchMatches Merge(IEnumerable<BatchMatches> batches)
    {
        var merged = new BatchMatches(origin: null);
        foreach (var batch in batches)
        {
            foreach (var (rule, matches) in batch.MatchesByRule)
            {
                merged.MatchesByRule[rule] = merged.MatchesByRule.GetValueOrDefault(rule) + matches;
            }

            foreach (var (fingerprint, pending) in batch.Pending)
            {
                if (!merged.Pending.TryGetValue(fingerprint, out var sum))
                {
                    sum = pending.Empty();
                    merged.Pending[fingerprint] = sum;
                }

                sum.Add(pending);
            }
        }

        return merged;
    }

    public PendingOccurrences For(string fingerprint, DetectionRuleInfo rule, NormalizedLogEvent logEvent)
    {
        fingerprint = FindingFingerprint.ForOrigin(origin, fingerprint);
        if (!Pending.TryGetValue(fingerprint, out var pending))
        {
            pending = new PendingOccurrences(fingerprint, rule, logEvent, origin);
            Pending[fingerprint] = pending;
        }

        return pending;
    }

    /// <summary>An event of this batch by id (correlation evidence); built only when a correlation fires.</summary>
    public NormalizedLogEvent? EventById(IReadOnlyList<NormalizedLogEvent> events, string eventId)
    {
        _eventsById ??= events.DistinctBy(e => e.EventId).ToDictionary(e => e.EventId, StringComparer.Ordinal);
        return _eventsById.GetValueOrDefault(eventId);
    }
}
