using System.Runtime.InteropServices;

namespace Platform.Sigma.Correlation;

/// <summary>
/// An event id as a window keeps it: a lowercase GUID (CloudTrail's, and most sources') in 16 bytes, anything else as
/// its text. Ordered as the ids' text is (ordinal), so ties in a window fall the same way whichever form they take.
/// </summary>
internal readonly struct WindowEventId : IComparable<WindowEventId>, IEquatable<WindowEventId>
{
    private readonly Guid _guid;
    private readonly string? _text;

    private WindowEventId(Guid guid, string? text) => (_guid, _text) = (guid, text);

    public static WindowEventId Of(string id) =>
        id.Length == 36 && !id.AsSpan().ContainsAnyInRange('A', 'Z') && Guid.TryParseExact(id, "D", out var guid)
            ? new WindowEventId(guid, null)
            : new WindowEventId(default, id);

    public override string ToString() => _text ?? _guid.ToString("D");

    public int CompareTo(WindowEventId other)
    {
        if (_text is null && other._text is null)
        {
            // A GUID's text is its bytes in big-endian order as hex: comparing those bytes orders as the text does.
            Span<byte> mine = stackalloc byte[16];
            Span<byte> theirs = stackalloc byte[16];
            _guid.TryWriteBytes(mine, bigEndian: true, out _);
            other._guid.TryWriteBytes(theirs, bigEndian: true, out _);
            return mine.SequenceCompareTo(theirs);
        }

        return string.CompareOrdinal(ToString(), other.ToString());
    }

    public bool Equals(WindowEventId other) => _guid == other._guid && _text == other._text;

    public override bool Equals(object? obj) => obj is WindowEventId other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_guid, _text);
}

/// <summary>One observation in a window: what judging needs, in about 64 bytes.</summary>
internal readonly record struct WindowRow(long Ticks, int Rule, string RuleKey, WindowEventId EventId, string? Value, double Number);

/// <summary>
/// One group's window of one correlation, kept by the evaluator from one batch to the next: its observations in window
/// order (time, then the rule's place in the correlation, then event id), what the store said is complete
/// (<see cref="Known"/>), and a cursor holding the running aggregate of the window last judged. A batch adds its new
/// rows and moves the cursor by the rows that enter and leave the window, so judging costs the rows between
/// observations, not the window's size: under an attack a window holds every observation of its timespan.
/// </summary>
internal sealed class GroupWindow
{
    private const int EventIdsKeptAtEachEnd = 10;
    private const int MaxInternedValues = 4096;

    private readonly SigmaCorrelationRule _correlation;
    private readonly long _span;
    private readonly WindowRows _rows = new();
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly WindowAggregate _aggregate;
    // Every row's aggregate, a bound on any window's, where the correlation is BoundedByAllRows (null elsewhere).
    private readonly WindowAggregate? _all;
    // The cursor: rows [_lo, _hi) are exactly those with _from < time <= _to, and _aggregate holds them.
    private int _lo;
    private int _hi;
    private long _from = long.MinValue;
    private long _to = long.MinValue;

    public GroupWindow(SigmaCorrelationRule correlation)
    {
        _correlation = correlation;
        _span = correlation.Timespan.Ticks;
        _aggregate = new WindowAggregate(correlation);
        _all = correlation.BoundedByAllRows ? new WindowAggregate(correlation) : null;
    }

    /// <summary>The rows strictly inside this span written before its watermark are all here.</summary>
    public CorrelationWindowKnown? Known { get; private set; }

    public int Count => _rows.Count;

    public long LastUse { get; set; }

    private WindowRow Row(int index) => _rows[index];

