using Platform.Contracts.Ingestion;

namespace Platform.Alerting.Metrics;

/// <summary>
/// Turns a batch of log events into data points: the metric filters of each event's log group (on the event's message:
/// the CloudTrail record, the application's JSON line, the text line) and the built-in CloudTrail metrics.
/// </summary>
public sealed class MetricEvaluator(MetricFilterSet filters, CloudTrailMetrics cloudTrail, TimeProvider clock)
{
    /// <summary>CloudWatch keeps 1-minute data points 15 days; older events are not counted (they would be deleted at once).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(15);

    /// <summary>How far ahead of now an event's time may be (CloudWatch takes data points up to two hours ahead).</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromHours(2);

    /// <summary>CloudWatch's limit on a dimension value.</summary>
    public const int MaxDimensionValueLength = 1024;

    public MetricBatch Evaluate(IReadOnlyList<NormalizedLogEvent> events)
    {
        var batch = new MetricBatch();
        var now = clock.GetUtcNow();
        // Per filter with a default value: the minutes with events of its log group, and those in which it matched.
        HashSet<(CompiledMetricFilter, DateTimeOffset)>? seen = null, matched = null;
        foreach (var logEvent in events)
        {
            var minute = MinuteOf(logEvent.EventTime);
            if (minute < now - Retention || minute > now + MaxAhead)
            {
                continue;
            }
            if (logEvent.SourceType == LogSourceTypes.CloudTrail)
            {
                cloudTrail.Add(batch, logEvent, minute);
            }
            if (logEvent.LogGroup is not { } logGroup || filters.For(logGroup) is not { Count: > 0 } groupFilters)
            {
                continue;
            }

            var message = logEvent.Message();
            foreach (var filter in groupFilters)
            {
                var sample = filter.Extraction.Evaluate(message);
                if (sample.Value is { } value && Publishable(sample.Dimensions))
                {
                    batch.Add(MetricKey.Of(filter.Namespace, filter.MetricName, sample.Dimensions), minute, value);
                }
                if (filter.DefaultValue is not null)
                {
                    (seen ??= []).Add((filter, minute));
                    if (sample.IsMatch)
                    {
                        (matched ??= []).Add((filter, minute));
                    }
                }
            }
        }

        foreach (var (filter, minute) in seen ?? [])
        {
            if (matched?.Contains((filter, minute)) != true)
            {
                batch.AddDefault(new MetricKey(filter.Namespace, filter.MetricName, MetricKey.NoDimensions), minute, filter.DefaultValue!.Value);
            }
        }
        return batch;
    }

    public static DateTimeOffset MinuteOf(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
    }

    /// <summary>CloudWatch's rule for dimension values: 1 to 1024 characters (and no NUL, which Postgres text cannot hold).</summary>
    private static bool Publishable(IReadOnlyDictionary<string, string> dimensions)
    {
        foreach (var value in dimensions.Values)
        {
            if (value.Length is 0 or > MaxDimensionValueLength || value.Contains('\0', StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }
}
