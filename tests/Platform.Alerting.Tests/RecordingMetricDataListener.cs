namespace Platform.Alerting.Tests;

/// <summary>Stands in for the alarms at the <see cref="IMetricDataListener"/> seam: records every call.</summary>
public sealed class RecordingMetricDataListener : IMetricDataListener
{
    public ConcurrentQueue<IReadOnlyCollection<MetricIdentity>> Calls { get; } = new();

    public Task OnMetricDataAsync(IReadOnlyCollection<MetricIdentity> metrics, CancellationToken cancellationToken)
    {
        Calls.Enqueue(metrics);
        return Task.CompletedTask;
    }

    /// <summary>How many calls named a metric of <paramref name="ns"/>.</summary>
    public int CallsFor(string ns) => Calls.Count(c => c.Any(m => m.Namespace == ns));
}
