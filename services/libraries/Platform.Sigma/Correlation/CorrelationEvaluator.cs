namespace Platform.Sigma.Correlation;

/// <summary>A correlation that fired: which group, over which window, with what aggregate, from which events.</summary>
/// <param name="Rule">The correlation rule that fired.</param>
/// <param name="Group">Group-by names (aliases as written in the rule) and the group's values.</param>
/// <param name="GroupKey">The canonical key of the group, as stored in the window store.</param>
/// <param name="WindowStart">Time of the first event in the window.</param>
/// <param name="WindowEnd">Time of the last event in the window (less than a timespan after the start).</param>
/// <param name="Value">The aggregate the condition held for: event count, distinct value count, sum, average, or number of rules seen.</param>
/// <param name="EventCount">How many observations the window holds.</param>
/// <param name="EventIds">The first 10 and last 10 event ids of the window, in time order.</param>
/// <param name="TriggeringEventId">The event whose observation made the correlation fire.</param>
/// <param name="IsReported">False for a correlation that only feeds another correlation (no <c>generate: true</c>).</param>
public sealed record SigmaCorrelationResult(
    SigmaCorrelationRule Rule,
    IReadOnlyList<KeyValuePair<string, string>> Group,
    string GroupKey,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    double Value,
    int EventCount,
    IReadOnlyList<string> EventIds,
    string TriggeringEventId,
    bool IsReported);

/// <summary>A detection match to count in correlations: the rule, the event document it matched, the event's time and id.</summary>
public readonly record struct SigmaMatch(SigmaRule Rule, JsonElement Document, DateTimeOffset EventTime, string EventId);

/// <summary>
/// Feeds detection matches to the correlation rules that reference them and decides whether they fire.
/// </summary>
/// <remarks>
/// Windows slide: two events share a window when they are less than <c>timespan</c> apart (an event exactly one
/// timespan later starts a new window). For each new observation the evaluator reads the group's observations
/// within one timespan either side and checks every trailing window that contains the new event: the window
/// ending at it and the windows ending at each later observation less than a timespan after it. Late and
/// out-of-order events are therefore judged against the windows they belong to, not against "now". Redelivered events count once
/// (the store is idempotent by event id) but are evaluated again, so a result may repeat; deduplicate by rule,
/// group and window.
/// A batch of matches costs two store round trips per height of the correlations it feeds (a correlation counting
/// only detection rules has height 0, one counting results of height-h correlations h + 1), however many events and
/// groups it holds, and gives the results of observing its matches one by one in order: each observation is judged
/// without the observations stored after it in that order (by a later match of the batch, or later in a chain).
/// The evaluator keeps the windows it has read (<see cref="GroupWindow"/>, at most <see cref="GroupWindows.DefaultMaxRows"/>
/// rows, the groups used least recently dropped first) and asks the store only for what changed, so a batch costs its
/// own observations and the rows others added, not the size of the windows it touches.
/// </remarks>
public sealed class CorrelationEvaluator(SigmaRuleSet ruleSet, ICorrelationWindowStore store)
{
    private const int MaxChainDepth = 16;

    /// <summary>How much of a group's history before its windows is kept, so a batch a little late reads nothing again.</summary>
    private static readonly TimeSpan KeptBeforeWindows = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, int> _heights = HeightsOf(ruleSet);

    // Rounds take the windows one at a time: a round reads a window's changes and moves its cursor as one step.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly GroupWindows _windows = new(GroupWindows.DefaultMaxRows);

    /// <summary>An evaluator keeping at most <paramref name="maxKeptRows"/> window rows (tests of the limit).</summary>
    internal CorrelationEvaluator(SigmaRuleSet ruleSet, ICorrelationWindowStore store, int maxKeptRows)
        : this(ruleSet, store) => _windows = new GroupWindows(maxKeptRows);

    /// <summary>Records a detection match for every correlation referencing the rule; returns the correlations that fired (chains included).</summary>
    public async ValueTask<IReadOnlyList<SigmaCorrelationResult>> ObserveAsync(
        SigmaRule matchedRule,
        JsonElement document,
        DateTimeOffset eventTime,
        string eventId,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matchedRule);
        if (ruleSet.CorrelationsReferencing(matchedRule.Key).Count == 0)
        {
            return [];
        }

