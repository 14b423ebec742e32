using System.Text.RegularExpressions;
using Platform.Contracts.Ingestion;

namespace Platform.Alerting.Metrics;

/// <summary>
/// The built-in <c>AWS/CloudTrail</c> metrics every CloudTrail event feeds, each without dimensions and with
/// <c>EventSource</c>: <c>CallCount</c> (1 per event), <c>ErrorCount</c> (1 per event with an errorCode, 0 otherwise)
/// and <c>APIErrorRate</c> (100 per event with an errorCode, 0 otherwise). Stored as samples per event, the rate's
/// Average over any period is the percentage of calls that failed in it, weighted by calls (its Sum is 100 × errors
/// and its SampleCount the calls), so no period's rate is an average of averages.
/// </summary>
public sealed partial class CloudTrailMetrics
{
    public const string Namespace = "AWS/CloudTrail";
    public const string CallCount = "CallCount";
    public const string ErrorCount = "ErrorCount";
    public const string ApiErrorRate = "APIErrorRate";
    public const string EventSourceDimension = "EventSource";

    /// <summary>
    /// Distinct event sources an instance publishes series for; AWS has a few hundred services. Past this, events
    /// still count in the series without dimensions: a sender inventing sources cannot grow the series without bound.
    /// </summary>
    public const int MaxEventSources = 1000;

    private static readonly MetricKey Calls = new(Namespace, CallCount, MetricKey.NoDimensions);
    private static readonly MetricKey Errors = new(Namespace, ErrorCount, MetricKey.NoDimensions);
    private static readonly MetricKey Rate = new(Namespace, ApiErrorRate, MetricKey.NoDimensions);

    private readonly ConcurrentDictionary<string, (MetricKey Calls, MetricKey Errors, MetricKey Rate)> _bySource = new(StringComparer.Ordinal);

    public void Add(MetricBatch batch, NormalizedLogEvent logEvent, DateTimeOffset minute)
    {
        var failed = !string.IsNullOrEmpty(logEvent.ErrorCode);
        Add(batch, (Calls, Errors, Rate), minute, failed);
        if (SeriesOf(logEvent.EventSource) is { } source)
        {
            Add(batch, source, minute, failed);
        }
    }

    private static void Add(MetricBatch batch, (MetricKey Calls, MetricKey Errors, MetricKey Rate) series, DateTimeOffset minute, bool failed)
    {
        batch.Add(series.Calls, minute, 1);
        batch.Add(series.Errors, minute, failed ? 1 : 0);
        batch.Add(series.Rate, minute, failed ? 100 : 0);
    }

    private (MetricKey, MetricKey, MetricKey)? SeriesOf(string? eventSource)
    {
        if (eventSource is null || eventSource.Length > 128 || !EventSourceName().IsMatch(eventSource))
        {
            return null;
        }
        if (_bySource.TryGetValue(eventSource, out var series))
        {
            return series;
        }
        if (_bySource.Count >= MaxEventSources)
        {
            return null;
        }
        var dimensions = new Dictionary<string, string> { [EventSourceDimension] = eventSource };
        return _bySource.GetOrAdd(eventSource, _ => (
            MetricKey.Of(Namespace, CallCount, dimensions), MetricKey.Of(Namespace, ErrorCount, dimensions), MetricKey.Of(Namespace, ApiErrorRate, dimensions)));
    }

    /// <summary>A service principal as CloudTrail writes it (<c>iam.amazonaws.com</c>).</summary>
    [GeneratedRegex(@"^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$", RegexOptions.NonBacktracking)]
    private static partial Regex EventSourceName();
}