    /// <summary>Adds an observation in its place unless the window holds it; false when it did.</summary>
    public bool Add(CorrelationObservation observation)
    {
        var rule = _correlation.ReferenceIndex(observation.RuleKey);
        var row = new WindowRow(
            observation.EventTime.UtcTicks,
            rule,
            rule >= 0 ? _correlation.ReferencedKeys[rule] : observation.RuleKey,
            WindowEventId.Of(observation.EventId),
            observation.Value is { } value ? Intern(value) : null,
            NumberOf(observation.Value));

        var index = Count;
        if (Count > 0 && Compare(row, Row(Count - 1)) <= 0)
        {
            index = LowerBound(row);
            if (index < Count && Compare(row, Row(index)) == 0)
            {
                return false;
            }
        }

        _rows.Insert(index, row);
        _all?.Update(row, +1);
        if (row.Ticks > _from && row.Ticks <= _to)
        {
            _aggregate.Update(row, +1);
            _hi++;
        }
        else if (row.Ticks <= _from)
        {
            _lo++;
            _hi++;
        }

        return true;
    }

    /// <summary>
    /// Records that every row of (<paramref name="from"/>, <paramref name="to"/>) written before
    /// <paramref name="watermark"/> is here (the store's answer has been added), and drops the rows at or before
    /// <paramref name="from"/>: the window no longer needs them, and they are outside what it knows.
    /// </summary>
    public void Hold(DateTimeOffset from, DateTimeOffset to, ulong watermark)
    {
        DropThrough(from.UtcTicks);
        Known = new CorrelationWindowKnown(from, to, watermark);
    }

    private void DropThrough(long ticks)
    {
        var drop = FirstAfter(ticks);
        if (drop == 0)
        {
            return;
        }

        for (var r = _lo; r < Math.Min(_hi, drop); r++)
        {
            _aggregate.Update(Row(r), -1);
        }

        for (var r = 0; _all is not null && r < drop; r++)
        {
            _all.Update(Row(r), -1);
        }

        _lo = Math.Max(_lo - drop, 0);
        _hi = Math.Max(_hi - drop, 0);
        _rows.RemoveFirst(drop);
    }

    /// <summary>
    /// The first trailing window containing <paramref name="time"/> whose aggregate satisfies the condition, if any:
    /// the windows (end - span, end] ending at the new event or at a later row it falls into. A window ending at an
    /// observation holds every event an arbitrary window ending there could hold, so for thresholds (gt/gte) these
    /// windows find the largest aggregate; for averages and upper bounds they are the windows an in-order stream would
    /// have evaluated on each arrival. Rows of one time end the same window: it is judged once. When the rows of all
    /// the group's windows together cannot satisfy the condition, none of them can, and none is judged: under an attack
    /// a window holds hundreds of thousands of rows, and judging every window a late event falls into costs the rows
    /// after it.
    /// </summary>
    public WindowMatch? FindWindow(DateTimeOffset time)
    {
        if (_all is not null && Meets(_all.Value) is null)
        {
            return null;
        }

        var ticks = time.UtcTicks;
        var steps = _correlation.Type == SigmaCorrelationType.TemporalOrdered ? new OrderedSteps(_correlation, this) : null;
        var until = FirstAfter(ticks + _span - 1);
        long? judged = null;
        for (var e = FirstAfter(ticks - 1); e < until; e++)
        {
            var end = Row(e).Ticks;
            if (end == judged)
            {
                continue;
            }

            judged = end;
            MoveTo(end - _span, end);
            if (Satisfied(steps) is { } value)
            {
                return Match(value);
            }
        }

        return null;
    }

    /// <summary>Moves the cursor to the window (<paramref name="from"/>, <paramref name="to"/>]: grows first, then shrinks.</summary>
    private void MoveTo(long from, long to)
    {
        var (lo, hi) = (FirstAfter(from), FirstAfter(to));
        for (; _hi < hi; _hi++)
        {
            _aggregate.Update(Row(_hi), +1);
        }

        for (; _lo > lo; _lo--)
        {
            _aggregate.Update(Row(_lo - 1), +1);
        }

        for (; _hi > hi; _hi--)
        {
            _aggregate.Update(Row(_hi - 1), -1);
        }

        for (; _lo < lo; _lo++)
        {
            _aggregate.Update(Row(_lo), -1);
        }

        (_from, _to) = (from, to);
    }