        var results = await ObserveBatchAsync([new SigmaMatch(matchedRule, document, eventTime, eventId)], cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    /// <summary>
    /// Records the matches (in order) for every correlation referencing their rules; returns, per match, the
    /// correlations that fired because of it (chains included), as <see cref="ObserveAsync"/> would one by one.
    /// </summary>
    public async ValueTask<IReadOnlyList<IReadOnlyList<SigmaCorrelationResult>>> ObserveBatchAsync(
        IReadOnlyList<SigmaMatch> matches,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matches);

        // Read everything from the documents before the first await: the caller may reuse their buffers.
        var byHeight = new SortedDictionary<int, List<PendingObservation>>();
        for (var m = 0; m < matches.Count; m++)
        {
            var match = matches[m];
            ArgumentNullException.ThrowIfNull(match.Rule, nameof(matches));
            var correlations = ruleSet.CorrelationsReferencing(match.Rule.Key);
            for (var c = 0; c < correlations.Count; c++)
            {
                var correlation = correlations[c];
                var fields = correlation.GroupFieldsFor(match.Rule.Key);
                var group = new KeyValuePair<string, string>[fields.Length];
                for (var i = 0; i < fields.Length; i++)
                {
                    group[i] = new(correlation.GroupBy[i], FirstText(match.Document, fields[i]) ?? "");
                }

                var valueField = correlation.ValueFieldFor(match.Rule.Key);
                var value = valueField is null ? null : FirstText(match.Document, valueField);
                var observation = new CorrelationObservation(correlation.Key, GroupKeyOf(group), match.EventTime, match.EventId, match.Rule.Key, value);
                Add(byHeight, new PendingObservation(m, [c], correlation, observation, group));
            }
        }

        // A correlation only counts matches and results of lower correlations, so by the time its height comes,
        // every observation it gets from this batch is known.
        var results = new List<SigmaCorrelationResult>?[matches.Count];
        while (byHeight.Count > 0)
        {
            var (height, round) = byHeight.First();
            byHeight.Remove(height);
            round.Sort(static (a, b) => a.CompareOrder(b));
            foreach (var (pending, result) in await EvaluateAsync(round, cancellationToken).ConfigureAwait(false))
            {
                (results[pending.MatchIndex] ??= []).Add(result);
                if (pending.Path.Length <= MaxChainDepth)
                {
                    AddChained(pending, result, byHeight);
                }
            }
        }

        return Array.ConvertAll(results, r => (IReadOnlyList<SigmaCorrelationResult>?)r ?? []);
    }

    private void Add(SortedDictionary<int, List<PendingObservation>> byHeight, PendingObservation pending)
    {
        var height = _heights[pending.Correlation.Key];
        if (!byHeight.TryGetValue(height, out var round))
        {
            round = [];
            byHeight[height] = round;
        }

        round.Add(pending);
    }

