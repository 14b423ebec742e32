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
/// </remarks>
public sealed class CorrelationEvaluator(SigmaRuleSet ruleSet, ICorrelationWindowStore store)
{
    private const int EventIdsKeptAtEachEnd = 10;
    private const int MaxChainDepth = 16;

    private readonly Dictionary<string, int> _heights = HeightsOf(ruleSet);

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
    /// Records a round of observations (in one-by-one order), reads the windows of the groups they touch once, and
    /// judges each without the rows that the observations after it stored.
    /// </summary>
    private async ValueTask<List<(PendingObservation Pending, SigmaCorrelationResult Result)>> EvaluateAsync(
        List<PendingObservation> round,
        CancellationToken cancellationToken)
    {
        var stored = await store.RecordAsync([.. round.Select(p => p.Observation)], cancellationToken).ConfigureAwait(false);
        var storedBy = new Dictionary<ObservationKey, int>();
        var ranges = new Dictionary<(string Correlation, string Group), CorrelationWindowRange>();
        for (var i = 0; i < round.Count; i++)
        {
            var (correlation, observation) = (round[i].Correlation, round[i].Observation);
            if (stored[i])
            {
                storedBy.TryAdd(ObservationKey.Of(observation), i);
            }

            var from = observation.EventTime - correlation.Timespan;
            var to = observation.EventTime + correlation.Timespan;
            var groupKey = (observation.CorrelationKey, observation.GroupKey);
            ranges[groupKey] = ranges.TryGetValue(groupKey, out var range)
                ? range with { FromExclusive = Min(range.FromExclusive, from), ToExclusive = Max(range.ToExclusive, to) }
                : new CorrelationWindowRange(observation.CorrelationKey, observation.GroupKey, from, to);
        }

        var rows = await store.GetObservationsAsync([.. ranges.Values], cancellationToken).ConfigureAwait(false);
        var windows = new Dictionary<(string Correlation, string Group), List<CorrelationObservation>>();
        foreach (var row in rows)
        {
            var groupKey = (row.CorrelationKey, row.GroupKey);
            if (!windows.TryGetValue(groupKey, out var window))
            {
                window = [];
                windows[groupKey] = window;
            }

            window.Add(row);
        }

        // Each row's storer (the observation of this round that stored it, -1 for none) is looked up once per round,
        // not once per row and observation: a group's window holds every observation of a timespan, and under an
        // attack the round's observations times the window's rows made the per-pair lookups the batch's main cost.
        var byCorrelation = round.Select(p => p.Correlation).DistinctBy(c => c.Key).ToDictionary(c => c.Key, StringComparer.Ordinal);
        var cursors = new Dictionary<(string Correlation, string Group), WindowCursor>();
        var storedRow = new int[round.Count];
        Array.Fill(storedRow, -1);
        foreach (var (groupKey, window) in windows)
        {
            var correlation = byCorrelation[groupKey.Correlation];
            window.Sort((a, b) => CompareInWindow(correlation, a, b));
            var rowStorers = new int[window.Count];
            for (var r = 0; r < window.Count; r++)
            {
                rowStorers[r] = storedBy.TryGetValue(ObservationKey.Of(window[r]), out var storer) ? storer : -1;
                if (rowStorers[r] >= 0)
                {
                    storedRow[rowStorers[r]] = r;
                }
            }

            cursors[groupKey] = new WindowCursor(correlation, window, rowStorers);
        }

        var fired = new List<(PendingObservation, SigmaCorrelationResult)>();
        for (var i = 0; i < round.Count; i++)
        {
            var pending = round[i];
            var observation = pending.Observation;
            if (!cursors.TryGetValue((observation.CorrelationKey, observation.GroupKey), out var cursor))
            {
                continue;
            }

            // The observation sees the rows stored before this round and by the observations up to it (its own included).
            cursor.Reveal(storedRow[i], i);
            if (cursor.FindWindow(observation.EventTime) is not { } match)
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

        return fired;
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

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>Window order: time, then the rule's place in the correlation (temporal_ordered), then ids, so ties are deterministic.</summary>
    private static int CompareInWindow(SigmaCorrelationRule correlation, CorrelationObservation a, CorrelationObservation b)
    {
        var byTime = a.EventTime.CompareTo(b.EventTime);
        if (byTime != 0)
        {
            return byTime;
        }

        var byRule = correlation.ReferenceIndex(a.RuleKey).CompareTo(correlation.ReferenceIndex(b.RuleKey));
        if (byRule != 0)
        {
            return byRule;
        }

        var byEvent = string.CompareOrdinal(a.EventId, b.EventId);
        return byEvent != 0 ? byEvent : string.CompareOrdinal(a.RuleKey, b.RuleKey);
    }

    private sealed record WindowMatch(DateTimeOffset Start, DateTimeOffset End, double Value, int Count, IReadOnlyList<string> EventIds);

    /// <summary>
    /// Judges a round's observations of one group against the group's window (its rows in window order). Each
    /// observation sees the rows stored before the round and by the observations up to it in one-by-one order
    /// (<see cref="Reveal"/>). The running aggregate of the window last judged is kept from one observation to the
    /// next and moved to the next window by the rows that enter and leave it: under an attack a round's observations
    /// fall close together in a window of thousands, so each costs the rows between it and the one before, not the
    /// window's size (the aggregate was rebuilt from the window's start for every observation).
    /// </summary>
    private sealed class WindowCursor(SigmaCorrelationRule correlation, List<CorrelationObservation> rows, int[] storers)
    {
        private readonly WindowAggregate _aggregate = new(correlation);
        private int _visibleTo = -1;
        private int _lo;
        private int _hi;

        /// <summary>Makes the rows stored by the observations up to <paramref name="observation"/> visible; <paramref name="row"/> is its own (-1: none).</summary>
        public void Reveal(int row, int observation)
        {
            _visibleTo = observation;
            if (row >= _lo && row < _hi)
            {
                _aggregate.Update(rows[row], +1);
            }
        }

        /// <summary>
        /// The first trailing window containing <paramref name="time"/> whose aggregate satisfies the condition, if any:
        /// the windows (end - span, end] ending at the new event or at a later visible row it falls into. A window
        /// ending at an observation holds every event an arbitrary window ending there could hold, so for thresholds
        /// (gt/gte) these windows find the largest aggregate; for averages and upper bounds they are the windows an
        /// in-order stream would have evaluated on each arrival. Rows of one time end the same window: it is judged once.
        /// </summary>
        public WindowMatch? FindWindow(DateTimeOffset time)
        {
            var span = correlation.Timespan;
            var steps = correlation.Type == SigmaCorrelationType.TemporalOrdered ? new OrderedSteps(correlation, rows, this) : null;
            var until = FirstAfter(time + span - TimeSpan.FromTicks(1));
            DateTimeOffset? judged = null;
            for (var e = FirstAfter(time - TimeSpan.FromTicks(1)); e < until; e++)
            {
                var end = rows[e].EventTime;
                if (!IsVisible(e) || end == judged)
                {
                    continue;
                }

                judged = end;
                MoveTo(FirstAfter(end - span), FirstAfter(end));
                if (Satisfied(steps) is { } value)
                {
                    return Match(value);
                }
            }

            return null;
        }

        public bool IsVisible(int row) => storers[row] <= _visibleTo;

        /// <summary>Moves the aggregated rows to [<paramref name="lo"/>, <paramref name="hi"/>): grows first, then shrinks.</summary>
        private void MoveTo(int lo, int hi)
        {
            for (; _hi < hi; _hi++)
            {
                Update(_hi, +1);
            }

            for (; _lo > lo; _lo--)
            {
                Update(_lo - 1, +1);
            }

            for (; _hi > hi; _hi--)
            {
                Update(_hi - 1, -1);
            }

            for (; _lo < lo; _lo++)
            {
                Update(_lo, -1);
            }
        }

        private void Update(int row, int delta)
        {
            if (IsVisible(row))
            {
                _aggregate.Update(rows[row], delta);
            }
        }

        private double? Satisfied(OrderedSteps? steps)
        {
            double? value = steps is null ? _aggregate.Value : steps.Over(_lo, _hi);
            if (value is not { } actual)
            {
                return null;
            }

            var conditions = correlation.Correlation.Conditions;
            if (conditions.Count == 0)
            {
                // temporal without a condition: every referenced rule must appear.
                return actual >= correlation.ReferencedKeys.Distinct().Count() ? actual : null;
            }

            foreach (var condition in conditions)
            {
                if (!condition.IsSatisfiedBy(actual))
                {
                    return null;
                }
            }

            return actual;
        }

        /// <summary>The window's first and last visible rows, its size, and the first and last <see cref="EventIdsKeptAtEachEnd"/> event ids.</summary>
        private WindowMatch Match(double value)
        {
            var first = new List<int>(EventIdsKeptAtEachEnd);
            for (var r = _lo; r < _hi && first.Count < EventIdsKeptAtEachEnd; r++)
            {
                if (IsVisible(r))
                {
                    first.Add(r);
                }
            }

            var last = new List<int>(EventIdsKeptAtEachEnd);
            for (var r = _hi - 1; r >= _lo && last.Count < EventIdsKeptAtEachEnd; r--)
            {
                if (IsVisible(r))
                {
                    last.Add(r);
                }
            }

            last.Reverse();
            var count = _aggregate.Count;
            IEnumerable<int> kept = count <= 2 * EventIdsKeptAtEachEnd
                ? first.Concat(last.Skip(Math.Max(0, first.Count + last.Count - count)))
                : first.Concat(last);
            return new WindowMatch(rows[first[0]].EventTime, rows[last[^1]].EventTime, value, count, [.. kept.Select(r => rows[r].EventId)]);
        }

        /// <summary>The index of the first row later than <paramref name="time"/> (rows are in time order).</summary>
        private int FirstAfter(DateTimeOffset time)
        {
            int lo = 0, hi = rows.Count;
            while (lo < hi)
            {
                var mid = lo + (hi - lo) / 2;
                if (rows[mid].EventTime > time)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }

            return lo;
        }
    }

    /// <summary>
    /// How many of the referenced rules appear in order in a window's visible rows (greedy subsequence; equal times
    /// count as in order). Each step is another event than the step before: one event matching two consecutive rules
    /// (a broad signal rule and the change it precedes) is not a sequence. The trailing windows of
    /// <see cref="WindowCursor.FindWindow"/> mostly grow at their end, and a greedy scan of a longer window continues the
    /// scan of the shorter one: only a window whose start moved is scanned again, so a window is not rescanned for every
    /// later observation.
    /// </summary>
    private sealed class OrderedSteps(SigmaCorrelationRule correlation, List<CorrelationObservation> rows, WindowCursor cursor)
    {
        private int _from = -1;
        private int _scanned;
        private int _step;
        private string? _previousEvent;

        public double Over(int from, int to)
        {
            if (from != _from || to < _scanned)
            {
                (_from, _scanned, _step, _previousEvent) = (from, from, 0, null);
            }

            var keys = correlation.ReferencedKeys;
            for (; _scanned < to && _step < keys.Count; _scanned++)
            {
                if (cursor.IsVisible(_scanned) && rows[_scanned].RuleKey == keys[_step] && rows[_scanned].EventId != _previousEvent)
                {
                    _previousEvent = rows[_scanned].EventId;
                    _step++;
                }
            }

            return _step;
        }
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

    /// <summary>The running aggregate of a window, updated as observations enter and leave it.</summary>
    private sealed class WindowAggregate(SigmaCorrelationRule correlation)
    {
        private readonly Dictionary<string, int> _valueCounts = new(StringComparer.Ordinal);
        private readonly int[] _ruleCounts = new int[correlation.ReferencedKeys.Count];
        private int _count;
        private int _distinctRules;
        private double _sum;
        private int _numericCount;

        public double? Value => correlation.Type switch
        {
            SigmaCorrelationType.EventCount => _count,
            SigmaCorrelationType.ValueCount => _valueCounts.Count,
            SigmaCorrelationType.ValueSum => _numericCount == 0 ? null : _sum,
            SigmaCorrelationType.ValueAvg => _numericCount == 0 ? null : _sum / _numericCount,
            _ => _distinctRules,
        };

        /// <summary>How many observations the window holds.</summary>
        public int Count => _count;

        /// <summary>Adds (<paramref name="delta"/> +1) or removes (-1) an observation.</summary>
        public void Update(CorrelationObservation observation, int delta)
        {
            _count += delta;
            if (observation.Value is { } value)
            {
                var count = _valueCounts.GetValueOrDefault(value) + delta;
                if (count == 0)
                {
                    _valueCounts.Remove(value);
                }
                else
                {
                    _valueCounts[value] = count;
                }

                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    _sum += delta * number;
                    _numericCount += delta;
                }
            }

            var index = correlation.ReferenceIndex(observation.RuleKey);
            if (index >= 0)
            {
                var before = _ruleCounts[index];
                _ruleCounts[index] += delta;
                if (before == 0 && _ruleCounts[index] > 0)
                {
                    _distinctRules++;
                }
                else if (before > 0 && _ruleCounts[index] == 0)
                {
                    _distinctRules--;
                }
            }
        }
    }
}
