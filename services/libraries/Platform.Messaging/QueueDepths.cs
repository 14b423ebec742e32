using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Platform.Messaging;

/// <summary>
/// Consumer lag on the bus: how many messages wait in each of the service's queues (its receive endpoints, per-instance
/// queues included), as the gauge <c>platform.bus.queue.depth</c> (tag <c>messaging.destination.name</c>) on the
/// service's own meter, so the Aspire dashboard shows a backlog growing and draining. Each queue is asked with a passive
/// declare (no management plugin needed) every <see cref="Interval"/>, on a connection of its own; the gauge reports the
/// last answer. Messages delivered but not yet acknowledged are not counted (they are being worked on).
/// </summary>
public sealed partial class QueueDepths : BackgroundService, IReceiveEndpointObserver
{
    public const string InstrumentName = "platform.bus.queue.depth";

    /// <summary>How often the queues are asked.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, long?> _depths = new(StringComparer.Ordinal);
    private readonly ConnectionFactory _factory;
    private readonly ILogger<QueueDepths> _logger;
    private IConnection? _connection;

    /// <param name="connectionString">The broker's AMQP URI.</param>
    /// <param name="meterName">The service's meter (its application name: one meter per service).</param>
    public QueueDepths(string connectionString, string meterName, IMeterFactory meters, ILogger<QueueDepths> logger)
    {
        _factory = new ConnectionFactory { Uri = new Uri(connectionString), ClientProvidedName = "queue-depths" };
        _logger = logger;
        meters.Create(meterName).CreateObservableGauge(InstrumentName, Observe, "{message}", "Messages waiting in the service's queues (consumer lag on the bus).");
    }

    private IEnumerable<Measurement<long>> Observe() =>
        _depths.Where(d => d.Value is not null)
            .Select(d => new Measurement<long>(d.Value!.Value, new KeyValuePair<string, object?>("messaging.destination.name", d.Key)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await MeasureAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogMeasureFailed(ex);
                await CloseAsync();
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private async Task MeasureAsync(CancellationToken cancellationToken)
    {
        if (_depths.IsEmpty)
        {
            return;
        }

        _connection ??= await _factory.CreateConnectionAsync(cancellationToken);
        IChannel? channel = null;
        try
        {
            foreach (var queue in _depths.Keys)
            {
                channel ??= await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
                try
                {
                    var declared = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
                    _depths[queue] = declared.MessageCount;
                }
                catch (OperationInterruptedException)
                {
                    // The queue is gone (a temporary one, or not declared yet): the broker closed the channel.
                    _depths[queue] = null;
                    await channel.DisposeAsync();
                    channel = null;
                }
            }
        }
        finally
        {
            if (channel is not null)
            {
                await channel.DisposeAsync();
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task CloseAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await CloseAsync();
    }

    /// <summary>A receive endpoint is up: its queue (the last segment of its address) is measured from now on.</summary>
    public Task Ready(ReceiveEndpointReady ready)
    {
        _depths.TryAdd(ready.InputAddress.AbsolutePath.Split('/')[^1], null);
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Debug, "Measuring the depth of the service's queues failed; it is tried again at the next interval")]
    private partial void LogMeasureFailed(Exception exception);
}
