using System.Runtime.InteropServices;

namespace Platform.Alerting.Metrics;

/// <summary>A series: namespace, name and its dimensions as canonical JSON (names in ordinal order), the key it is stored under.</summary>
public readonly record struct MetricKey(string Namespace, string MetricName, string DimensionsJson)
{
    public const string NoDimensions = "{}";

    public static MetricKey Of(string ns, string metricName, IReadOnlyDictionary<string, string> dimensions) =>
        new(ns, metricName, dimensions.Count == 0 ? NoDimensions : Canonical(dimensions));

    public static MetricKey Of(MetricIdentity metric) => Of(metric.Namespace, metric.MetricName, metric.Dimensions);

    /// <summary>Dimensions as stored: a JSON object whose names are in ordinal order, so equal dimensions are equal text.</summary>
    public static string Canonical(IReadOnlyDictionary<string, string> dimensions) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(dimensions.ToDictionary(), StringComparer.Ordinal));

    public MetricIdentity ToIdentity() => new(
        Namespace, MetricName,
        DimensionsJson == NoDimensions ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(DimensionsJson)!);
}

/// <summary>SampleCount, Sum, Minimum and Maximum of the samples of one series in one minute.</summary>
public struct MinuteStatistics
{
    public double SampleCount;
    public double Sum;
    public double Minimum;
    public double Maximum;

    /// <summary>Holds only a filter's defaultValue: the minute's first real sample replaces it.</summary>
    public bool IsDefault;

    public static MinuteStatistics Of(double value, bool isDefault) =>
        new() { SampleCount = 1, Sum = value, Minimum = value, Maximum = value, IsDefault = isDefault };

    public void Add(double value)
    {
        SampleCount++;
        Sum += value;
        Minimum = Math.Min(Minimum, value);
        Maximum = Math.Max(Maximum, value);
    }
}

/// <summary>
/// The data points of one batch of log events, aggregated per series and minute before anything is written, so a
/// batch is one upsert however many events it holds.
/// </summary>
public sealed class MetricBatch
{
    private readonly Dictionary<(MetricKey Key, DateTimeOffset Minute), MinuteStatistics> _points = [];

    public int Count => _points.Count;

    public IEnumerable<KeyValuePair<(MetricKey Key, DateTimeOffset Minute), MinuteStatistics>> Points => _points;

    /// <summary>The series that received data.</summary>
    public IReadOnlyCollection<MetricKey> Series => _points.Keys.Select(p => p.Key).ToHashSet();

    public void Add(MetricKey key, DateTimeOffset minute, double value)
    {
        ref var point = ref CollectionsMarshal.GetValueRefOrAddDefault(_points, (key, minute), out var exists);
        if (!exists || point.IsDefault)
        {
            point = MinuteStatistics.Of(value, isDefault: false);
        }
        else
        {
            point.Add(value);
        }
    }

    /// <summary>A defaultValue for a minute in which the filter matched nothing; ignored when the minute has data.</summary>
    public void AddDefault(MetricKey key, DateTimeOffset minute, double value) =>
        _points.TryAdd((key, minute), MinuteStatistics.Of(value, isDefault: true));
}
