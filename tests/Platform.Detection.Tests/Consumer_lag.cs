using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Platform.Messaging;

namespace Platform.Detection.Tests;

/// <summary>Consumer lag on the bus: the depth of detection's queues is a gauge on its meter.</summary>
public sealed class Consumer_lag
{
    [Fact]
    public async Task Batches_waiting_in_detections_queue_show_as_its_queue_depth()
    {
        await using var postgres = new PostgresServer();
        var prefix = RabbitMqServer.NewEntityPrefix();
        await using var host = DetectionHost.Start(postgres.NewDatabaseConnectionString("lag"), prefix);
        await host.WaitUntilReadyAsync();
        using var depths = new QueueDepthListener(prefix);
        // Detection stops consuming (its queues stay): what is published now waits.
        await host.Services.GetRequiredService<IBusControl>().StopAsync();
        await using var bus = await TestBus.StartAsync(prefix);
        var record = CloudTrail.Synthetic("Lagging", CloudTrail.UniqueArn("lag"), "198.51.100.30", CloudTrail.Now());
        for (var i = 0; i < 3; i++)
        {
            await bus.PublishAsync(CloudTrail.Batch([CloudTrail.Variant(record)]));
        }

        // The queues are asked every 5 s.
        var waiting = await Eventually.ObserveAsync(() => Task.FromResult(depths.Of("log-events-ingested")), depth => depth == 3, TimeSpan.FromSeconds(30));

        Assert.Equal(3, waiting);
    }

    /// <summary>The last depth detection's meter reported for each of its queues (this test's prefix only).</summary>
    private sealed class QueueDepthListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, long> _depths = new(StringComparer.Ordinal);

        public QueueDepthListener(string prefix)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == DetectionTelemetry.Name && instrument.Name == QueueDepths.InstrumentName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag is { Key: "messaging.destination.name", Value: string queue } && queue.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        _depths[queue] = value;
                    }
                }
            });
            _listener.Start();
        }

        /// <summary>The depth of the queue whose name ends with <paramref name="suffix"/>, or -1 before it is reported.</summary>
        public long Of(string suffix)
        {
            _listener.RecordObservableInstruments();
            return _depths.Where(d => d.Key.EndsWith(suffix, StringComparison.Ordinal)).Select(d => d.Value).DefaultIfEmpty(-1).Single();
        }

        public void Dispose() => _listener.Dispose();
    }
}
