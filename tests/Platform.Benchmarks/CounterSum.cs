using System.Diagnostics.Metrics;

namespace Platform.Benchmarks;

/// <summary>
/// Sums one counter of a service's meter in this process (by name: instruments are published from inside the services'
/// telemetry constructors), so a driver follows the service's own progress instead of counting rows in the database it measures.
/// </summary>
internal sealed class CounterSum : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public CounterSum(string meter, string instrument)
    {
        _listener.InstrumentPublished = (published, listener) =>
        {
            if (published.Meter.Name == meter && published.Name == instrument)
            {
                listener.EnableMeasurementEvents(published);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
