namespace Platform.Sigma.Correlation;

/// <summary>A process-local <see cref="ICorrelationWindowStore"/> for tests, benchmarks and single-instance use.</summary>
public sealed class InMemoryCorrelationWindowStore : ICorrelationWindowStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Correlation, string Group), List<CorrelationObservation>> _groups = [];
    private readonly HashSet<(string Correlation, string Group, string EventId, string RuleKey)> _recorded = [];

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

                group.Add(observation);
                stored[i] = true;
            }
        }

        return ValueTask.FromResult<IReadOnlyList<bool>>(stored);
    }

    public ValueTask<IReadOnlyList<CorrelationObservation>> GetObservationsAsync(
        IReadOnlyList<CorrelationWindowRange> ranges,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var inRange = new List<CorrelationObservation>();
        lock (_lock)
        {
            foreach (var range in ranges)
            {
                if (!_groups.TryGetValue((range.CorrelationKey, range.GroupKey), out var observations))
                {
                    continue;
                }

                foreach (var observation in observations)
                {
                    if (observation.EventTime > range.FromExclusive && observation.EventTime < range.ToExclusive)
                    {
                        inRange.Add(observation);
                    }
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<CorrelationObservation>>(inRange);
    }

    public ValueTask<int> RemoveOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var removed = 0;
            foreach (var (key, observations) in _groups.ToList())
            {
                foreach (var observation in observations)
                {
                    if (observation.EventTime < cutoff)
                    {
                        _recorded.Remove((observation.CorrelationKey, observation.GroupKey, observation.EventId, observation.RuleKey));
                    }
                }

                removed += observations.RemoveAll(o => o.EventTime < cutoff);
                if (observations.Count == 0)
                {
                    _groups.Remove(key);
                }
            }

            return ValueTask.FromResult(removed);
        }
    }
}
