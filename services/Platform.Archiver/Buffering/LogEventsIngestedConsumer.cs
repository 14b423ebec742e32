namespace Platform.Archiver.Buffering;

/// <summary>
/// Buffers every batch ingestion stored. Competing consumers: instances share the queue, and a redelivered batch
/// buffers nothing new (the buffer is keyed by batch id).
/// </summary>
public sealed class LogEventsIngestedConsumer(ArchiveBuffer buffer, ArchiverTelemetry telemetry) : IConsumer<LogEventsIngested>
{
    public async Task Consume(ConsumeContext<LogEventsIngested> context)
    {
        var added = await buffer.AddAsync(context.Message, context.CancellationToken);
        telemetry.EventsBuffered.Add(added);
    }
}

/// <summary>
/// Bounds what is held at once: a batch is one transaction (its claim, then its chunks in one round trip), so four at a
/// time keep up with any ingest rate, while each batch in hand (its message and the records of its parameters,
/// megabytes for 500 CloudTrail records) counts against the service's memory.
/// </summary>
public sealed class LogEventsIngestedConsumerDefinition : ConsumerDefinition<LogEventsIngestedConsumer>
{
    private const int BatchesAtOnce = 4;

    public LogEventsIngestedConsumerDefinition() => ConcurrentMessageLimit = BatchesAtOnce;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<LogEventsIngestedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = BatchesAtOnce * 2;
        }
    }
}
