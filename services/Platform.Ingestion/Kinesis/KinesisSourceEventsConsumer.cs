namespace Platform.Ingestion.Kinesis;

/// <summary>
/// Applies provisioned and deleted sources. Bound to a temporary queue per instance (see
/// <see cref="KinesisExtensions.AddKinesisSourceEvents"/>): every instance must start or stop its consumers.
/// </summary>
public sealed class KinesisSourceEventsConsumer(KinesisSourceRegistry registry) : IConsumer<SourceProvisioned>, IConsumer<SourceDeleted>
{
    public Task Consume(ConsumeContext<SourceProvisioned> context) =>
        registry.ApplyAsync(new ProvisionedSourceState(context.Message.Name, context.Message.Spec, context.Message.Version), context.CancellationToken);

    public Task Consume(ConsumeContext<SourceDeleted> context) =>
        registry.ApplyAsync(new ProvisionedSourceState(context.Message.Name, null, context.Message.Version), context.CancellationToken);
}
