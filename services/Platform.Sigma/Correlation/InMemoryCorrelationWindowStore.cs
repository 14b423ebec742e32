namespace Platform.Sigma.Correlation;

/// <summary>A process-local <see cref="ICorrelationWindowStore"/> for tests, benchmarks and single-instance use.</summary>
public sealed class InMemoryCorrelationWindowStore : ICorrelationWindowStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Correlation, string Group), List<CorrelationObservation>> _groups = [];
    private readonly HashSet<(string Correlation, string Group, string EventId, string RuleKey)> _recorded = [];

    public ValueTask<bool> RecordAsync(CorrelationObservation observation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observation);
        lock (_lock)
        {
            if (!_recorded.Add((observation.CorrelationKey, observation.GroupKey, observation.EventId, observation.RuleKey)))
            {
                return ValueTask.FromResult(false);
            }

            var key = (observation.CorrelationKey, observation.GroupKey);
            if (!_groups.TryGetValue(key, out var observations))
            {
                observations = [];
                _groups[key] = observations;
            }

            observations.Add(observation);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<IReadOnlyList<CorrelationObservation>> GetObservationsAsync(
        string correlationKey,
        string groupKey,
        DateTimeOffset fromExclusive,
        DateTimeOffset toExclusive,
        CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue((correlationKey, groupKey), out var observations))
            {
                return ValueTask.FromResult<IReadOnlyList<CorrelationObservation>>([]);
            }

            var inRange = new List<CorrelationObservation>();
            foreach (var observation in observations)
            {
                if (observation.EventTime > fromExclusive && observation.EventTime < toExclusive)
                {
                    inRange.Add(observation);
                }
            }

            return ValueTask.FromResult<IReadOnlyList<CorrelationObservation>>(inRange);
        }
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
