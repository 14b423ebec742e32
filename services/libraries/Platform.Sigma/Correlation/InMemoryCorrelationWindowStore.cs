namespace Platform.Sigma.Correlation;

/// <summary>
/// A process-local <see cref="ICorrelationWindowStore"/> for tests, benchmarks and single-instance use. Each stored
/// observation gets the next sequence number; a read's watermark is the next number to give (every record before it
/// has returned).
/// </summary>
public sealed class InMemoryCorrelationWindowStore : ICorrelationWindowStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Correlation, string Group), List<(CorrelationObservation Observation, ulong Sequence)>> _groups = [];
    private readonly HashSet<(string Correlation, string Group, string EventId, string RuleKey)> _recorded = [];
    private ulong _next = 1;

    public ValueTask<IReadOnlyList<bool>> RecordAsync(IReadOnlyList<CorrelationObservation> observations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var stored = new bool[observations.Count];
        lock (_lock)
        {
            for (var i = 0; i < observations.Count; i++)
            {
                var observation = observations[i];
                if (!_recorded.Add((observation.CorrelationKey, observation.GroupKey, observation.EventId, observation.RuleKey)))
                {
                    continue;
                }

                var key = (observation.CorrelationKey, observation.GroupKey);
                if (!_groups.TryGetValue(key, out var group))
                {
                    group = [];
                    _groups[key] = group;
                }

                group.Add((observation, _next++));
                stored[i] = true;
            }
        }

        return ValueTask.FromResult<IReadOnlyList<bool>>(stored);
    }

    public ValueTask<CorrelationWindowChanges> ReadAsync(IReadOnlyList<CorrelationWindowRead> reads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reads);
        var found = new List<CorrelationObservation>();
        lock (_lock)
        {
            foreach (var read in reads)
            {
                if (!_groups.TryGetValue((read.CorrelationKey, read.GroupKey), out var observations))
                {
                    continue;
                }

                foreach (var (observation, sequence) in observations)
                {
                    var time = observation.EventTime;
                    var known = read.Known is { } k && time > k.FromExclusive && time < k.ToExclusive && sequence < k.Watermark;
                    if (time > read.FromExclusive && time < read.ToExclusive && !known)
                    {
                        found.Add(observation);
                    }
                }
            }

            return ValueTask.FromResult(new CorrelationWindowChanges(found, _next));
        }
    }

    public ValueTask<int> RemoveOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var removed = 0;
            foreach (var (key, observations) in _groups.ToList())
            {
                foreach (var (observation, _) in observations)
                {
                    if (observation.EventTime < cutoff)
                    {
                        _recorded.Remove((observation.CorrelationKey, observation.GroupKey, observation.EventId, observation.RuleKey));
                    }
                }

                removed += observations.RemoveAll(o => o.Observation.EventTime < cutoff);
                if (observations.Count == 0)
                {
                    _groups.Remove(key);
                }
            }

            return ValueTask.FromResult(removed);
        }
    }
}
