namespace Platform.Sigma.Correlation;

/// <summary>
/// A process-local <see cref="ICorrelationWindowStore"/> for tests, benchmarks and single-instance use. Each stored
/// observation gets the next sequence number; a read's watermark is the next number to give (every record before it
/// has returned). A group's observations are kept in time order and in the order they were stored, so a read finds
/// the rows outside the span it knows by their time and the rows stored since its watermark at the end: it costs what
/// it returns, as the Postgres store's indexes make it.
/// </summary>
public sealed class InMemoryCorrelationWindowStore : ICorrelationWindowStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Correlation, string Group), Group> _groups = [];
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
                    group = new Group();
                    _groups[key] = group;
                }

                group.Add(new Stored(observation, _next++));
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
                if (_groups.TryGetValue((read.CorrelationKey, read.GroupKey), out var group))
                {
                    group.Read(read, found);
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
            foreach (var (key, group) in _groups.ToList())
            {
                foreach (var observation in group.RemoveOlderThan(cutoff))
                {
                    _recorded.Remove((observation.CorrelationKey, observation.GroupKey, observation.EventId, observation.RuleKey));
                    removed++;
                }

                if (group.IsEmpty)
                {
                    _groups.Remove(key);
                }
            }

            return ValueTask.FromResult(removed);
        }
    }

    private readonly record struct Stored(CorrelationObservation Observation, ulong Sequence);

    /// <summary>One group's observations, by time and by sequence.</summary>
    private sealed class Group
    {
        private readonly List<Stored> _byTime = [];
        private readonly List<Stored> _bySequence = [];

        public bool IsEmpty => _bySequence.Count == 0;

        public void Add(Stored stored)
        {
            _byTime.Insert(FirstAfter(stored.Observation.EventTime), stored);
            _bySequence.Add(stored);
        }

        /// <summary>The rows of the range outside the known span, then those inside it stored at or after the watermark.</summary>
        public void Read(CorrelationWindowRead read, List<CorrelationObservation> found)
        {
            var (from, to) = (read.FromExclusive, read.ToExclusive);
            if (read.Known is not { } known)
            {
                AddBetween(from, to, found);
                return;
            }

            AddBetween(from, Min(to, known.FromExclusive.AddTicks(1)), found);
            AddBetween(Max(from, known.ToExclusive.AddTicks(-1)), to, found);
            for (var i = _bySequence.Count - 1; i >= 0 && _bySequence[i].Sequence >= known.Watermark; i--)
            {
                var time = _bySequence[i].Observation.EventTime;
                if (time > from && time < to && time > known.FromExclusive && time < known.ToExclusive)
                {
                    found.Add(_bySequence[i].Observation);
                }
            }
        }

        public List<CorrelationObservation> RemoveOlderThan(DateTimeOffset cutoff)
        {
            var old = _byTime.TakeWhile(s => s.Observation.EventTime < cutoff).Select(s => s.Observation).ToList();
            _byTime.RemoveRange(0, old.Count);
            _bySequence.RemoveAll(s => s.Observation.EventTime < cutoff);
            return old;
        }

        /// <summary>Rows with <paramref name="from"/> &lt; time &lt; <paramref name="to"/>.</summary>
        private void AddBetween(DateTimeOffset from, DateTimeOffset to, List<CorrelationObservation> found)
        {
            for (var i = FirstAfter(from); i < _byTime.Count && _byTime[i].Observation.EventTime < to; i++)
            {
                found.Add(_byTime[i].Observation);
            }
        }

        private int FirstAfter(DateTimeOffset time)
        {
            int lo = 0, hi = _byTime.Count;
            while (lo < hi)
            {
                var mid = lo + (hi - lo) / 2;
                if (_byTime[mid].Observation.EventTime > time)
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

        private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

        private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    }
}