    /// <summary>
    /// Records a round of observations (in one-by-one order), reads what changed in the windows of the groups they
    /// touch (one read for the round), and judges each observation with the rows stored before the round and by the
    /// observations up to it: an observation's own row joins its window when its turn comes.
    /// </summary>
    private async ValueTask<List<(PendingObservation Pending, SigmaCorrelationResult Result)>> EvaluateAsync(
        List<PendingObservation> round,
        CancellationToken cancellationToken)
    {
        var stored = await store.RecordAsync([.. round.Select(p => p.Observation)], cancellationToken).ConfigureAwait(false);

        // Each group is read from one timespan (and the accepted lateness) before its earliest observation to one
        // timespan after its latest: every window the round judges lies inside.
        var ranges = new Dictionary<(string Correlation, string Group), (SigmaCorrelationRule Correlation, DateTimeOffset From, DateTimeOffset To)>();
        foreach (var pending in round)
        {
            var (correlation, observation) = (pending.Correlation, pending.Observation);
            var from = observation.EventTime - correlation.Timespan - KeptBeforeWindows;
            var to = observation.EventTime + correlation.Timespan;
            var groupKey = (observation.CorrelationKey, observation.GroupKey);
            ranges[groupKey] = ranges.TryGetValue(groupKey, out var range)
                ? (correlation, from < range.From ? from : range.From, to > range.To ? to : range.To)
                : (correlation, from, to);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var windows = ranges.ToDictionary(r => r.Key, r => _windows.Get(r.Key, r.Value.Correlation));
            var changes = await store.ReadAsync(
                [.. ranges.Select(r => new CorrelationWindowRead(r.Key.Correlation, r.Key.Group, r.Value.From, r.Value.To, windows[r.Key].Known))],
                cancellationToken).ConfigureAwait(false);

            // The round's own rows wait for their observation's turn; every other row found is in from the start.
            var own = new HashSet<ObservationKey>();
            for (var i = 0; i < round.Count; i++)
            {
                if (stored[i])
                {
                    own.Add(ObservationKey.Of(round[i].Observation));
                }
            }

            foreach (var row in changes.Observations)
            {
                if (!own.Contains(ObservationKey.Of(row)) && windows.TryGetValue((row.CorrelationKey, row.GroupKey), out var window))
                {
                    window.Add(row);
                }
            }

            foreach (var (groupKey, (_, from, to)) in ranges)
            {
                windows[groupKey].Hold(from, to, changes.Watermark);
            }

            var fired = new List<(PendingObservation, SigmaCorrelationResult)>();
            for (var i = 0; i < round.Count; i++)
            {
                var (pending, observation) = (round[i], round[i].Observation);
                var window = windows[(observation.CorrelationKey, observation.GroupKey)];
                if (stored[i])
                {
                    window.Add(observation);
                }

                if (window.FindWindow(observation.EventTime) is not { } match)
                {
                    continue;
                }

                fired.Add((pending, new SigmaCorrelationResult(
                    pending.Correlation,
                    pending.Group,
                    observation.GroupKey,
                    match.Start,
                    match.End,
                    match.Value,
                    match.Count,
                    match.EventIds,
                    observation.EventId,
                    ruleSet.GeneratesResults(pending.Correlation.Key))));
            }

            _windows.KeepWithinLimit(windows.Values);
            return fired;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Chained correlations count a result as an event of the referenced correlation.</summary>
    private void AddChained(PendingObservation pending, SigmaCorrelationResult result, SortedDictionary<int, List<PendingObservation>> byHeight)
    {
        var (matchIndex, path, correlation, observation, group) = pending;
        var parents = ruleSet.CorrelationsReferencing(correlation.Key);
        for (var p = 0; p < parents.Count; p++)
        {
            var parent = parents[p];
            var fields = parent.GroupFieldsFor(correlation.Key);
            var parentGroup = new KeyValuePair<string, string>[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                parentGroup[i] = new(parent.GroupBy[i], Lookup(group, fields[i]) ?? "");
            }

            var valueField = parent.ValueFieldFor(correlation.Key);
            var value = valueField is null ? null : Lookup(group, valueField) ?? result.Value.ToString(CultureInfo.InvariantCulture);
            var parentObservation = new CorrelationObservation(
                parent.Key, GroupKeyOf(parentGroup), observation.EventTime, $"{correlation.Key}/{observation.EventId}", correlation.Key, value);
            Add(byHeight, new PendingObservation(matchIndex, [.. path, p], parent, parentObservation, parentGroup));
        }
    }

    /// <summary>
    /// An observation to record and judge. Its place in the one-by-one order is its match, then its
    /// <paramref name="Path"/>: the index of its correlation among those referencing the matched rule, then, for a
    /// chained result, the index of each parent among those referencing the correlation below (depth first).
    /// </summary>
    private sealed record PendingObservation(
        int MatchIndex,
        int[] Path,
        SigmaCorrelationRule Correlation,
        CorrelationObservation Observation,
        KeyValuePair<string, string>[] Group)
    {
        public int CompareOrder(PendingObservation other)
        {
            if (MatchIndex != other.MatchIndex)
            {
                return MatchIndex.CompareTo(other.MatchIndex);
            }

            var common = Math.Min(Path.Length, other.Path.Length);
            for (var i = 0; i < common; i++)
            {
                if (Path[i] != other.Path[i])
                {
                    return Path[i].CompareTo(other.Path[i]);
                }
            }

            return Path.Length.CompareTo(other.Path.Length);
        }
    }

    /// <summary>How many correlations are stacked below each correlation (0 for one counting detection rules only).</summary>
    private static Dictionary<string, int> HeightsOf(SigmaRuleSet ruleSet)
    {
        var byKey = ruleSet.Correlations.ToDictionary(c => c.Key, StringComparer.Ordinal);
        var heights = new Dictionary<string, int>(StringComparer.Ordinal);
        int Height(SigmaCorrelationRule correlation)
        {
            if (!heights.TryGetValue(correlation.Key, out var height))
            {
                // Cycles are rejected when the rule set is created, so the recursion ends.
                height = correlation.ReferencedKeys
                    .Select(key => byKey.TryGetValue(key, out var referenced) ? Height(referenced) + 1 : 0)
                    .DefaultIfEmpty(0)
                    .Max();
                heights[correlation.Key] = height;
            }

            return height;
        }

        foreach (var correlation in ruleSet.Correlations)
        {
            Height(correlation);
        }

        return heights;
    }

    /// <summary>What the store is idempotent by, within one correlation and group.</summary>
    private readonly record struct ObservationKey(string Correlation, string Group, string EventId, string RuleKey)
    {
        public static ObservationKey Of(CorrelationObservation o) => new(o.CorrelationKey, o.GroupKey, o.EventId, o.RuleKey);
    }

    private static string GroupKeyOf(KeyValuePair<string, string>[] group) =>
        JsonSerializer.Serialize(group.Select(p => p.Value).ToArray());

    private static string? Lookup(KeyValuePair<string, string>[] group, string name)
    {
        foreach (var pair in group)
        {
            if (pair.Key == name)
            {
                return pair.Value;
            }
        }

        return null;
    }

    private static string? FirstText(JsonElement document, string field)
    {
        var collector = new FirstTextVisitor();
        new FieldPath(field).Any(document, collector);
        return collector.Text;
    }

    private sealed class FirstTextVisitor : LeafVisitor
    {
        public string? Text { get; private set; }

        public override bool Visit(JsonElement leaf)
        {
            Text = leaf.ValueKind switch
            {
                JsonValueKind.String => leaf.GetString(),
                JsonValueKind.Number or JsonValueKind.Object or JsonValueKind.Array => leaf.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
            return Text is not null;
        }
    }

}
