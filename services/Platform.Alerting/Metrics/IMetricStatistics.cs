namespace Platform.Alerting.Metrics;

/// <summary>A metric: namespace, name and dimensions (name to value; none for a metric published without them).</summary>
public sealed record MetricIdentity(string Namespace, string MetricName, IReadOnlyDictionary<string, string> Dimensions);

/// <summary>One statistic of one metric over consecutive periods in [<see cref="Start"/>, <see cref="End"/>).</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Statistic"><c>Sum</c>, <c>Average</c>, <c>Minimum</c>, <c>Maximum</c> or <c>SampleCount</c>.</param>
/// <param name="Period">The period, a multiple of 60 seconds.</param>
/// <param name="Start">The first period's start (inclusive).</param>
/// <param name="End">Where the last period ends (exclusive).</param>
public sealed record MetricStatisticQuery(MetricIdentity Metric, string Statistic, TimeSpan Period, DateTimeOffset Start, DateTimeOffset End);

/// <summary>The statistic of one period that has data; periods without data are absent.</summary>
public sealed record MetricPeriodValue(DateTimeOffset PeriodStart, double Value);

/// <summary>Reads the stored 1-minute data points of a metric, aggregated to a period: what alarms and GetMetricData read.</summary>
public interface IMetricStatistics
{
    Task<IReadOnlyList<MetricPeriodValue>> GetAsync(MetricStatisticQuery query, CancellationToken cancellationToken);
}

/// <summary>Told, after data points are committed, which metrics received data, so alarms on them are evaluated at once.</summary>
public interface IMetricDataListener
{
    Task OnMetricDataAsync(IReadOnlyCollection<MetricIdentity> metrics, CancellationToken cancellationToken);
}
