using Platform.Contracts.Ingestion;

namespace Platform.Alerting.Metrics;

/// <summary>
/// Counts every ingested batch into metric data points (metric filters and the built-in CloudTrail metrics), exactly
/// once in effect: the batch id is recorded in the statement that adds its points. Then tells every
/// <see cref="IMetricDataListener"/> which metrics received data. Competing consumers: instances share the queue.
/// </summary>
public sealed partial class MetricsConsumer(
    MetricEvaluator evaluator, MetricStore store, IEnumerable<IMetricDataListener> listeners, ILogger<MetricsConsumer> logger)
    : IConsumer<LogEventsIngested>
{
    public async Task Consume(ConsumeContext<LogEventsIngested> context)
    {
        var message = context.Message;
        var batch = evaluator.Evaluate(message.Events);
        if (batch.Count == 0 || !await store.AddAsync(message.BatchId, batch, context.CancellationToken))
        {
            return;
        }

        // After the commit. A listener's failure must not make the batch look uncounted: it is logged, and alarms are
        // evaluated every minute anyway.
        IReadOnlyCollection<MetricIdentity> metrics = [.. batch.Series.Select(k => k.ToIdentity())];
        foreach (var listener in listeners)
        {
            try
            {
                await listener.OnMetricDataAsync(metrics, context.CancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogListenerFailed(ex, listener.GetType().Name, message.BatchId);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Metric data listener {Listener} failed after batch {BatchId} was counted")]
    private partial void LogListenerFailed(Exception exception, string listener, Guid batchId);
}

/// <summary>On alerting's batch queue; retries what concurrency and the database's passing faults cause (for the whole queue).</summary>
public sealed class MetricsConsumerDefinition(IEndpointNameFormatter formatter) : IngestedBatchEndpointDefinition<MetricsConsumer>(formatter)
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<MetricsConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseWriteConflictRetry();
    }
}
