namespace Platform.Ingestion.Storage;

/// <summary>
/// Keeps each log group's retention from provisioning's events, in the database so every instance's retention
/// job sees it. Versions make redelivered or out-of-order events harmless.
/// </summary>
public sealed class LogGroupRetentionConsumer(LogRetention retention, TimeProvider time)
    : IConsumer<LogGroupProvisioned>, IConsumer<LogGroupDeleted>
{
    public Task Consume(ConsumeContext<LogGroupProvisioned> context) =>
        retention.SetAsync(context.Message.Name, context.Message.Spec.RetentionInDays, context.Message.Version, time.GetUtcNow(), context.CancellationToken);

    public Task Consume(ConsumeContext<LogGroupDeleted> context) =>
        retention.SetAsync(context.Message.Name, null, context.Message.Version, time.GetUtcNow(), context.CancellationToken);
}
