namespace Platform.Detection.Evaluation;

/// <summary>
/// The endpoint of a consumer that evaluates batches of events (live and retro-hunt): retries what concurrency causes
/// (another instance appended to the same finding, a deadlock) and bounds concurrency.
/// </summary>
public abstract class BatchConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    private readonly DetectionOptions _options;

    protected BatchConsumerDefinition(DetectionOptions options)
    {
        _options = options;
        ConcurrentMessageLimit = options.ConcurrentBatches;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseWriteConflictRetry();
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = Math.Max(16, _options.ConcurrentBatches * 2);
        }
    }
}
