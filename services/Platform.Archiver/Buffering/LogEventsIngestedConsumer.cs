namespace Platform.Archiver.Buffering;

/// <summary>
/// Buffers every batch ingestion stored. Competing consumers: instances share the queue, and a redelivered batch
/// buffers nothing new (the buffer is keyed by event id).
/// </summary>
public sealed class LogEventsIngestedConsumer(ArchiveBuffer buffer, ArchiverTelemetry telemetry) : IConsumer<LogEventsIngested>
{
    public async Task Consume(ConsumeContext<LogEventsIngested> context)
    {
        var added = await buffer.AddAsync(context.Message, context.CancellationToken);
        telemetry.EventsBuffered.Add(added);
    }
}

/// <summary>Retries what a busy database causes (a deadlock between two instances inserting overlapping batches).</summary>
public sealed class LogEventsIngestedConsumerDefinition : ConsumerDefinition<LogEventsIngestedConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<LogEventsIngestedConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<NpgsqlException>();
            retry.Exponential(10, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50));
        });
}