    private double? Satisfied(OrderedSteps? steps) => Meets(steps is null ? _aggregate.Value : steps.Over(_lo, _hi));

    /// <summary>The aggregate when it satisfies the correlation's condition.</summary>
    private double? Meets(double? value)
    {
        if (value is not { } actual)
        {
            return null;
        }

        var conditions = _correlation.Correlation.Conditions;
        if (conditions.Count == 0)
        {
            // temporal without a condition: every referenced rule must appear.
            return actual >= _correlation.DistinctReferencedCount ? actual : null;
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

    /// <summary>The window's first and last rows, its size, and the first and last <see cref="EventIdsKeptAtEachEnd"/> event ids.</summary>
    private WindowMatch Match(double value)
    {
        var count = _hi - _lo;
        var first = Enumerable.Range(_lo, Math.Min(EventIdsKeptAtEachEnd, count));
        var last = Enumerable.Range(Math.Max(_lo + EventIdsKeptAtEachEnd, _hi - EventIdsKeptAtEachEnd), Math.Min(EventIdsKeptAtEachEnd, Math.Max(0, count - EventIdsKeptAtEachEnd)));
        return new WindowMatch(
            new DateTimeOffset(Row(_lo).Ticks, TimeSpan.Zero),
            new DateTimeOffset(Row(_hi - 1).Ticks, TimeSpan.Zero),
            value,
            count,
            [.. first.Concat(last).Select(r => Row(r).EventId.ToString())]);
    }

    /// <summary>The index of the first row later than <paramref name="ticks"/>.</summary>
    private int FirstAfter(long ticks)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (Row(mid).Ticks > ticks)
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

    /// <summary>The index of the first row not before <paramref name="row"/> in window order.</summary>
    private int LowerBound(WindowRow row)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (Compare(Row(mid), row) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Window order: time, then the rule's place in the correlation (temporal_ordered), then ids, so ties are deterministic.</summary>
    private static int Compare(WindowRow a, WindowRow b)
    {
        var byTime = a.Ticks.CompareTo(b.Ticks);
        if (byTime != 0)
        {
            return byTime;
        }

        var byRule = a.Rule.CompareTo(b.Rule);
        if (byRule != 0)
        {
            return byRule;
        }

        var byEvent = a.EventId.CompareTo(b.EventId);
        return byEvent != 0 ? byEvent : string.CompareOrdinal(a.RuleKey, b.RuleKey);
    }

    private string Intern(string value)
    {
        if (_values.TryGetValue(value, out var kept))
        {
            return kept;
        }

        if (_values.Count < MaxInternedValues)
        {
            _values[value] = value;
        }

        return value;
    }

    private static double NumberOf(string? value) =>
        value is not null && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : double.NaN;

    /// <summary>
    /// How many of the referenced rules appear in order in a window (greedy subsequence; equal times count as in
    /// order). Each step is another event than the step before: one event matching two consecutive rules (a broad signal
    /// rule and the change it precedes) is not a sequence. The trailing windows of <see cref="FindWindow"/> mostly grow
    /// at their end, and a greedy scan of a longer window continues the scan of the shorter one: only a window whose
    /// start moved is scanned again.
    /// </summary>
    private sealed class OrderedSteps(SigmaCorrelationRule correlation, GroupWindow window)
    {
        private int _from = -1;
        private int _scanned;
        private int _step;
        private WindowEventId? _previousEvent;

        public double Over(int from, int to)
        {
            if (from != _from || to < _scanned)
            {
                (_from, _scanned, _step, _previousEvent) = (from, from, 0, null);
            }

            var keys = correlation.ReferencedKeys;
            for (; _scanned < to && _step < keys.Count; _scanned++)
            {
                var row = window.Row(_scanned);
                if (row.RuleKey == keys[_step] && (_previousEvent is not { } previous || !row.EventId.Equals(previous)))
                {
                    _previousEvent = row.EventId;
                    _step++;
                }
            }

            return _step;
        }
    }

    /// <summary>The running aggregate of a window, updated as observations enter and leave it.</summary>
    private sealed class WindowAggregate(SigmaCorrelationRule correlation)
    {
        private readonly Dictionary<string, int> _valueCounts = new(StringComparer.Ordinal);
        private readonly int[] _ruleCounts = new int[correlation.ReferencedKeys.Count];
        private int _distinctRules;
        private double _sum;
        private int _numericCount;
        private int _count;

        public double? Value => correlation.Type switch
        {
            SigmaCorrelationType.EventCount => _count,
            SigmaCorrelationType.ValueCount => _valueCounts.Count,
            SigmaCorrelationType.ValueSum => _numericCount == 0 ? null : _sum,
            SigmaCorrelationType.ValueAvg => _numericCount == 0 ? null : _sum / _numericCount,
            _ => _distinctRules,
        };

        /// <summary>Adds (<paramref name="delta"/> +1) or removes (-1) an observation.</summary>
        public void Update(WindowRow row, int delta)
        {
            _count += delta;
            if (row.Value is { } value)
            {
                ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_valueCounts, value, out _);
                count += delta;
                if (count == 0)
                {
                    _valueCounts.Remove(value);
                }

                if (!double.IsNaN(row.Number))
                {
                    _sum += delta * row.Number;
                    _numericCount += delta;
                }
            }

            if (row.Rule >= 0)
            {
                var before = _ruleCounts[row.Rule];
                _ruleCounts[row.Rule] += delta;
                if (before == 0 && _ruleCounts[row.Rule] > 0)
                {
                    _distinctRules++;
                }
                else if (before > 0 && _ruleCounts[row.Rule] == 0)
                {
                    _distinctRules--;
                }
            }
        }
    }
}

/// <summary>A window that satisfied its correlation's condition.</summary>
internal sealed record WindowMatch(DateTimeOffset Start, DateTimeOffset End, double Value, int Count, IReadOnlyList<string> EventIds);

/// <summary>
/// The windows an evaluator keeps, per correlation and group, at most <see cref="DefaultMaxRows"/> rows and
/// <see cref="MaxGroups"/> groups in all: past that, the groups used least recently are dropped (read whole again when
/// next needed). Used by one round at a time.
/// </summary>
internal sealed class GroupWindows(int maxRows)
{
    /// <summary>About 64 MB of rows.</summary>
    public const int DefaultMaxRows = 1_000_000;

    public const int MaxGroups = 100_000;

    private readonly Dictionary<(string Correlation, string Group), GroupWindow> _windows = [];
    private long _uses;

    public GroupWindow Get((string Correlation, string Group) key, SigmaCorrelationRule correlation)
    {
        if (!_windows.TryGetValue(key, out var window))
        {
            window = new GroupWindow(correlation);
            _windows[key] = window;
        }

        window.LastUse = ++_uses;
        return window;
    }

    /// <summary>Down to nine tenths of the limit when over it, keeping <paramref name="inUse"/>.</summary>
    public void KeepWithinLimit(IEnumerable<GroupWindow> inUse)
    {
        var rows = _windows.Values.Sum(w => (long)w.Count);
        if (rows <= maxRows && _windows.Count <= MaxGroups)
        {
            return;
        }

        var keep = inUse.ToHashSet();
        foreach (var (key, window) in _windows.OrderBy(w => w.Value.LastUse).ToList())
        {
            if (rows <= maxRows * 9L / 10 && _windows.Count <= MaxGroups * 9 / 10)
            {
                return;
            }

            if (!keep.Contains(window))
            {
                _windows.Remove(key);
                rows -= window.Count;
            }
        }
    }
}
