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
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<StreamConcurrencyException>();
            retry.Handle<DbUpdateException>();
            retry.Handle<NpgsqlException>();
            retry.Handle<InvalidOperationException>(ex => ex.InnerException is NpgsqlException);
            // Conflicts are rare (existing findings are locked; only two instances creating the same one collide).
            retry.Exponential(20, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(25));
        });
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = Math.Max(16, _options.ConcurrentBatches * 2);
        }
    }
}
