using System.Globalization;
using System.Text.Json;
using Platform.Sigma.Detection;
using Platform.Sigma.Parsing;

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
/// </remarks>
public sealed class CorrelationEvaluator(SigmaRuleSet ruleSet, ICorrelationWindowStore store)
{
    private const int EventIdsKeptAtEachEnd = 10;

    /// <summary>Records a detection match for every correlation referencing the rule; returns the correlations that fired (chains included).</summary>
    public async ValueTask<IReadOnlyList<SigmaCorrelationResult>> ObserveAsync(
        SigmaRule matchedRule,
        JsonElement document,
        DateTimeOffset eventTime,
        string eventId,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matchedRule);
        var correlations = ruleSet.CorrelationsReferencing(matchedRule.Key);
        if (correlations.Count == 0)
        {
            return [];
        }

        // Read everything from the document before the first await: the caller may reuse its buffer.
        var observations = new List<(SigmaCorrelationRule Rule, CorrelationObservation Observation, KeyValuePair<string, string>[] Group)>();
        foreach (var correlation in correlations)
        {
            var fields = correlation.GroupFieldsFor(matchedRule.Key);
            var group = new KeyValuePair<string, string>[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                group[i] = new(correlation.GroupBy[i], FirstText(document, fields[i]) ?? "");
            }

            var valueField = correlation.ValueFieldFor(matchedRule.Key);
            var value = valueField is null ? null : FirstText(document, valueField);
            var observation = new CorrelationObservation(correlation.Key, GroupKeyOf(group), eventTime, eventId, matchedRule.Key, value);
            observations.Add((correlation, observation, group));
        }

        var results = new List<SigmaCorrelationResult>();
        foreach (var (correlation, observation, group) in observations)
        {
            await ObserveAsync(correlation, observation, group, results, depth: 0, cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    private async ValueTask ObserveAsync(
        SigmaCorrelationRule correlation,
        CorrelationObservation observation,
        KeyValuePair<string, string>[] group,
        List<SigmaCorrelationResult> results,
        int depth,
        CancellationToken cancellationToken)
    {
        await store.RecordAsync(observation, cancellationToken).ConfigureAwait(false);
        var window = await store.GetObservationsAsync(
            correlation.Key,
            observation.GroupKey,
            observation.EventTime - correlation.Timespan,
            observation.EventTime + correlation.Timespan,
            cancellationToken).ConfigureAwait(false);

        if (FindWindow(correlation, window, observation.EventTime) is not { } match)
        {
            return;
        }

        var result = new SigmaCorrelationResult(
            correlation,
            group,
            observation.GroupKey,
            match.Start,
            match.End,
            match.Value,
            match.Observations.Count,
            BoundedEventIds(match.Observations),
            observation.EventId,
            ruleSet.GeneratesResults(correlation.Key));
        results.Add(result);

        // Chained correlations count this result as an event of the referenced correlation.
        if (depth >= 16)
        {
            return;
        }

        foreach (var parent in ruleSet.CorrelationsReferencing(correlation.Key))
        {
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
            await ObserveAsync(parent, parentObservation, parentGroup, results, depth + 1, cancellationToken).ConfigureAwait(false);
        }
    }

    internal sealed record WindowMatch(DateTimeOffset Start, DateTimeOffset End, double Value, List<CorrelationObservation> Observations);

    /// <summary>The first trailing window containing <paramref name="time"/> whose aggregate satisfies the condition, if any.</summary>
    internal static WindowMatch? FindWindow(SigmaCorrelationRule correlation, IReadOnlyList<CorrelationObservation> observations, DateTimeOffset time)
    {
        var span = correlation.Timespan;
        var sorted = observations
            .Where(o => o.EventTime > time - span && o.EventTime < time + span)
            .OrderBy(o => o.EventTime)
            .ThenBy(o => correlation.ReferenceIndex(o.RuleKey))
            .ThenBy(o => o.EventId, StringComparer.Ordinal)
            .ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        // Trailing windows (end - span, end] ending at the new event or at a later observation it falls into.
        // A window ending at an observation holds every event an arbitrary window ending there could hold,
        // so for thresholds (gt/gte) these windows find the largest aggregate; for averages and upper bounds
        // they are the windows an in-order stream would have evaluated on each arrival.
        var aggregate = new WindowAggregate(correlation);
        int lo = 0, hi = 0;
        for (var e = 0; e < sorted.Count; e++)
        {
            if (sorted[e].EventTime < time)
            {
                continue;
            }

            while (hi < sorted.Count && sorted[hi].EventTime <= sorted[e].EventTime)
            {
                aggregate.Add(sorted[hi++]);
            }

            while (sorted[lo].EventTime <= sorted[e].EventTime - span)
            {
                aggregate.Remove(sorted[lo++]);
            }

            if (Satisfied(correlation, aggregate, sorted, lo, hi) is { } value)
            {
                return Match(sorted, lo, hi, value);
            }
        }

        return null;
    }

    private static WindowMatch Match(List<CorrelationObservation> sorted, int from, int to, double value) =>
        new(sorted[from].EventTime, sorted[to - 1].EventTime, value, sorted.GetRange(from, to - from));

    private static double? Satisfied(SigmaCorrelationRule correlation, WindowAggregate aggregate, List<CorrelationObservation> sorted, int from, int to)
    {
        double? value = correlation.Type == SigmaCorrelationType.TemporalOrdered
            ? OrderedSteps(correlation, sorted, from, to)
            : aggregate.Value;
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

    /// <summary>How many of the referenced rules appear in order (greedy subsequence; equal times count as in order).</summary>
    private static double OrderedSteps(SigmaCorrelationRule correlation, List<CorrelationObservation> sorted, int from, int to)
    {
        var step = 0;
        for (var i = from; i < to && step < correlation.ReferencedKeys.Count; i++)
        {
            if (sorted[i].RuleKey == correlation.ReferencedKeys[step])
            {
                step++;
            }
        }

        return step;
    }

    private static List<string> BoundedEventIds(List<CorrelationObservation> observations)
    {
        if (observations.Count <= 2 * EventIdsKeptAtEachEnd)
        {
            return observations.Select(o => o.EventId).ToList();
        }

        return observations.Take(EventIdsKeptAtEachEnd)
            .Concat(observations.Skip(observations.Count - EventIdsKeptAtEachEnd))
            .Select(o => o.EventId)
            .ToList();
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

        public void Add(CorrelationObservation observation) => Update(observation, +1);

        public void Remove(CorrelationObservation observation) => Update(observation, -1);

        private void Update(CorrelationObservation observation, int delta)
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
