using System.Collections.Concurrent;

namespace Platform.Detection.Correlation;

/// <summary>
/// The correlation windows an instance has read, per correlation and group: the rows strictly between
/// <see cref="Window.From"/> and <see cref="Window.To"/> written by every transaction below <see cref="Window.Watermark"/>
/// (the xmin of the snapshot they were read in: all those transactions had finished). Rows written at or above the
/// watermark — by another instance, or by this one in flight — are read again, so a kept window is never missing a row
/// a read of the whole window would give. Windows are replaced whole, never changed, so a window handed out stays as it
/// was; at most <see cref="DefaultMaxRows"/> rows are kept, the windows used least recently dropped first.
/// </summary>
public sealed class WindowCache(int maxRows)
{
    /// <summary>About 30 MB of observations.</summary>
    public const int DefaultMaxRows = 200_000;

    /// <summary>Rule keys are few and repeat on every row: one string each, up to this many.</summary>
    private const int MaxRuleKeys = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Correlation, string Group), Window> _windows = [];
    private readonly ConcurrentDictionary<string, string> _ruleKeys = new(StringComparer.Ordinal);
    private long _rows;
    private long _uses;

    /// <summary>One group's kept window.</summary>
    public sealed record Window(DateTimeOffset From, DateTimeOffset To, ulong Watermark, IReadOnlyList<CorrelationObservation> Rows)
    {
        public long LastUse { get; set; }
    }

    public Window? Get(string correlation, string group)
    {
        lock (_gate)
        {
            if (_windows.TryGetValue((correlation, group), out var window))
            {
                window.LastUse = ++_uses;
            }

            return window;
        }
    }

    /// <summary>The one string of a rule key.</summary>
    public string RuleKey(string key) =>
        _ruleKeys.TryGetValue(key, out var kept) ? kept : _ruleKeys.Count < MaxRuleKeys ? _ruleKeys.GetOrAdd(key, key) : key;

    /// <summary>
    /// The range's rows: those of <paramref name="kept"/> inside it and the <paramref name="read"/> ones (a row read
    /// again is the kept one); kept as the group's window up to <paramref name="watermark"/>.
    /// </summary>
    public IReadOnlyList<CorrelationObservation> Merge(CorrelationWindowRange range, Window? kept, List<CorrelationObservation> read, ulong watermark)
    {
        var rows = read;
        if (kept is not null)
        {
            rows = [.. kept.Rows.Where(o => o.EventTime > range.FromExclusive && o.EventTime < range.ToExclusive)];
            var seen = rows.Select(o => (o.EventId, o.RuleKey)).ToHashSet();
            rows.AddRange(read.Where(o => seen.Add((o.EventId, o.RuleKey))));
        }

        lock (_gate)
        {
            var key = (range.CorrelationKey, range.GroupKey);
            if (_windows.Remove(key, out var replaced))
            {
                _rows -= replaced.Rows.Count;
            }

            _windows[key] = new Window(range.FromExclusive, range.ToExclusive, watermark, rows) { LastUse = ++_uses };
            _rows += rows.Count;
            if (_rows > maxRows)
            {
                DropLeastUsed();
            }
        }

        return rows;
    }

    /// <summary>Drops the rows the store deleted (older than <paramref name="cutoff"/>).</summary>
    public void RemoveOlderThan(DateTimeOffset cutoff)
    {
        lock (_gate)
        {
            foreach (var (key, window) in _windows.ToList())
            {
                if (window.Rows.Any(o => o.EventTime < cutoff))
                {
                    var rows = window.Rows.Where(o => o.EventTime >= cutoff).ToList();
                    _rows -= window.Rows.Count - rows.Count;
                    _windows[key] = window with { Rows = rows };
                }
            }
        }
    }

    // Down to nine tenths of the limit, the windows used longest ago first.
    private void DropLeastUsed()
    {
        foreach (var (key, window) in _windows.OrderBy(w => w.Value.LastUse).ToList())
        {
            if (_rows <= maxRows * 9L / 10)
            {
                return;
            }

            _windows.Remove(key);
            _rows -= window.Rows.Count;
        }
    }
}
